package client

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
)

// Rates is the exchanger's rate export, the XML document that rate
// monitors read: one item per route.
type Rates struct {
	XMLName xml.Name   `xml:"rates"`
	Items   []RateItem `xml:"item"`
}

// RateItem is one route's rate: In units of From buy Out units of To.
// Amounts stay decimal strings; MinAmount and MaxAmount often carry a
// currency code ("0.01 BTC"), so they are kept as written.
type RateItem struct {
	From      string  `xml:"from"` // currency code, e.g. "BTC"
	To        string  `xml:"to"`
	In        Decimal `xml:"in"`
	Out       Decimal `xml:"out"`
	Amount    Decimal `xml:"amount"` // reserve of To
	MinAmount string  `xml:"minamount"`
	MaxAmount string  `xml:"maxamount"`
	FromFee   string  `xml:"fromfee"`
	ToFee     string  `xml:"tofee"`
	Param     string  `xml:"param"` // e.g. "manual", "verifying"
	City      string  `xml:"city"`
}

// RatesXML returns the rate export exactly as the server sent it.
//
// GET /public/rates.xml (not in openapi.yaml). Public: no token needed.
func (c *Client) RatesXML(ctx context.Context, opts ...CallOption) ([]byte, error) {
	var doc []byte
	cl := &call{method: http.MethodGet, path: "/public/rates.xml", public: true, raw: "application/xml"}
	_, err := c.do(ctx, cl, &doc, opts)
	return doc, err
}

// Rates returns the rate export, parsed.
//
// GET /public/rates.xml (not in openapi.yaml). Public: no token needed.
//
// A document that does not parse is a *ResponseError matching
// ErrMalformedResponse.
func (c *Client) Rates(ctx context.Context, opts ...CallOption) (*Rates, error) {
	var rates *Rates
	cl := &call{method: http.MethodGet, path: "/public/rates.xml", public: true, raw: "application/xml"}
	p := &rawParser{parse: func(doc []byte) (err error) { rates, err = ParseRates(doc); return err }}
	if _, err := c.do(ctx, cl, p, opts); err != nil {
		return nil, err
	}
	return rates, nil
}

// ParseRates parses a rate export. The document is already size-bounded by
// the read; entity expansion does not exist in encoding/xml.
func ParseRates(doc []byte) (*Rates, error) {
	var r Rates
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	if err := d.Decode(&r); err != nil {
		return nil, fmt.Errorf("client: parse rates.xml: %w", err)
	}
	return &r, nil
}
