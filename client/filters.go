package client

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Filters holds extra filter[...] parameters for a list call, beyond the
// typed fields of its options: for filters the server added after this SDK
// was written. The zero value is empty and ready to use.
type Filters struct {
	v url.Values
}

// Set adds filter[name]=value.
func (f *Filters) Set(name, value string) *Filters {
	f.init().Set("filter["+name+"]", value)
	return f
}

// In adds filter[name][]=v for each value: the server reads them as a
// list. Use it only for filters the server takes as arrays: every filter
// openapi.yaml declares is one value (join several with commas, as
// OrderListOptions.Status does), and a filter[name][] form of a declared
// filter is refused before sending.
func (f *Filters) In(name string, values ...string) *Filters {
	for _, v := range values {
		f.init().Add("filter["+name+"][]", v)
	}
	return f
}

func (f *Filters) init() url.Values {
	if f.v == nil {
		f.v = url.Values{}
	}
	return f.v
}

// query builds the parameters of one list call.
type query struct {
	v url.Values
}

func newQuery() *query { return &query{v: url.Values{}} }

// str sets filter[name]=s unless s is empty.
func (q *query) str(name, s string) *query {
	if s != "" {
		q.v.Set("filter["+name+"]", s)
	}
	return q
}

// id sets filter[name]=n unless n is 0.
func (q *query) id(name string, n int64) *query {
	if n != 0 {
		q.v.Set("filter["+name+"]", strconv.FormatInt(n, 10))
	}
	return q
}

// csv sets filter[name]=a,b: openapi.yaml declares such filters as one
// comma-separated string (filter[status], example "paid,completed"), not
// as filter[name][]=a&filter[name][]=b.
func (q *query) csv(name string, vs []string) *query {
	if len(vs) > 0 {
		q.v.Set("filter["+name+"]", strings.Join(vs, ","))
	}
	return q
}

// time sets filter[name]=t in RFC 3339 unless t is zero.
func (q *query) time(name string, t time.Time) *query {
	if !t.IsZero() {
		q.v.Set("filter["+name+"]", t.UTC().Format(time.RFC3339))
	}
	return q
}

// sort sets sort=a,-b: a leading "-" sorts descending.
func (q *query) sort(fields []string) *query {
	if len(fields) > 0 {
		q.v.Set("sort", strings.Join(fields, ","))
	}
	return q
}

// extra merges the caller's untyped filters; typed fields win on a clash.
func (q *query) extra(f Filters) url.Values {
	for k, vs := range f.v {
		if _, ok := q.v[k]; !ok {
			q.v[k] = append([]string(nil), vs...)
		}
	}
	return q.v
}

// The typed options of every list call follow. Zero fields are not sent.

// PaymentSystemListOptions filters (*Client).PaymentSystems.
type PaymentSystemListOptions struct {
	PageOptions
	ID             int64
	PaymentID      int64
	CodeCurrencyID int64
	Side           string // "give", "receive" or "both"
	FromCurrencyID int64
	ToCurrencyID   int64
	CurrencyCode   string // e.g. "USDT"
	LetterCode     string // e.g. "USDTTRC20"
	ShortCode      string
	Network        string // e.g. "TRON"
	Sort           []string
	Filters        Filters
}

func (o PaymentSystemListOptions) values() url.Values {
	return newQuery().id("id", o.ID).id("payment_id", o.PaymentID).id("code_currency_id", o.CodeCurrencyID).
		str("side", o.Side).id("from_currency_id", o.FromCurrencyID).id("to_currency_id", o.ToCurrencyID).
		str("currency_code", o.CurrencyCode).str("letter_code", o.LetterCode).str("short_code", o.ShortCode).
		str("network", o.Network).sort(o.Sort).extra(o.Filters)
}

// RouteListOptions filters (*Client).Routes.
type RouteListOptions struct {
	PageOptions
	ID             int64
	FromCurrencyID int64
	ToCurrencyID   int64
	From           string // give-side letter code, e.g. "USDT"
	To             string // receive-side letter code
	Sort           []string
	Filters        Filters
}

func (o RouteListOptions) values() url.Values {
	return newQuery().id("id", o.ID).id("from_currency_id", o.FromCurrencyID).id("to_currency_id", o.ToCurrencyID).
		str("from", o.From).str("to", o.To).sort(o.Sort).extra(o.Filters)
}

// OrderListOptions filters (*Client).Orders.
type OrderListOptions struct {
	PageOptions
	Status        []string // one or more status keys, sent as filter[status]=a,b
	ID            int64
	PublicID      string
	TrackingID    string
	Email         string
	FromRequisite string
	ToRequisite   string
	CreatedFrom   time.Time
	CreatedTo     time.Time
	Currency      string
	AmountMin     string // decimal string
	AmountMax     string // decimal string
	// Sort fields: id, created_at, updated_at, completed_at, amount_in,
	// amount_out, status; "-created_at" sorts descending.
	Sort    []string
	Filters Filters
}

func (o OrderListOptions) values() url.Values {
	return newQuery().csv("status", o.Status).id("id", o.ID).str("public_id", o.PublicID).
		str("tracking_id", o.TrackingID).str("email", o.Email).str("from_requisite", o.FromRequisite).
		str("to_requisite", o.ToRequisite).time("created_from", o.CreatedFrom).time("created_to", o.CreatedTo).
		str("currency", o.Currency).str("amount_min", o.AmountMin).str("amount_max", o.AmountMax).
		sort(o.Sort).extra(o.Filters)
}

// WebhookEventListOptions filters (*Client).WebhookEvents.
type WebhookEventListOptions struct {
	PageOptions
	Status        string
	EventType     string // e.g. "order.status_changed"
	ResourceType  string
	ResourceID    string
	CorrelationID string
	CreatedFrom   time.Time
	CreatedTo     time.Time
	Filters       Filters
}

func (o WebhookEventListOptions) values() url.Values {
	return newQuery().str("status", o.Status).str("event_type", o.EventType).str("resource_type", o.ResourceType).
		str("resource_id", o.ResourceID).str("correlation_id", o.CorrelationID).
		time("created_from", o.CreatedFrom).time("created_to", o.CreatedTo).extra(o.Filters)
}

// WebhookDeliveryListOptions filters (*Client).WebhookDeliveries.
type WebhookDeliveryListOptions struct {
	PageOptions
	Status        string // queued, sending, succeeded, failed
	EndpointID    string
	EventID       string
	EventType     string
	CorrelationID string
	CreatedFrom   time.Time
	CreatedTo     time.Time
	Filters       Filters
}

func (o WebhookDeliveryListOptions) values() url.Values {
	return newQuery().str("status", o.Status).str("endpoint_id", o.EndpointID).str("event_id", o.EventID).
		str("event_type", o.EventType).str("correlation_id", o.CorrelationID).
		time("created_from", o.CreatedFrom).time("created_to", o.CreatedTo).extra(o.Filters)
}

// ReviewListOptions filters (*Client).Reviews.
type ReviewListOptions struct {
	PageOptions
	Rating      int // 1 to 5
	OrderID     int64
	CreatedFrom time.Time
	CreatedTo   time.Time
	Filters     Filters
}

func (o ReviewListOptions) values() url.Values {
	return newQuery().id("rating", int64(o.Rating)).id("order_id", o.OrderID).
		time("created_from", o.CreatedFrom).time("created_to", o.CreatedTo).extra(o.Filters)
}

// PartnerReferralListOptions filters (*Client).PartnerReferrals.
type PartnerReferralListOptions struct {
	PageOptions
	ID          int64
	ClientID    int64
	ClientEmail string
	ClientName  string
	CreatedFrom time.Time
	CreatedTo   time.Time
	Filters     Filters
}

func (o PartnerReferralListOptions) values() url.Values {
	return newQuery().id("id", o.ID).id("client_id", o.ClientID).str("client_email", o.ClientEmail).
		str("client_name", o.ClientName).time("created_from", o.CreatedFrom).time("created_to", o.CreatedTo).
		extra(o.Filters)
}

// PartnerExchangeListOptions filters (*Client).PartnerExchanges.
type PartnerExchangeListOptions struct {
	PageOptions
	ID              int64
	OrderID         int64
	ClientID        int64
	Status          string
	OrderPublicID   string
	OrderTrackingID string
	ClientEmail     string
	BonusMin        string // decimal string
	BonusMax        string // decimal string
	CreatedFrom     time.Time
	CreatedTo       time.Time
	Filters         Filters
}

func (o PartnerExchangeListOptions) values() url.Values {
	return newQuery().id("id", o.ID).id("order_id", o.OrderID).id("client_id", o.ClientID).str("status", o.Status).
		str("order_public_id", o.OrderPublicID).str("order_tracking_id", o.OrderTrackingID).
		str("client_email", o.ClientEmail).str("bonus_min", o.BonusMin).str("bonus_max", o.BonusMax).
		time("created_from", o.CreatedFrom).time("created_to", o.CreatedTo).extra(o.Filters)
}

// PartnerPayoutListOptions filters (*Client).PartnerPayouts.
type PartnerPayoutListOptions struct {
	PageOptions
	ID          int64
	PublicID    string
	Wallet      string
	TxID        string
	Status      string // pending, paid, rejected
	Currency    string
	AmountMin   string // decimal string
	AmountMax   string // decimal string
	CreatedFrom time.Time
	CreatedTo   time.Time
	Filters     Filters
}

func (o PartnerPayoutListOptions) values() url.Values {
	return newQuery().id("id", o.ID).str("public_id", o.PublicID).str("wallet", o.Wallet).str("tx_id", o.TxID).
		str("status", o.Status).str("currency", o.Currency).str("amount_min", o.AmountMin).
		str("amount_max", o.AmountMax).time("created_from", o.CreatedFrom).time("created_to", o.CreatedTo).
		extra(o.Filters)
}
