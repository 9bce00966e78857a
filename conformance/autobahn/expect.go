package autobahn

import (
	"strings"

	"github.com/wskit/wskit/conformance"
)

// Expected closes shared by many cases.
var (
	// closeNormal: the runner closes with 1000 once the expected events
	// arrived; the testee answers 1000 (or an empty Close) and closes TCP.
	closeNormal = conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true}
	// failProtocol: the testee must fail the connection, with 1002 or by
	// dropping TCP.
	failProtocol = conformance.ExpectedClose{ClosedByMe: false, CloseCode: []int{1002}, RequireClean: false}
	// failUTF8: the testee must fail the connection with 1007 (or drop
	// TCP); leaving it to the runner fails the case.
	failUTF8 = conformance.ExpectedClose{ClosedByMe: false, CloseCode: []int{1007}, RequireClean: false, ClosedByWrongEndpointIsFatal: true}
)

// ok returns an expectation with only an OK list.
func ok(evs ...conformance.Event) map[conformance.Verdict][]conformance.Event {
	if evs == nil {
		evs = []conformance.Event{}
	}
	return map[conformance.Verdict][]conformance.Event{conformance.OK: evs}
}

// okOrNothing returns an expectation where the events earn OK and
// receiving nothing earns NON-STRICT.
func okOrNothing(evs ...conformance.Event) map[conformance.Verdict][]conformance.Event {
	return map[conformance.Verdict][]conformance.Event{conformance.OK: evs, conformance.NonStrict: {}}
}

// text and pong build expected events from strings.
func text(s string) conformance.Event { return conformance.Message([]byte(s), false) }
func pong(s string) conformance.Event { return conformance.Pong([]byte(s)) }

// reqs lists requirement IDs.
func reqs(ids ...string) []string { return ids }

// withReqs returns ids followed by more, in a new slice.
func withReqs(ids []string, more ...string) []string {
	return append(append([]string(nil), ids...), more...)
}

// fill returns n copies of b.
func fill(b byte, n int) []byte {
	return []byte(strings.Repeat(string([]byte{b}), n))
}
