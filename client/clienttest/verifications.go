package clienttest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// verification is an identity or card verification.
type verification struct {
	id                 int64
	kind               string // "identity" or "card"
	clientID           int64
	status             string // pending, approved, rejected
	fullName, cardMask string
	intents            []string
	orderRef           string
	createdAt          time.Time
	updatedAt          time.Time
}

var verificationLabels = map[string]string{
	"not_submitted": "Not submitted", "pending": "Pending review", "approved": "Approved", "rejected": "Rejected",
}

func (v *verification) json() map[string]any {
	return map[string]any{
		"id": v.id, "type": v.kind, "status": v.statusJSON(), "full_name": nullable(v.fullName),
		"card_number": nullable(v.cardMask), "file_intents": v.intents, "order": nullable(v.orderRef),
		"created_at": ts(v.createdAt), "updated_at": ts(v.updatedAt),
	}
}

func (v *verification) statusJSON() map[string]any {
	if v == nil {
		return map[string]any{"id": nil, "key": "not_submitted", "label": verificationLabels["not_submitted"],
			"is_final_approved": false, "verification_id": nil}
	}
	return map[string]any{"id": v.id, "key": v.status, "label": verificationLabels[v.status],
		"is_final_approved": v.status == "approved", "verification_id": v.id}
}

// latestVerification is the client's newest verification of a kind, or nil.
func (s *Server) latestVerification(clientID int64, kind string) *verification {
	var best *verification
	for _, v := range s.verifications {
		if v.clientID == clientID && v.kind == kind && (best == nil || v.id > best.id) {
			best = v
		}
	}
	return best
}

func (s *Server) requirementsJSON(r Route, o *order, clientID int64) map[string]any {
	var ord any
	if o != nil {
		ord = map[string]any{"id": o.id, "public_id": o.publicID, "tracking_id": o.trackingID}
	}
	identityMode, cardMode := any(nil), any(nil)
	if r.IdentityRequired {
		identityMode = "before_payout"
	}
	if r.CardRequired {
		cardMode = 1
	}
	return map[string]any{
		"route_id": r.ID, "order": ord,
		"identity": map[string]any{"required": r.IdentityRequired, "mode": identityMode,
			"description":     nullable(map[bool]string{true: "A passport or ID card photo is required."}[r.IdentityRequired]),
			"current":         s.latestVerification(clientID, "identity").statusJSON(),
			"create_endpoint": BasePath + "/private/verifications/identity"},
		"card": map[string]any{"required": r.CardRequired, "mode": cardMode,
			"description":     nullable(map[bool]string{true: "A photo of the card with the number visible is required."}[r.CardRequired]),
			"settings":        nil,
			"current":         s.latestVerification(clientID, "card").statusJSON(),
			"create_endpoint": BasePath + "/private/verifications/cards"},
		"files": map[string]any{"upload_intents_endpoint": BasePath + "/private/files/upload-intents"},
	}
}

func (s *Server) hOrderVerifications(rq *request) (reply, *apiError) {
	o, e := s.ownOrder(rq)
	if e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"requirements": s.requirementsJSON(o.route, o, o.clientID)}}, nil
}

func (s *Server) hRequirements(rq *request) (reply, *apiError) {
	if ref := rq.query.Get("order"); ref != "" {
		o := s.findOrder(ref, rq.key.ClientID)
		if o == nil {
			return reply{}, validation("order", "The selected order is invalid.")
		}
		return reply{result: map[string]any{"requirements": s.requirementsJSON(o.route, o, o.clientID)}}, nil
	}
	id, hasID, e := queryInt(rq, "route_id")
	if e != nil {
		return reply{}, e
	}
	from, hasFrom, e := queryInt(rq, "income_payment_system")
	if e != nil {
		return reply{}, e
	}
	to, hasTo, e := queryInt(rq, "outcome_payment_system")
	if e != nil {
		return reply{}, e
	}
	var r Route
	var ok bool
	switch {
	case hasID:
		r, ok = s.routeByID(id)
	case hasFrom && hasTo:
		r, ok = s.routeByPair(from, to)
	default:
		return reply{}, validation("route_id", "Give order, route_id, or income_payment_system and outcome_payment_system.")
	}
	if !ok {
		return reply{}, validation("route_id", "The selected route is invalid.")
	}
	return reply{result: map[string]any{"requirements": s.requirementsJSON(r, nil, rq.key.ClientID)}}, nil
}

// consumeIntent checks that ref is the client's committed intent and marks
// it consumed.
func (s *Server) consumeIntent(rq *request, fe fieldErrors, field, ref string) {
	u, ok := s.intents[ref]
	switch {
	case !ok || u.clientID != rq.key.ClientID:
		fe.add(field, "The upload intent "+ref+" does not exist.")
	case u.status != "committed":
		fe.add(field, "The upload intent "+ref+" is "+u.status+", not committed.")
	}
}

func (s *Server) markConsumed(now time.Time, refs ...string) {
	for _, ref := range refs {
		if u, ok := s.intents[ref]; ok {
			u.status, u.consumedAt = "consumed", now
		}
	}
}

// createVerification validates and stores one verification request.
func (s *Server) createVerification(rq *request, kind string, o object, fe fieldErrors, prefix, orderRef string) *verification {
	v := &verification{kind: kind, clientID: rq.key.ClientID, status: "pending", orderRef: orderRef,
		createdAt: rq.now, updatedAt: rq.now}
	if kind == "identity" {
		v.fullName, _ = o.str(fe, "full_name")
		intents, has := o.strings(fe, "file_intents")
		if !has || len(intents) < 1 || len(intents) > 2 {
			fe.add(prefix+"file_intents", "Give one or two file_intents.")
		}
		for _, ref := range intents {
			s.consumeIntent(rq, fe, prefix+"file_intents", ref)
		}
		v.intents = intents
	} else {
		card, has := o.str(fe, "card_number")
		if !has || len(card) < 12 || len(card) > 23 {
			fe.add(prefix+"card_number", "The card_number field is required (12 to 23 characters).")
		} else {
			v.cardMask = card[:4] + " **** **** " + card[len(card)-4:]
		}
		ref, has := o.str(fe, "file_intent")
		if !has {
			fe.add(prefix+"file_intent", "The file_intent field is required.")
		} else {
			s.consumeIntent(rq, fe, prefix+"file_intent", ref)
			v.intents = []string{ref}
		}
		if v.orderRef == "" {
			v.orderRef, _ = o.str(fe, "order", "order_id")
		}
	}
	return v
}

func (s *Server) storeVerification(rq *request, v *verification) {
	s.nextVerifID++
	v.id = s.nextVerifID
	s.verifications[v.id] = v
	s.markConsumed(rq.now, v.intents...)
	s.emit(rq, "verification."+v.kind+".created", "verification", strconv.FormatInt(v.id, 10), v.clientID,
		map[string]any{"verification": map[string]any{"id": v.id, "type": v.kind, "status": v.status}})
}

func (s *Server) hIdentityCreate(rq *request) (reply, *apiError) {
	return s.verificationCreate(rq, "identity")
}

func (s *Server) hCardCreate(rq *request) (reply, *apiError) { return s.verificationCreate(rq, "card") }

func (s *Server) verificationCreate(rq *request, kind string) (reply, *apiError) {
	o, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	fe := fieldErrors{}
	v := s.createVerification(rq, kind, o, fe, "", "")
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	s.storeVerification(rq, v)
	return reply{status: http.StatusCreated, result: map[string]any{"verification": v.json()}}, nil
}

func (s *Server) hOrderVerificationSubmit(rq *request) (reply, *apiError) {
	body, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	o := s.findOrder(rq.params["order"], rq.key.ClientID)
	if o == nil {
		return reply{}, validation("order", "The selected order is invalid.")
	}
	fe := fieldErrors{}
	var created []*verification
	for _, kind := range []string{"identity", "card"} {
		if sub, has := body.sub(fe, kind); has {
			created = append(created, s.createVerification(rq, kind, sub, fe, kind+".", o.publicID))
		}
	}
	if len(created) == 0 && len(fe) == 0 {
		fe.add("identity", "Give identity, card or both.")
	}
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	out := map[string]any{}
	for _, v := range created {
		s.storeVerification(rq, v)
		out[v.kind] = v.json()
	}
	return reply{result: map[string]any{"verifications": out,
		"requirements": s.requirementsJSON(o.route, o, o.clientID)}}, nil
}

func (s *Server) ownVerification(rq *request, kind string) (*verification, *apiError) {
	id, e := pathInt(rq, "verification", "Verification")
	if e != nil {
		return nil, e
	}
	v, ok := s.verifications[id]
	if !ok || v.kind != kind || v.clientID != rq.key.ClientID {
		return nil, notFound("Verification")
	}
	return v, nil
}

func (s *Server) hIdentityShow(rq *request) (reply, *apiError) {
	return s.verificationShow(rq, "identity")
}
func (s *Server) hCardShow(rq *request) (reply, *apiError) { return s.verificationShow(rq, "card") }

func (s *Server) verificationShow(rq *request, kind string) (reply, *apiError) {
	v, e := s.ownVerification(rq, kind)
	if e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"verification": v.json()}}, nil
}

func (s *Server) hIdentityActions(rq *request) (reply, *apiError) {
	return s.verificationActions(rq, "identity")
}
func (s *Server) hCardActions(rq *request) (reply, *apiError) {
	return s.verificationActions(rq, "card")
}

func (s *Server) verificationActions(rq *request, kind string) (reply, *apiError) {
	v, e := s.ownVerification(rq, kind)
	if e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"actions": map[string]any{
		"status":          v.statusJSON(),
		"allowed_actions": map[string]any{"resubmit": v.status == "rejected", "upload_file": v.status != "approved"},
	}}}, nil
}

// SetVerificationStatus decides a verification as the exchanger's operator
// would ("pending", "approved" or "rejected") and sends the
// verification.*.status_changed webhook.
func (s *Server) SetVerificationStatus(id int64, status string) error {
	if status != "pending" && status != "approved" && status != "rejected" {
		return fmt.Errorf("clienttest: verification status %q is not pending, approved or rejected", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.verifications[id]
	if !ok {
		return fmt.Errorf("clienttest: unknown verification %d", id)
	}
	prev := v.status
	v.status, v.updatedAt = status, s.now()
	if prev != status {
		s.emit(nil, "verification."+v.kind+".status_changed", "verification", strconv.FormatInt(v.id, 10), v.clientID,
			map[string]any{"verification": map[string]any{"id": v.id, "type": v.kind, "status": status, "previous_status": prev}})
	}
	return nil
}
