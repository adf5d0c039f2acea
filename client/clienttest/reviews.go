package clienttest

import (
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// review is a customer review; new ones wait for moderation.
type review struct {
	id                int64
	clientID          int64
	orderID           int64
	name, text        string
	rating, rateSpeed int
	published         bool
	createdAt         time.Time
}

func (r *review) json() map[string]any {
	st := map[string]any{"id": 2, "name": "moderation", "is_published": false}
	if r.published {
		st = map[string]any{"id": 1, "name": "published", "is_published": true}
	}
	var ord any
	if r.orderID != 0 {
		ord = map[string]any{"id": r.orderID}
	}
	return map[string]any{"id": r.id, "status": st, "name": r.name, "text": r.text, "rating": r.rating,
		"order": ord, "timestamps": map[string]any{"created_at": ts(r.createdAt)}}
}

func (s *Server) hReviewList(rq *request) (reply, *apiError) {
	var items []listItem
	for i := len(s.reviews) - 1; i >= 0; i-- {
		r := s.reviews[i]
		if !r.published {
			continue
		}
		items = append(items, listItem{value: r.json(), fields: map[string][]string{
			"rating": {strconv.Itoa(r.rating)}, "order_id": i64s(r.orderID), "created_at": {ts(r.createdAt)},
		}})
	}
	out, page, e := list(rq, items, "rating", "order_id", "created_from", "created_to")
	if e != nil {
		return reply{}, e
	}
	return reply{result: out, page: page}, nil
}

// hReviewCreate accepts one review per own order; it waits for moderation.
func (s *Server) hReviewCreate(rq *request) (reply, *apiError) {
	o, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	fe := fieldErrors{}
	name, hasName := o.str(fe, "name")
	text, hasText := o.str(fe, "text")
	if !hasName || name == "" || utf8.RuneCountInString(name) > 40 {
		fe.add("name", "The name field is required (at most 40 characters).")
	}
	if !hasText || text == "" || utf8.RuneCountInString(text) > 200 {
		fe.add("text", "The text field is required (at most 200 characters).")
	}
	rating, rateSpeed := 5, 5
	for field, dst := range map[string]*int{"rating": &rating, "rate_speed": &rateSpeed} {
		if n, has := o.int(fe, field); has {
			if n < 1 || n > 5 {
				fe.add(field, "The "+field+" must be between 1 and 5.")
			}
			*dst = int(n)
		}
	}
	ref, hasRef := o.str(fe, "order_id", "tracking_id")
	if !hasRef && len(fe) == 0 {
		fe.add("order_id", "The order_id or tracking_id field is required.")
	}
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	ord := s.findOrder(ref, rq.key.ClientID)
	if ord == nil {
		return reply{}, notFound("Order")
	}
	for _, r := range s.reviews {
		if r.orderID == ord.id {
			return reply{}, errf(http.StatusConflict, "review_exists", "This order already has a review.", nil)
		}
	}
	s.nextReviewID++
	r := &review{id: s.nextReviewID, clientID: rq.key.ClientID, orderID: ord.id, name: name, text: text,
		rating: rating, rateSpeed: rateSpeed, createdAt: rq.now}
	s.reviews = append(s.reviews, r)
	s.emit(rq, "review.created", "review", strconv.FormatInt(r.id, 10), r.clientID,
		map[string]any{"review": map[string]any{"id": r.id, "rating": r.rating},
			"order": map[string]any{"id": ord.id, "tracking_id": ord.trackingID, "status": ord.status}})
	return reply{status: http.StatusCreated, result: map[string]any{"review": r.json()}}, nil
}
