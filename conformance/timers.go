// The timers of the session loop.

package conformance

import (
	"slices"
	"time"
)

// A pendingTimer is a step armed to run on the loop at a given time.
type pendingTimer struct {
	at  time.Time
	seq int // arming order, to break ties
	f   func()
}

// after runs f on the loop after d, unless the session is over by then.
// Timers fire in deadline order (and in arming order for equal
// deadlines), like the timers of Autobahn's event loop, so that a case's
// outcome does not depend on goroutine scheduling.
func (s *Session) after(d time.Duration, f func()) {
	s.timerSeq++
	t := pendingTimer{at: time.Now().Add(d), seq: s.timerSeq, f: f}
	i, _ := slices.BinarySearchFunc(s.timers, t, func(a, b pendingTimer) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	s.timers = slices.Insert(s.timers, i, t)
}

// fireTimers runs every timer whose deadline is not after now, in
// order, while the connection is up.
func (s *Session) fireTimers(now time.Time) {
	// Once the runner has dropped the connection, later timers have
	// nothing left to decide, even if a late wake-up finds them due.
	for len(s.timers) > 0 && !s.timers[0].at.After(now) && !s.tcpClosed && !s.res.DroppedByMe {
		t := s.timers[0]
		s.timers = s.timers[1:]
		t.f()
	}
}
