package client

import (
	"context"
	"net/http/httptrace"
	"sync"
	"time"
)

// The client's call timeout (WithTimeout, DefaultTimeout) is a deadline on
// the context of every call whose own context has none. context.WithTimeout
// gives each call a runtime timer and a cancelCtx, and net/http then hangs
// its own per-request context under that one (a children map and a mutex):
// from 64 goroutines that was the largest cost left on the request path.
//
// A call whose context cannot be cancelled (context.Background, TODO,
// values over them, WithoutCancel) takes a timeoutCtx instead: the
// deadline is kept by one timer per client (timeoutQueue), and net/http's
// per-request context registers through AfterFunc, without a map. Every
// call of one client has the same timeout, so deadlines come in the order
// the calls start, and the queue is a list in deadline order: the timer is
// set for the first deadline only, and is not touched when calls end. A
// call whose context can be cancelled keeps context.WithTimeout, which
// propagates the caller's cancellation and its cause exactly.
//
// A transport of the caller's own below the SDK that wraps the request's
// context (context.WithValue, as tracing middleware does) hides AfterFunc
// from net/http, which then watches the call's context from a goroutine
// that lives as long as the request. That costs about what the queue
// saves, is bounded by the requests in flight, and ends with each request;
// the deadline and its error are the same either way.

// timeoutQueue holds a client's calls that have a timeoutCtx, in deadline
// order, and ends each one that is still running at its deadline.
type timeoutQueue struct {
	d  time.Duration
	mu sync.Mutex
	// head and tail of the calls in flight, oldest deadline first.
	head, tail *timeoutCtx
	timer      *time.Timer // made on first use; fires at head's deadline when armed
	armed      bool        // the timer is set to fire
}

// newTimeoutQueue returns a queue for calls of timeout d (> 0).
func newTimeoutQueue(d time.Duration) *timeoutQueue { return &timeoutQueue{d: d} }

// start returns parent with the queue's timeout as its deadline; the
// call ends it with end once it is done, as it would call a cancel
// function. parent must have no deadline and no Done channel.
func (q *timeoutQueue) start(parent context.Context) *timeoutCtx {
	t := &timeoutCtx{Context: parent, q: q}
	q.mu.Lock()
	// The time is read under the lock, so the list is in deadline order.
	t.deadline = time.Now().Add(q.d)
	t.queued = true
	if q.tail == nil {
		q.head, q.tail = t, t
	} else {
		t.prev, q.tail.next, q.tail = q.tail, t, t
	}
	if !q.armed {
		q.armed = true
		if q.timer == nil {
			q.timer = time.AfterFunc(q.d, q.expire)
		} else {
			q.timer.Reset(q.d)
		}
	}
	q.mu.Unlock()
	return t
}

// remove takes t out of the list; it reports whether t was in it. The
// timer stays set: when it fires for a call that ended, expire sets it
// again for the first deadline left.
func (q *timeoutQueue) remove(t *timeoutCtx) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !t.queued {
		return false
	}
	q.unlink(t)
	return true
}

// unlink takes t out of the list; q.mu is held.
func (q *timeoutQueue) unlink(t *timeoutCtx) {
	if t.prev != nil {
		t.prev.next = t.next
	} else {
		q.head = t.next
	}
	if t.next != nil {
		t.next.prev = t.prev
	} else {
		q.tail = t.prev
	}
	t.prev, t.next, t.queued = nil, nil, false
}

// expire runs on the timer: it ends every call whose deadline has come and
// sets the timer for the first deadline left.
func (q *timeoutQueue) expire() {
	var due []*timeoutCtx
	q.mu.Lock()
	now := time.Now()
	for q.head != nil && !now.Before(q.head.deadline) {
		t := q.head
		q.unlink(t)
		due = append(due, t)
	}
	q.armed = q.head != nil
	if q.armed {
		q.timer.Reset(q.head.deadline.Sub(now))
	}
	q.mu.Unlock()
	for _, t := range due {
		t.cancel(context.DeadlineExceeded)
	}
}

// timeoutCtx is a call's context when the caller's has no deadline and
// cannot be cancelled: the caller's values, the client's timeout as its
// deadline. It implements AfterFunc (the context package's afterFuncer),
// so a context derived from it (net/http's per-request one) registers here
// rather than in a map, and no goroutine waits for it.
type timeoutCtx struct {
	context.Context // the caller's: values only, never done

	q          *timeoutQueue
	deadline   time.Time
	prev, next *timeoutCtx // in q, under q.mu
	queued     bool        // in q, under q.mu

	mu    sync.Mutex
	done  chan struct{} // made on first use
	err   error
	seq   uint64        // numbers the AfterFunc registrations
	funcs []registered  // not yet run or stopped; backed by one at first
	one   [1]registered // net/http registers one per attempt, stopped before the next
}

// registered is one AfterFunc registration of a timeoutCtx.
type registered struct {
	id uint64
	f  func()
}

// Deadline is the call's deadline.
func (t *timeoutCtx) Deadline() (time.Time, bool) { return t.deadline, true }

// Done is closed at the deadline, or when the call ends.
func (t *timeoutCtx) Done() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done == nil {
		t.done = make(chan struct{})
		if t.err != nil {
			close(t.done)
		}
	}
	return t.done
}

// Err is context.DeadlineExceeded after the deadline, context.Canceled
// after the call ended, else nil.
func (t *timeoutCtx) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// AfterFunc arranges for f to run in its own goroutine once t is done; stop
// unregisters it, reporting whether that kept it from running.
func (t *timeoutCtx) AfterFunc(f func()) (stop func() bool) {
	t.mu.Lock()
	if t.err != nil {
		t.mu.Unlock()
		go f()
		return func() bool { return false }
	}
	if t.funcs == nil {
		t.funcs = t.one[:0]
	}
	t.seq++
	id := t.seq
	t.funcs = append(t.funcs, registered{id, f})
	t.mu.Unlock()
	return func() bool { return t.unregister(id) }
}

// unregister removes registration id, if it has not run.
func (t *timeoutCtx) unregister(id uint64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, r := range t.funcs {
		if r.id == id {
			n := len(t.funcs)
			copy(t.funcs[i:], t.funcs[i+1:])
			t.funcs[n-1] = registered{} // drop f: it holds the derived context
			t.funcs = t.funcs[:n-1]
			return true
		}
	}
	return false
}

// cancel ends t with err (the first error wins) and runs the registered
// functions.
func (t *timeoutCtx) cancel(err error) {
	t.mu.Lock()
	if t.err != nil {
		t.mu.Unlock()
		return
	}
	t.err = err
	if t.done != nil {
		close(t.done)
	}
	funcs := t.funcs
	t.funcs = nil
	t.mu.Unlock()
	for _, r := range funcs {
		go r.f()
	}
}

// end is the call's cancel function: t leaves the queue and is done with
// context.Canceled, as a context.WithTimeout's is when its call returns.
func (t *timeoutCtx) end() {
	t.q.remove(t)
	t.cancel(context.Canceled)
}

// String describes the context as the context package's own do (without
// the caller's values).
func (t *timeoutCtx) String() string {
	return "client.callContext.WithDeadline(" + t.deadline.String() + ")"
}

// withClientTrace is httptrace.WithClientTrace for an attempt's context.
// Over a timeoutCtx the trace goes below it, among the caller's values:
// a context.WithValue around it would hide its AfterFunc, and net/http
// would then watch it from a goroutine of its own for every request.
func withClientTrace(ctx context.Context, trace *httptrace.ClientTrace) context.Context {
	t, ok := ctx.(*timeoutCtx)
	if !ok {
		return httptrace.WithClientTrace(ctx, trace)
	}
	return &tracedCtx{timeoutCtx: t, values: httptrace.WithClientTrace(t.Context, trace)}
}

// tracedCtx is a timeoutCtx with an attempt's trace among its values.
type tracedCtx struct {
	*timeoutCtx
	values context.Context
}

// Value looks key up among the caller's values and the trace.
func (c *tracedCtx) Value(key any) any { return c.values.Value(key) }
