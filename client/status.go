package client

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// OrderStatus is an order's status. The API writes it in three shapes and
// all of them decode into this one type (docs/api.md 9):
//
//   - a bare string, as in the prose documentation: "created";
//   - an object, as in openapi.yaml: {"id","key","name","is_final","is_payment_flow","is_problem"};
//   - the compact status endpoint's answer: {"order":{"tracking_id","status","status_label","is_final"}},
//     where "status" is the key (or, tolerated, a status object).
//
// Flags the server did not send stay false: a bare string says nothing about
// finality, so callers that wait for a final status should read it from
// (*Client).OrderStatus, which always reports is_final.
type OrderStatus struct {
	ID            int64  `json:"id,omitempty"`
	Key           string `json:"key"`            // machine name, e.g. "created", "completed"
	Name          string `json:"name,omitempty"` // human label (status_label in the compact shape)
	IsFinal       bool   `json:"is_final"`
	IsPaymentFlow bool   `json:"is_payment_flow,omitempty"`
	IsProblem     bool   `json:"is_problem,omitempty"`
	TrackingID    string `json:"tracking_id,omitempty"` // set by the compact status endpoint
}

// String returns the status key.
func (s OrderStatus) String() string { return s.Key }

// statusShape holds every field of every shape; unknown fields are ignored.
type statusShape struct {
	ID            json.RawMessage `json:"id"`
	Key           string          `json:"key"`
	Name          string          `json:"name"`
	Label         string          `json:"label"`
	StatusLabel   string          `json:"status_label"`
	Status        json.RawMessage `json:"status"`
	IsFinal       *bool           `json:"is_final"`
	IsPaymentFlow *bool           `json:"is_payment_flow"`
	IsProblem     *bool           `json:"is_problem"`
	TrackingID    string          `json:"tracking_id"`
	Order         json.RawMessage `json:"order"`
}

// UnmarshalJSON decodes any of the documented shapes.
func (s *OrderStatus) UnmarshalJSON(b []byte) error {
	return s.decode(b, 0)
}

// maxStatusDepth bounds the nesting of "order" and "status" wrappers, so a
// hostile body cannot make decoding recurse without end.
const maxStatusDepth = 4

func (s *OrderStatus) decode(b []byte, depth int) error {
	if depth > maxStatusDepth {
		return fmt.Errorf("client: order status nested too deep")
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	switch b[0] {
	case '"':
		return json.Unmarshal(b, &s.Key)
	case '{':
	default:
		return fmt.Errorf("client: order status is neither a string nor an object: %.32s", b)
	}
	var v statusShape
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if len(v.Order) > 0 && string(v.Order) != "null" {
		// The status endpoint's wrapper: everything is inside "order".
		if err := s.decode(v.Order, depth+1); err != nil {
			return err
		}
	}
	if len(v.Status) > 0 && string(v.Status) != "null" {
		if err := s.decode(v.Status, depth+1); err != nil {
			return err
		}
	}
	nested := len(v.Status) > 0 && string(v.Status) != "null"
	if id, ok := flexInt(v.ID); ok && !nested {
		s.ID = id // beside a nested status, "id" is the order's, not the status's
	}
	if v.Key != "" {
		s.Key = v.Key
	}
	for _, name := range []string{v.Name, v.StatusLabel, v.Label} {
		if name != "" {
			s.Name = name
			break
		}
	}
	if v.IsFinal != nil {
		s.IsFinal = *v.IsFinal
	}
	if v.IsPaymentFlow != nil {
		s.IsPaymentFlow = *v.IsPaymentFlow
	}
	if v.IsProblem != nil {
		s.IsProblem = *v.IsProblem
	}
	if v.TrackingID != "" {
		s.TrackingID = v.TrackingID
	}
	return nil
}

// flexInt reads an integer written as a JSON number or a numeric string.
func flexInt(raw json.RawMessage) (int64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		raw = []byte(s)
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	return n, err == nil
}

// decodeStatusList reads a status dictionary: an array of statuses (strings
// or objects), an object wrapping it under "statuses", or an object mapping
// each key to its label or to a status object.
func decodeStatusList(raw json.RawMessage) ([]OrderStatus, error) {
	raw = bytes.TrimSpace(emptyArraysToNull(raw))
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '[' {
		var out []OrderStatus
		err := json.Unmarshal(raw, &out)
		return out, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("client: decode order statuses: %w", err)
	}
	if inner, ok := m["statuses"]; ok {
		return decodeStatusList(inner)
	}
	out := make([]OrderStatus, 0, len(m))
	for key, v := range m {
		st := OrderStatus{Key: key}
		v = bytes.TrimSpace(v)
		if len(v) > 0 && v[0] == '"' {
			if err := json.Unmarshal(v, &st.Name); err != nil {
				return nil, err
			}
		} else if err := st.UnmarshalJSON(v); err != nil {
			return nil, err
		}
		if st.Key == "" {
			st.Key = key
		}
		out = append(out, st)
	}
	sortStatuses(out)
	return out, nil
}

// sortStatuses orders a dictionary read from a JSON object (whose key order
// Go does not keep) by id, then key, so results are stable.
func sortStatuses(s []OrderStatus) {
	slices.SortFunc(s, func(a, b OrderStatus) int {
		if c := cmp.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
}
