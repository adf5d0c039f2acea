package clienttest

import (
	"fmt"
	"math/big"
)

// Seed is the catalogue the server starts with: payment systems (a currency
// on a payment method) and the routes between them.
type Seed struct {
	PaymentSystems []PaymentSystem
	Routes         []Route
}

// PaymentSystem is one side of an exchange, such as "Tether TRC20 USDT".
type PaymentSystem struct {
	ID         int64
	Name       string // "Tether TRC20"
	Currency   string // ISO or ticker code: "USDT"
	LetterCode string // unique letter code, used by the from/to aliases: "USDTTRC20"
	ShortCode  string // "USDT"
	Network    string // "TRON"; "" for fiat
	Decimals   int    // amount precision
}

// Route is an exchange direction between two payment systems.
type Route struct {
	ID       int64
	Name     string
	From, To int64  // PaymentSystem ids: give side, receive side
	Rate     string // decimal: units of To received per unit of From
	MinGive  string // decimal; "" for no minimum
	MaxGive  string // decimal; "" for no maximum
	// Fields an order on this route must carry: "income_account",
	// "outcome_account", "email".
	Fields []string
	// RateModes offered: "fixed", "floating" (default: both).
	RateModes        []string
	IdentityRequired bool // orders need an identity verification
	CardRequired     bool // orders need a card verification
	Disabled         bool // listed nowhere, quotes refused
}

// DefaultSeed returns the catalogue a Server uses unless WithSeed replaces it:
// five payment systems and five routes, crypto and fiat, with and without
// verification requirements.
func DefaultSeed() Seed {
	return Seed{
		PaymentSystems: []PaymentSystem{
			{ID: 1, Name: "Tether TRC20", Currency: "USDT", LetterCode: "USDTTRC20", ShortCode: "USDT", Network: "TRON", Decimals: 6},
			{ID: 2, Name: "Bitcoin", Currency: "BTC", LetterCode: "BTC", ShortCode: "BTC", Network: "BTC", Decimals: 8},
			{ID: 3, Name: "Sberbank", Currency: "RUB", LetterCode: "SBERRUB", ShortCode: "RUB", Decimals: 2},
			{ID: 4, Name: "Visa/Mastercard", Currency: "USD", LetterCode: "CARDUSD", ShortCode: "USD", Decimals: 2},
			{ID: 5, Name: "Ethereum", Currency: "ETH", LetterCode: "ETH", ShortCode: "ETH", Network: "ETH", Decimals: 8},
		},
		Routes: []Route{
			{ID: 1, Name: "USDT TRC20 to Sberbank RUB", From: 1, To: 3, Rate: "92.15", MinGive: "10", MaxGive: "10000",
				Fields: []string{"outcome_account"}},
			{ID: 2, Name: "Bitcoin to USDT TRC20", From: 2, To: 1, Rate: "64250.5", MinGive: "0.001", MaxGive: "5",
				Fields: []string{"outcome_account"}},
			{ID: 3, Name: "Sberbank RUB to USDT TRC20", From: 3, To: 1, Rate: "0.0105", MinGive: "1000", MaxGive: "1000000",
				Fields: []string{"income_account", "outcome_account"}, CardRequired: true},
			{ID: 4, Name: "USDT TRC20 to Visa/Mastercard USD", From: 1, To: 4, Rate: "0.985", MinGive: "50", MaxGive: "5000",
				Fields: []string{"outcome_account", "email"}, IdentityRequired: true},
			{ID: 5, Name: "Ethereum to USDT TRC20", From: 5, To: 1, Rate: "3120.4", MinGive: "0.01", MaxGive: "100",
				Fields: []string{"outcome_account"}},
		},
	}
}

func (s Seed) clone() Seed {
	out := Seed{PaymentSystems: append([]PaymentSystem(nil), s.PaymentSystems...)}
	for _, r := range s.Routes {
		r.Fields = append([]string(nil), r.Fields...)
		r.RateModes = append([]string(nil), r.RateModes...)
		out.Routes = append(out.Routes, r)
	}
	return out
}

func (s Seed) validate() error {
	ps := map[int64]bool{}
	for _, p := range s.PaymentSystems {
		if p.ID <= 0 || ps[p.ID] {
			return fmt.Errorf("clienttest: seed: payment system id %d is not positive or not unique", p.ID)
		}
		ps[p.ID] = true
	}
	rs := map[int64]bool{}
	for _, r := range s.Routes {
		if r.ID <= 0 || rs[r.ID] {
			return fmt.Errorf("clienttest: seed: route id %d is not positive or not unique", r.ID)
		}
		rs[r.ID] = true
		if !ps[r.From] || !ps[r.To] {
			return fmt.Errorf("clienttest: seed: route %d names an unknown payment system", r.ID)
		}
		if _, ok := parseDecimal(r.Rate); !ok {
			return fmt.Errorf("clienttest: seed: route %d: rate %q is not a decimal", r.ID, r.Rate)
		}
		for _, d := range []string{r.MinGive, r.MaxGive} {
			if _, ok := parseDecimal(d); d != "" && !ok {
				return fmt.Errorf("clienttest: seed: route %d: %q is not a decimal", r.ID, d)
			}
		}
		for _, f := range r.Fields {
			switch f {
			case "income_account", "outcome_account", "email":
			default:
				return fmt.Errorf("clienttest: seed: route %d: unknown field %q", r.ID, f)
			}
		}
	}
	return nil
}

// parseDecimal parses a plain non-negative decimal string ("100", "0.5").
// Money is never a float: amounts are exact rationals.
func parseDecimal(s string) (*big.Rat, bool) {
	if s == "" || len(s) > 40 {
		return nil, false
	}
	dot := false
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0 && i < len(s)-1:
			dot = true
		default:
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// formatDecimal writes r with exactly places decimals, rounded down (the
// exchanger never pays out more than the rate gives).
func formatDecimal(r *big.Rat, places int) string {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	n := new(big.Int).Mul(r.Num(), scale)
	n.Quo(n, r.Denom())
	s := n.String()
	if places == 0 {
		return s
	}
	for len(s) <= places {
		s = "0" + s
	}
	return s[:len(s)-places] + "." + s[len(s)-places:]
}
