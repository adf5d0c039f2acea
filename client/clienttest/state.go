package clienttest

import (
	"time"
)

// state is the fake's data; it lives in Server, guarded by Server.mu.
type state struct {
	paymentSystems []PaymentSystem
	routes         []Route
	orders         []*order
	nextOrderID    int64
	intents        map[string]*uploadIntent // by uuid
	nextIntentID   int64
	verifications  map[int64]*verification
	nextVerifID    int64
	reviews        []*review
	nextReviewID   int64
	endpoints      []*endpoint
	events         []*event
	deliveries     []*delivery
	whDropUntil    time.Time // real time; see DropWebhookDeliveries
	timers         []*time.Timer
}

func (s *Server) initState() {
	s.paymentSystems = append([]PaymentSystem(nil), s.cfg.seed.PaymentSystems...)
	s.routes = append([]Route(nil), s.cfg.seed.Routes...)
	s.nextOrderID = 1000
	s.intents = map[string]*uploadIntent{}
	s.verifications = map[int64]*verification{}
	created := s.cfg.clock().UTC().Add(-72 * time.Hour)
	s.reviews = []*review{
		{id: 1, name: "Anna", text: "Fast exchange, thanks!", rating: 5, published: true, createdAt: created},
		{id: 2, name: "Igor", text: "All good, took ten minutes.", rating: 4, published: true, createdAt: created.Add(time.Hour)},
	}
	s.nextReviewID = 2
}

func (s *Server) paymentSystem(id int64) (PaymentSystem, bool) {
	for _, p := range s.paymentSystems {
		if p.ID == id {
			return p, true
		}
	}
	return PaymentSystem{}, false
}

func (s *Server) paymentSystemByCode(code string) (PaymentSystem, bool) {
	for _, p := range s.paymentSystems {
		if p.LetterCode == code {
			return p, true
		}
	}
	return PaymentSystem{}, false
}

func (s *Server) routeByID(id int64) (Route, bool) {
	for _, r := range s.routes {
		if r.ID == id && !r.Disabled {
			return r, true
		}
	}
	return Route{}, false
}

func (s *Server) routeByPair(from, to int64) (Route, bool) {
	for _, r := range s.routes {
		if r.From == from && r.To == to && !r.Disabled {
			return r, true
		}
	}
	return Route{}, false
}

func (s *Server) activeRoutes() []Route {
	var out []Route
	for _, r := range s.routes {
		if !r.Disabled {
			out = append(out, r)
		}
	}
	return out
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func tsPtr(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// timeNow is the real time, for timers; the API's timestamps use s.now.
func timeNow() time.Time { return time.Now() }
