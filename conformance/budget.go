package conformance

import "fmt"

// A Budget bounds what one case records of what the peer sends, so that a
// peer that floods the runner (pings, pongs, messages) costs bounded
// memory and a bounded report, whatever it sends and for as long as the
// case lasts. Zero fields take DefaultBudget's values.
//
// The rule when the peer exceeds it: past Events received messages and
// pongs, or EventBytes of their payloads, the runner stops recording
// events, drops the connection and fails the case (Behavior FAILED,
// Result.Truncated says why): no case of the catalogue expects anything
// near that much, so the peer sent what the case did not ask for. Past
// WireLog entries the wire log alone stops growing (Result.WireLogDropped
// counts what it left out); the verdict does not change.
type Budget struct {
	// Events is how many received events (messages and pongs) a case
	// keeps.
	Events int
	// EventBytes is how many payload bytes those events may hold in all.
	EventBytes int64
	// WireLog is how many wire-log entries a case keeps.
	WireLog int
}

// DefaultBudget is the per-case budget Run uses for zero fields. The
// largest echo a case of Autobahn's catalogue records is one 16 MiB
// message (9.1.6), the most events a dozen; cases that exchange many
// messages (9.7, 9.8: 1,000 each) count them rather than record them
// (Session.HandleMessages: one reused buffer, no events), and switch the
// wire log off, as Autobahn's do. 1,000 events, 20 MiB and
// 1,000 wire-log entries leave room for every case.
//
// With it, a running case holds at most 20 MiB of events, the message
// being reassembled included (it counts against EventBytes as it grows),
// and 64 unprocessed reads of 64 KiB (4 MiB); a finished one keeps only
// the previews of its events and its wire log, about 0.4 MiB at most. (A
// case that takes its messages itself, Session.HandleMessages, holds
// instead of events the one message being reassembled, at most the
// runner's 16 MiB message limit, whatever the peer sends.) A
// run holds about 24 MiB times Options.Parallel plus 0.4 MiB per case,
// whatever the peer sends.
var DefaultBudget = Budget{Events: 1_000, EventBytes: 20 << 20, WireLog: 1_000}

// withDefaults returns b with zero fields set from DefaultBudget.
func (b Budget) withDefaults() Budget {
	if b.Events <= 0 {
		b.Events = DefaultBudget.Events
	}
	if b.EventBytes <= 0 {
		b.EventBytes = DefaultBudget.EventBytes
	}
	if b.WireLog <= 0 {
		b.WireLog = DefaultBudget.WireLog
	}
	return b
}

// admit reports whether the session may record an event with a payload
// of n bytes. When it may not, it records why, drops the connection and
// leaves the case to fail.
func (s *Session) admit(n int) bool {
	if s.res.Truncated != "" {
		return false
	}
	if len(s.res.Received) < s.budget.Events && s.eventBytes+int64(n) <= s.budget.EventBytes {
		s.eventBytes += int64(n)
		return true
	}
	s.res.Truncated = fmt.Sprintf("recording stopped after %d events (%d payload bytes): the peer sent more than the case asks for (budget %d events, %d bytes)",
		len(s.res.Received), s.eventBytes, s.budget.Events, s.budget.EventBytes)
	s.drop()
	return false
}
