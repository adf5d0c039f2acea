package clienttest

import (
	"bytes"
	"encoding/xml"
	"net/http"
)

// extraTable holds what the server serves beyond openapi.yaml:
// GET /public/rates.xml, the rate export for rate monitors (spec 1).
func extraTable() []*operation {
	o := &operation{method: http.MethodGet, path: "/public/rates.xml", public: true, handle: (*Server).hRatesXML}
	o.segs = []string{"public", "rates.xml"}
	return []*operation{o}
}

type ratesDoc struct {
	XMLName xml.Name   `xml:"rates"`
	Items   []rateItem `xml:"item"`
}

type rateItem struct {
	From      string `xml:"from"`
	To        string `xml:"to"`
	In        string `xml:"in"`
	Out       string `xml:"out"`
	Amount    string `xml:"amount"`
	MinAmount string `xml:"minamount,omitempty"`
	MaxAmount string `xml:"maxamount,omitempty"`
	Param     string `xml:"param,omitempty"`
}

// fakeReserve is the reserve every route reports.
const fakeReserve = "1000000"

func (s *Server) hRatesXML(rq *request) (reply, *apiError) {
	var doc ratesDoc
	for _, r := range s.activeRoutes() {
		from, _ := s.paymentSystem(r.From)
		to, _ := s.paymentSystem(r.To)
		it := rateItem{From: from.LetterCode, To: to.LetterCode, In: "1", Out: r.Rate, Amount: fakeReserve}
		if r.MinGive != "" {
			it.MinAmount = r.MinGive + " " + from.Currency
		}
		if r.MaxGive != "" {
			it.MaxAmount = r.MaxGive + " " + from.Currency
		}
		if r.IdentityRequired || r.CardRequired {
			it.Param = "verifying"
		}
		doc.Items = append(doc.Items, it)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return reply{}, errf(http.StatusInternalServerError, "server_error", "rates.xml: "+err.Error(), nil)
	}
	return reply{raw: buf.Bytes(), contentType: "application/xml; charset=utf-8"}, nil
}
