package autobahn

import (
	"fmt"

	"github.com/wskit/wskit/conformance"

	"github.com/wskit/wskit/spec"
)

// opcodes is category 4.
var opcodes = &Category{ID: "4", Name: "Opcodes", AutobahnCases: 10, build: opcodeCases,
	Captions: map[string]string{
		"4.1": "Non-control Opcodes",
		"4.2": "Control Opcodes",
	},
}

// opcodeCases are category 4: reserved opcodes.
func opcodeCases() []*conformance.Case {
	hello := []byte("Hello, world!")
	var out []*conformance.Case
	for sub, ops := range [][]int{{3, 4, 5, 6, 7}, {11, 12, 13, 14, 15}} {
		kind := "non-control"
		if sub == 1 {
			kind = "control"
		}
		for i, op := range ops {
			id := fmt.Sprintf("4.%d.%d", sub+1, i+1)
			req := reqs("R-5.2-opcode-fail")
			switch i {
			case 0, 1:
				var payload []byte
				if i == 1 {
					payload = []byte("reserved opcode payload")
				}
				out = append(out, &conformance.Case{
					ID:           id,
					Description:  fmt.Sprintf("Send a frame with reserved %s opcode %d.", kind, op),
					Expectation:  "The connection is failed immediately (1002).",
					Requirements: req,
					Expected:     ok(),
					Close:        failProtocol,
					Open: func(s *conformance.Session) {
						s.SendFrame(conformance.Frame{Opcode: op, Fin: true, Payload: payload})
						s.KillAfter(1)
					},
				})
			default:
				var payload []byte
				if i > 2 {
					payload = hello
				}
				chop := 0
				how := "in one burst"
				if i == 4 {
					chop, how = 1, "each written one octet at a time"
				}
				out = append(out, &conformance.Case{
					ID:          id,
					Description: fmt.Sprintf("Send a small text message, then a frame with reserved %s opcode %d, then a ping, %s.", kind, op, how),
					Expectation: "The text message is echoed, then the connection is failed (1002) at the reserved opcode, " +
						"before the ping is answered. Failing before the echo is NON-STRICT.",
					Requirements: withReqs(req, "R-7.1.7-fail-stop"),
					Expected:     okOrNothing(text("Hello, world!")),
					Close:        failProtocol,
					Open: func(s *conformance.Session) {
						s.SendFrame(conformance.Frame{Opcode: int(spec.OpText), Fin: true, Payload: hello, ChopSize: chop})
						s.SendFrame(conformance.Frame{Opcode: op, Fin: true, Payload: payload, ChopSize: chop})
						s.SendFrame(conformance.Frame{Opcode: int(spec.OpPing), Fin: true, ChopSize: chop})
						s.KillAfter(1)
					},
				})
			}
		}
	}
	return out
}
