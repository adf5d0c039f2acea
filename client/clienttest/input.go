package clienttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// object is a decoded JSON request body. The server accepts aliases and
// numbers sent as strings, so fields are read loosely, by name.
type object map[string]json.RawMessage

// decodeObject reads a JSON object body; an empty body is an empty object.
func decodeObject(rq *request, required bool) (object, *apiError) {
	b := bytes.TrimSpace(rq.body)
	if len(b) == 0 {
		if required {
			return nil, errf(http.StatusBadRequest, "invalid_json", "The request body must be a JSON object.", nil)
		}
		return object{}, nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var o object
	if err := d.Decode(&o); err != nil || o == nil {
		return nil, errf(http.StatusBadRequest, "invalid_json", "The request body is not a valid JSON object.", nil)
	}
	if d.More() {
		return nil, errf(http.StatusBadRequest, "invalid_json", "The request body has data after the JSON object.", nil)
	}
	return o, nil
}

func (o object) has(name string) bool {
	v, ok := o[name]
	return ok && string(v) != "null"
}

// str reads the first present field of names as a string; a JSON number is
// taken as its literal text (amounts may be sent as numbers).
func (o object) str(fe fieldErrors, names ...string) (string, bool) {
	for _, n := range names {
		if !o.has(n) {
			continue
		}
		raw := o[n]
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return s, true
		}
		var num json.Number
		if err := json.Unmarshal(raw, &num); err == nil && !strings.ContainsAny(string(raw), "\"") {
			return num.String(), true
		}
		fe.add(n, "The "+n+" must be a string.")
		return "", false
	}
	return "", false
}

// int reads the first present field of names as an integer (a numeric string
// is accepted too).
func (o object) int(fe fieldErrors, names ...string) (int64, bool) {
	for _, n := range names {
		if !o.has(n) {
			continue
		}
		raw := strings.Trim(string(o[n]), "\"")
		v, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			fe.add(n, "The "+n+" must be an integer.")
			return 0, false
		}
		return v, true
	}
	return 0, false
}

func (o object) strings(fe fieldErrors, name string) ([]string, bool) {
	if !o.has(name) {
		return nil, false
	}
	var out []string
	if err := json.Unmarshal(o[name], &out); err != nil {
		fe.add(name, "The "+name+" must be an array of strings.")
		return nil, false
	}
	return out, true
}

func (o object) sub(fe fieldErrors, name string) (object, bool) {
	if !o.has(name) {
		return nil, false
	}
	d := json.NewDecoder(bytes.NewReader(o[name]))
	d.UseNumber()
	var sub object
	if err := d.Decode(&sub); err != nil || sub == nil {
		fe.add(name, "The "+name+" must be an object.")
		return nil, false
	}
	return sub, true
}

func (o object) any(name string) any {
	if !o.has(name) {
		return nil
	}
	var v any
	_ = json.Unmarshal(o[name], &v)
	return v
}
