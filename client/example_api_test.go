package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/iexkit/exchanger-go/client"
)

// fakeExchanger answers a few endpoints the way a server does.
func fakeExchanger() *httptest.Server {
	write := func(w http.ResponseWriter, result string, meta string) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"state":0,"message":"OK","result":%s,"meta":{"request_id":"r1"%s}}`, result, meta)
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v3/private/exchange/orders" && r.Method == http.MethodPost:
			write(w, `{"order":{"id":42,"tracking_id":"TR-42","status":{"key":"created","name":"Created","is_final":false},
				"amounts":{"give":"100.00","receive":99.5}}}`, "")
		case r.URL.Path == "/api/v3/private/orders":
			page := r.URL.Query().Get("page")
			if page == "1" {
				write(w, `[{"id":1,"status":"completed"},{"id":2,"status":"paid"}]`, `,"pagination":{"mode":"page","current_page":1,"last_page":2}`)
			} else {
				write(w, `[{"id":3,"status":"created"}]`, `,"pagination":{"mode":"page","current_page":2,"last_page":2}`)
			}
		case strings.HasSuffix(r.URL.Path, "/status"):
			write(w, `{"order":{"tracking_id":"TR-42","status":"completed","status_label":"Completed","is_final":true}}`, "")
		case strings.HasSuffix(r.URL.Path, "/commit"):
			io.Copy(io.Discard, r.Body)
			write(w, `{"upload_intent":{"uuid":"0b9e2c6e-8a53-4f3e-9f1e-6f1c2a7d5e01","status":"committed"}}`, "")
		default:
			http.NotFound(w, r)
		}
	}))
}

func ExampleClient_CreateOrder() {
	srv := fakeExchanger()
	defer srv.Close()
	c, err := client.New(srv.URL+"/api/v3", client.WithToken("token"))
	if err != nil {
		log.Fatal(err)
	}
	order, err := c.CreateOrder(context.Background(), client.CreateOrderParams{
		RouteID:        7,
		Amount:         "100.00", // money is a decimal string
		IncomeAccount:  "TXYZ...",
		OutcomeAccount: "4111 1111 1111 1111",
		TypeRate:       "fixed",
	}, client.WithIdempotencyKey("create-order-user-42-001"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(order.TrackingID, order.Status.Key, order.Amounts.Give, order.Amounts.Receive)
	// Output: TR-42 created 100.00 99.5
}

func ExampleClient_Orders() {
	srv := fakeExchanger()
	defer srv.Close()
	c, _ := client.New(srv.URL+"/api/v3", client.WithToken("token"))
	// The iterator walks every page; breaking out of the loop stops it.
	for order, err := range c.Orders(context.Background(), client.OrderListOptions{Sort: []string{"-created_at"}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(order.ID, order.Status)
	}
	// Output:
	// 1 completed
	// 2 paid
	// 3 created
}

func ExampleClient_UploadFile() {
	srv := fakeExchanger()
	defer srv.Close()
	c, _ := client.New(srv.URL+"/api/v3", client.WithToken("token"))
	// UploadPath("scan.jpg") reopens a file for every attempt; a reader is
	// streamed as well, never held in memory as a whole.
	in, err := c.UploadFile(context.Background(), "0b9e2c6e-8a53-4f3e-9f1e-6f1c2a7d5e01", "scan.jpg",
		client.UploadReader(strings.NewReader("...image bytes...")))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.Status)
	// Output: committed
}

func ExampleOrderStatus() {
	// The three shapes the API uses for a status decode into one type.
	for _, doc := range []string{
		`"created"`,
		`{"id":5,"key":"completed","name":"Completed","is_final":true}`,
		`{"order":{"tracking_id":"TR-1","status":"canceled","status_label":"Canceled","is_final":true}}`,
	} {
		var s client.OrderStatus
		if err := json.Unmarshal([]byte(doc), &s); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s final=%v\n", s.Key, s.IsFinal)
	}
	// Output:
	// created final=false
	// completed final=true
	// canceled final=true
}

func ExampleDecimal() {
	var v struct {
		Give    client.Decimal `json:"give"`
		Receive client.Decimal `json:"receive"`
	}
	// Amounts arrive as strings or numbers; the digits are kept exactly.
	_ = json.Unmarshal([]byte(`{"give":"0.10","receive":12345678.123456789012}`), &v)
	fmt.Println(v.Give, v.Receive)
	// Output: 0.10 12345678.123456789012
}

func ExampleClient_WaitForOrder() {
	srv := fakeExchanger()
	defer srv.Close()
	c, _ := client.New(srv.URL+"/api/v3", client.WithToken("token"))
	// A fallback for orders without a recent webhook: polls with backoff and
	// jitter until the status is final.
	st, err := c.WaitForOrder(context.Background(), "TR-42", client.WaitOptions{Interval: time.Second})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.TrackingID, st.Key, st.IsFinal)
	// Output: TR-42 completed true
}
