package clienttest

import "time"

// The partner cabinet: a fixed, small data set, enough to exercise the
// partner endpoints, their lists and filters.

func (s *Server) partnerBase() time.Time {
	return s.cfg.clock().UTC().Truncate(24 * time.Hour).Add(-10 * 24 * time.Hour)
}

func (s *Server) hPartner(rq *request) (reply, *apiError) {
	return reply{result: map[string]any{"partner": map[string]any{
		"id": rq.key.ClientID, "ref_link": "https://exchanger.example/?ref=" + "P" + i64s(rq.key.ClientID)[0],
		"percent": "0.3", "balance": "12.50", "currency": "USD", "referrals": 2, "exchanges": 3,
	}}}, nil
}

func (s *Server) hPartnerStatistics(rq *request) (reply, *apiError) {
	return reply{result: map[string]any{"statistics": map[string]any{
		"referrals": 2, "exchanges": 3, "earned": "17.50", "paid_out": "5.00", "balance": "12.50", "currency": "USD",
	}}}, nil
}

func (s *Server) hPartnerReferrals(rq *request) (reply, *apiError) {
	base := s.partnerBase()
	rows := []map[string]any{
		{"id": 1, "client_id": 501, "client_email": "alice@example.test", "client_name": "Alice", "created_at": ts(base)},
		{"id": 2, "client_id": 502, "client_email": "bob@example.test", "client_name": "Bob", "created_at": ts(base.Add(48 * time.Hour))},
	}
	return s.partnerList(rq, rows, "id", "client_id", "client_email", "client_name", "created_from", "created_to")
}

func (s *Server) hPartnerExchanges(rq *request) (reply, *apiError) {
	base := s.partnerBase()
	rows := []map[string]any{
		{"id": 1, "order_id": 901, "order_public_id": "ORD-00000901", "order_tracking_id": "TRK9010001", "client_id": 501,
			"client_email": "alice@example.test", "status": "completed", "bonus": "5.00", "created_at": ts(base.Add(24 * time.Hour))},
		{"id": 2, "order_id": 902, "order_public_id": "ORD-00000902", "order_tracking_id": "TRK9020002", "client_id": 502,
			"client_email": "bob@example.test", "status": "completed", "bonus": "7.50", "created_at": ts(base.Add(72 * time.Hour))},
		{"id": 3, "order_id": 903, "order_public_id": "ORD-00000903", "order_tracking_id": "TRK9030003", "client_id": 501,
			"client_email": "alice@example.test", "status": "completed", "bonus": "5.00", "created_at": ts(base.Add(96 * time.Hour))},
	}
	return s.partnerList(rq, rows, "id", "order_id", "client_id", "status", "order_public_id", "order_tracking_id",
		"client_email", "bonus_min", "bonus_max", "created_from", "created_to")
}

func (s *Server) hPartnerPayouts(rq *request) (reply, *apiError) {
	base := s.partnerBase()
	rows := []map[string]any{
		{"id": 1, "public_id": "PAY-0001", "wallet": "TXfakeWallet0001", "tx_id": "0xfaketx0001", "status": "paid",
			"currency": "USDT", "amount": "5.00", "created_at": ts(base.Add(120 * time.Hour))},
		{"id": 2, "public_id": "PAY-0002", "wallet": "TXfakeWallet0001", "tx_id": nil, "status": "pending",
			"currency": "USDT", "amount": "12.50", "created_at": ts(base.Add(200 * time.Hour))},
	}
	return s.partnerList(rq, rows, "id", "public_id", "wallet", "tx_id", "status", "currency", "amount_min",
		"amount_max", "created_from", "created_to")
}

// partnerList turns rows into list items whose filter fields are the rows'
// own scalar values.
func (s *Server) partnerList(rq *request, rows []map[string]any, filters ...string) (reply, *apiError) {
	var items []listItem
	for _, r := range rows {
		f := map[string][]string{}
		for k, v := range r {
			switch v := v.(type) {
			case string:
				f[k] = []string{v}
			case int:
				f[k] = i64s(int64(v))
			}
		}
		items = append(items, listItem{value: r, fields: f})
	}
	out, page, e := list(rq, items, filters...)
	if e != nil {
		return reply{}, e
	}
	return reply{result: out, page: page}, nil
}
