package interop

import (
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/wskit/wskit/spec"
)

// A wireFrame is a frame the library sent, as the harness decoded it: a
// whole data message (OpText or OpBinary, reassembled) or a control frame.
type wireFrame struct {
	Op   spec.Opcode
	Data []byte
	// Code is the status code of a Close (1005 for an empty body).
	Code int
}

// A session records one connection with a library as it goes: what the
// library's application received, what the library sent on the wire, and
// how each side ended. Its waiters block on a broadcast channel, each with
// its own timeout.
type session struct {
	mu     sync.Mutex
	signal chan struct{} // closed and replaced on every change

	delivered []Message
	// proceed gates the application: after delivering its k-th message
	// it reads on only once proceed >= k, as an application that answers
	// each message before reading the next (conn.json's "send" steps
	// answer the events of the "receive" before them).
	proceed  int
	appEnded bool
	appErr   error
	panicked string

	frames    []wireFrame
	wireEnded bool  // the library closed the transport (or it broke)
	wireErr   error // the library sent bytes the harness could not decode
}

// unlimited lets the application read freely.
const unlimited = int(^uint(0) >> 1)

func newSession() *session { return &session{signal: make(chan struct{}), proceed: unlimited} }

// setProceed sets how far the application may read (see proceed).
func (s *session) setProceed(n int) { s.update(func() { s.proceed = n }) }

// changed wakes every waiter; the caller holds s.mu.
func (s *session) changed() {
	close(s.signal)
	s.signal = make(chan struct{})
}

// update runs f under the lock and wakes the waiters.
func (s *session) update(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
	s.changed()
}

// wait blocks until cond (called under the lock) holds or d has passed,
// and reports whether cond held.
func (s *session) wait(d time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		ok, ch := cond(), s.signal
		s.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-ch:
		case <-deadline.C:
			s.mu.Lock()
			defer s.mu.Unlock()
			return cond()
		}
	}
}

// An outgoingTaker holds back bytes it owes until TakeOutgoing.
type outgoingTaker interface{ TakeOutgoing() }

// runApp is the library's application: it reads messages until Read
// fails, recording each one, and recovers a panic raised by the library
// in this goroutine.
func (s *session) runApp(ep Endpoint) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("panic: %v\n%s", r, firstLines(debug.Stack(), 12))
			s.update(func() { s.panicked, s.appEnded = msg, true })
		}
	}()
	for {
		m, err := ep.Read()
		if err != nil {
			s.update(func() { s.appEnded, s.appErr = true, err })
			// An endpoint that holds back what it owes (wskit's Conn
			// holds the Close echo so the application can answer first)
			// hands it out when the script takes it.
			if t, ok := ep.(outgoingTaker); ok {
				s.wait(wireDeadline, func() bool { return s.proceed == unlimited })
				t.TakeOutgoing()
			}
			return
		}
		var k int
		s.update(func() { s.delivered = append(s.delivered, m); k = len(s.delivered) })
		s.wait(wireDeadline, func() bool { return s.proceed >= k })
	}
}

// snapshot returns copies of what the session recorded.
func (s *session) snapshot() (delivered []Message, frames []wireFrame) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.delivered...), append([]wireFrame(nil), s.frames...)
}

// firstLines cuts a stack trace to n lines.
func firstLines(b []byte, n int) string {
	for i, c := range b {
		if c == '\n' {
			n--
			if n == 0 {
				return string(b[:i])
			}
		}
	}
	return string(b)
}
