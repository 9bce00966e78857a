package autobahn

import (
	"github.com/wskit/wskit/spec"

	"github.com/wskit/wskit/conformance"
)

// reservedBits is category 3.
var reservedBits = &Category{ID: "3", Name: "Reserved Bits", AutobahnCases: 7, build: rsvCases}

// rsvCases are category 3: RSV bits no extension negotiated.
func rsvCases() []*conformance.Case {
	hello := []byte("Hello, world!")
	single := func(id, desc string, f conformance.Frame) *conformance.Case {
		return &conformance.Case{
			ID: id, Description: desc,
			Expectation:  "The connection is failed immediately (1002), since no extension was negotiated.",
			Requirements: reqs("R-5.2-rsv-zero", "R-5.2-rsv-fail"),
			Expected:     ok(),
			Close:        failProtocol,
			Open: func(s *conformance.Session) {
				s.SendFrame(f)
				s.KillAfter(1)
			},
		}
	}
	burst := func(id, desc string, rsv int, chop int, sync bool) *conformance.Case {
		return &conformance.Case{
			ID: id, Description: desc,
			Expectation: "The valid text message is echoed, then the connection is failed (1002) at the frame with RSV " +
				"bits, before the ping is answered. Failing before the echo is NON-STRICT.",
			Requirements: reqs("R-5.2-rsv-zero", "R-5.2-rsv-fail", "R-7.1.7-fail-stop"),
			Expected:     okOrNothing(text("Hello, world!")),
			Close:        failProtocol,
			Open: func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpText), Fin: true, Payload: hello, ChopSize: chop, Sync: sync})
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpText), Fin: true, Payload: hello, Rsv: rsv, ChopSize: chop, Sync: sync})
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpPing), Fin: true, ChopSize: chop, Sync: sync})
				s.KillAfter(1)
			},
		}
	}
	return []*conformance.Case{
		single("3.1", "Send a small text message with RSV = 1 (RSV3 set).", conformance.Frame{Opcode: int(spec.OpText), Fin: true, Payload: hello, Rsv: 1}),
		burst("3.2", "Send a small text message, then the same with RSV = 2 (RSV2 set), then a ping, in one burst.", 2, 0, false),
		burst("3.3", "Send a small text message, then the same with RSV = 3, then a ping, each frame in its own write.", 3, 0, true),
		burst("3.4", "Send a small text message, then the same with RSV = 4 (RSV1 set), then a ping, each written one octet at a time.", 4, 1, false),
		single("3.5", "Send a small binary message with RSV = 5.", conformance.Frame{Opcode: int(spec.OpBinary), Fin: true, Payload: []byte{0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff}, Rsv: 5}),
		single("3.6", "Send a small binary message with RSV = 6 (Autobahn's description says ping; its code sends a binary frame).", conformance.Frame{Opcode: int(spec.OpBinary), Fin: true, Payload: hello, Rsv: 6}),
		single("3.7", "Send an empty Close frame with RSV = 7, as raw data (the runner stays open).", conformance.Frame{Opcode: int(spec.OpClose), Fin: true, Rsv: 7}),
	}
}
