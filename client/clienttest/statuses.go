package clienttest

// Order statuses of the fake (the keys of GET /public/orders/statuses).
const (
	StatusCreated    = "created"    // waiting for the customer's payment
	StatusPaid       = "paid"       // the customer says they paid (confirm type=paid)
	StatusProcessing = "processing" // payment received, payout in progress
	StatusCompleted  = "completed"  // final: paid out
	StatusCancelled  = "cancelled"  // final: cancelled by the customer or the exchanger
	StatusExpired    = "expired"    // final: not paid in time
	StatusError      = "error"      // a problem an operator must look at
)

type statusInfo struct {
	id                        int
	key, name                 string
	final, paymentFlow, issue bool
}

var statusTable = []statusInfo{
	{1, StatusCreated, "Waiting for payment", false, true, false},
	{2, StatusPaid, "Payment sent", false, true, false},
	{3, StatusProcessing, "Processing", false, false, false},
	{4, StatusCompleted, "Completed", true, false, false},
	{5, StatusCancelled, "Cancelled", true, false, false},
	{6, StatusExpired, "Expired", true, false, false},
	{7, StatusError, "Problem", false, false, true},
}

func lookupStatus(key string) (statusInfo, bool) {
	for _, st := range statusTable {
		if st.key == key {
			return st, true
		}
	}
	return statusInfo{}, false
}

// Statuses lists the order status keys, in life-cycle order.
func Statuses() []string {
	out := make([]string, len(statusTable))
	for i, st := range statusTable {
		out[i] = st.key
	}
	return out
}

// IsFinal reports whether an order in status key can change no more.
func IsFinal(key string) bool {
	st, ok := lookupStatus(key)
	return ok && st.final
}

func (st statusInfo) json() map[string]any {
	return map[string]any{"id": st.id, "key": st.key, "name": st.name, "is_final": st.final,
		"is_payment_flow": st.paymentFlow, "is_problem": st.issue}
}

func (s *Server) hStatuses(rq *request) (reply, *apiError) {
	out := []map[string]any{}
	for _, st := range statusTable {
		out = append(out, st.json())
	}
	return reply{result: map[string]any{"statuses": out}}, nil
}
