package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// FlexString is a scalar the vendor sends either as a JSON string or as a
// number (ids, counts). It keeps the text exactly as written; null is "".
type FlexString string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = FlexString(s)
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("webhook: want a string or number, got %.20s", b)
	default:
		*f = FlexString(b)
	}
	return nil
}

// Decimal is an amount of money as decimal text, for example "100.50". It
// accepts a JSON string or a JSON number and keeps the digits as written:
// money never passes through a float.
type Decimal string

// UnmarshalJSON accepts a string, a number or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	var f FlexString
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	*d = Decimal(f)
	return nil
}

// Status is a status that the vendor sends either as a plain string
// ("created") or as an object ({"id","key","name","is_final",...}). Key holds
// the machine name in both cases.
type Status struct {
	ID            FlexString `json:"id,omitempty"`
	Key           string     `json:"key"`
	Name          string     `json:"name,omitempty"`
	IsFinal       bool       `json:"is_final,omitempty"`
	IsPaymentFlow bool       `json:"is_payment_flow,omitempty"`
	IsProblem     bool       `json:"is_problem,omitempty"`
}

// String returns the status key.
func (s Status) String() string { return s.Key }

// UnmarshalJSON accepts a string, an object or null. In an object, "key" is
// the machine name; "status" and "name" stand in when it is missing.
func (s *Status) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*s = Status{}
		return nil
	}
	if b[0] != '{' {
		var f FlexString
		if err := f.UnmarshalJSON(b); err != nil {
			return err
		}
		*s = Status{Key: string(f)}
		return nil
	}
	var obj struct {
		ID            FlexString `json:"id"`
		Key           FlexString `json:"key"`
		Status        FlexString `json:"status"`
		Name          FlexString `json:"name"`
		Label         FlexString `json:"label"`
		IsFinal       bool       `json:"is_final"`
		IsPaymentFlow bool       `json:"is_payment_flow"`
		IsProblem     bool       `json:"is_problem"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*s = Status{ID: obj.ID, Key: string(obj.Key), Name: string(obj.Name),
		IsFinal: obj.IsFinal, IsPaymentFlow: obj.IsPaymentFlow, IsProblem: obj.IsProblem}
	if s.Key == "" {
		s.Key = string(obj.Status)
	}
	if s.Name == "" {
		s.Name = string(obj.Label)
	}
	if s.Key == "" {
		s.Key = s.Name
	}
	return nil
}
