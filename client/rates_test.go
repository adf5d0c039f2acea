package client

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

const sampleRates = `<?xml version="1.0" encoding="UTF-8"?>
<rates>
  <item><from>BTC</from><to>USDTTRC20</to><in>1</in><out>64250.123456789012</out><amount>150000.00</amount>
    <minamount>0.001 BTC</minamount><maxamount>2 BTC</maxamount><param>manual</param><unknown>x</unknown></item>
  <item><from>USDTTRC20</from><to>SBERRUB</to><in>1</in><out>92.15</out><amount>5000000</amount><city>msk</city></item>
</rates>`

func TestRatesParsedAndRaw(t *testing.T) {
	srv, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte(sampleRates))
	})
	raw, err := c.RatesXML(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != sampleRates {
		t.Fatalf("raw document changed: %q", raw)
	}
	rates, err := c.Rates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(rates.Items) != 2 {
		t.Fatalf("items = %+v", rates.Items)
	}
	first := rates.Items[0]
	if first.From != "BTC" || first.Out != "64250.123456789012" || first.Amount != "150000.00" || first.MinAmount != "0.001 BTC" || first.Param != "manual" {
		t.Fatalf("first item = %+v", first)
	}
	if rates.Items[1].City != "msk" {
		t.Fatalf("second item = %+v", rates.Items[1])
	}
	for _, r := range srv.requests() {
		if r.Path != "/api/v3/public/rates.xml" || r.Header.Get("Authorization") != "" || !strings.Contains(r.Header.Get("Accept"), "xml") {
			t.Fatalf("request %s auth %q accept %q", r.Path, r.Header.Get("Authorization"), r.Header.Get("Accept"))
		}
	}
}

func TestParseRatesRejectsBrokenXML(t *testing.T) {
	for _, doc := range []string{"", "<rates><item>", "<html>502 Bad Gateway</html>", `{"state":0}`} {
		if _, err := ParseRates([]byte(doc)); err == nil {
			t.Errorf("%q: no error", doc)
		}
	}
}
