package autobahn

import (
	"fmt"

	"github.com/wskit/wskit/conformance"

	"github.com/wskit/wskit/spec"
)

// misc is category 10.
var misc = &Category{ID: "10", Name: "Misc", AutobahnCases: 1, build: miscCases,
	Captions: map[string]string{
		"10.1": "Auto-Fragmentation",
	},
}

// miscCases are category 10.
func miscCases() []*conformance.Case {
	payload := fill('*', 65536)
	const fragment = 1300
	return []*conformance.Case{{
		ID:           "10.1.1",
		Description:  "Send a 65536-octet text message fragmented by the runner into frames of 1300 octets.",
		Expectation:  "The message is echoed whole (and the runner sent 1 text and 50 continuation frames). Clean close with normal code.",
		Requirements: reqs("R-5.4-fragmented", "R-5.4-no-boundary-semantics", "R-5.4-recv-both"),
		Expected:     ok(text(string(payload))),
		Close:        closeNormal,
		Open: func(s *conformance.Session) {
			s.SendMessage(int(spec.OpText), payload, fragment, false)
			s.KillAfter(10)
		},
		Judge: func(s *conformance.Session, r *conformance.Result) {
			want := [2]int{len(payload) / fragment, 0}
			if len(payload)%fragment > 0 {
				want[1] = 1
			}
			got := [2]int{s.FramesSent(int(spec.OpContinuation)), s.FramesSent(int(spec.OpText))}
			if got != want {
				r.Behavior = conformance.Failed
				r.Result = fmt.Sprintf("Frames transmitted {0: %d, 1: %d} does not match what we expected {0: %d, 1: %d}.", got[0], got[1], want[0], want[1])
			}
		},
	}}
}
