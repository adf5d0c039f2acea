package webhook

import (
	"fmt"
	"strings"
)

// OrderEventBody returns an order.status_changed body of about size bytes
// as the vendor's PHP server encodes one with json_encode's defaults:
// slashes escaped ("https:\/\/"), Cyrillic names and comments as \u
// escapes, long requisites and links, a token every dozen bytes or so. It
// grows by the order's status history, as BenchBody does, so the two
// compare at equal sizes: BenchBody is the dense worst case, this the
// realistic one.
func OrderEventBody(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"id":"evt_01J8Z6Q4W2KXR7","type":"order.status_changed","created_at":"2026-06-23T10:00:00+00:00","data":{"order":{` +
		`"id":52817,"public_id":"ord_5f2c9a1b7e","tracking_id":"TRK8K2LQ",` +
		`"status":{"id":4,"key":"processing","name":"\u0412 \u043e\u0431\u0440\u0430\u0431\u043e\u0442\u043a\u0435","is_final":false,"is_payment_flow":true},` +
		`"previous_status":{"id":3,"key":"paid","name":"\u041e\u043f\u043b\u0430\u0447\u0435\u043d\u0430","is_final":false},` +
		`"amounts":{"give":"150000.00","receive":"0.02314500","rate":"6481233.00","fee":"1250.00"},` +
		`"give_currency":{"id":12,"code":"SBERRUB","name":"\u0421\u0431\u0435\u0440\u0431\u0430\u043d\u043a RUB"},` +
		`"receive_currency":{"id":3,"code":"BTC","name":"Bitcoin","network":"BTC"},` +
		`"requisites":{"from":"4276 3800 1234 5678","to":"bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"},` +
		`"links":{"status":"https:\/\/iex.example.com\/orders\/TRK8K2LQ\/status","receipt":"https:\/\/iex.example.com\/receipts\/ord_5f2c9a1b7e.pdf"},` +
		`"client":{"email":"client@example.com","ip":"203.0.113.7","user_agent":"Mozilla\/5.0 (X11; Linux x86_64) AppleWebKit\/537.36 (KHTML, like Gecko) Chrome\/126.0 Safari\/537.36"},` +
		`"comment":"\u041f\u0435\u0440\u0435\u0432\u043e\u0434 \u043f\u043e \u0440\u0435\u043a\u0432\u0438\u0437\u0438\u0442\u0430\u043c",` +
		`"created_at":"2026-06-23T09:41:12+00:00","updated_at":"2026-06-23T10:00:00+00:00","history":[`)
	for i := 0; b.Len() < size-48; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"at":"2026-06-23T%02d:%02d:00+00:00","status":{"id":%d,"key":"step_%d"},"operator":{"id":%d,"name":"\u041e\u043f\u0435\u0440\u0430\u0442\u043e\u0440 %d"},`+
			`"comment":"\u0421\u0442\u0430\u0442\u0443\u0441 \u0438\u0437\u043c\u0435\u043d\u0451\u043d \u0430\u0432\u0442\u043e\u043c\u0430\u0442\u0438\u0447\u0435\u0441\u043a\u0438 after the payment gateway confirmed the transfer","url":"https:\/\/iex.example.com\/orders\/TRK8K2LQ\/history\/%d"}`,
			10+i/60%14, i%60, i%9, i, 100+i%7, i%7, i)
	}
	b.WriteString(`]}}}`)
	return []byte(b.String())
}
