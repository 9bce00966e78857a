package autobahn

import (
	"fmt"

	"github.com/wskit/wskit/conformance"

	"github.com/wskit/wskit/spec"
)

// pingPong is category 2.
var pingPong = &Category{ID: "2", Name: "Pings/Pongs", AutobahnCases: 11, build: pingCases}

// pingCases are category 2: pings and pongs.
func pingCases() []*conformance.Case {
	pingEcho := func(id, desc string, payload []byte, chop int, closeAfter float64) *conformance.Case {
		return &conformance.Case{
			ID: id, Description: desc,
			Expectation:  "A pong with the same payload. Clean close with normal code.",
			Requirements: reqs("R-5.5.2-pong", "R-5.5.3-pong-echo"),
			Expected:     ok(conformance.Pong(payload)),
			Close:        closeNormal,
			Open: func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpPing), Fin: true, Payload: payload, ChopSize: chop})
				s.CloseAfter(closeAfter)
			},
		}
	}
	out := []*conformance.Case{
		pingEcho("2.1", "Send a ping without payload.", nil, 0, 1),
		pingEcho("2.2", "Send a ping with a small text payload.", []byte("Hello, world!"), 0, 1),
		pingEcho("2.3", "Send a ping with a small binary payload (not UTF-8).", []byte{0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff}, 0, 1),
		pingEcho("2.4", "Send a ping with a binary payload of 125 octets, the largest a control frame may carry.", fill(0xfe, 125), 0, 1),
		{
			ID:           "2.5",
			Description:  "Send a ping with a binary payload of 126 octets: a control frame longer than 125 octets.",
			Expectation:  "The connection is failed immediately (1002); no pong.",
			Requirements: reqs("R-5.5-control-125"),
			Expected:     ok(),
			Close:        failProtocol,
			Open: func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpPing), Fin: true, Payload: fill(0xfe, 126)})
				s.KillAfter(1)
			},
		},
		pingEcho("2.6", "Send a ping with a binary payload of 125 octets, written to TCP one octet at a time.", fill(0xfe, 125), 1, 2),
	}
	for _, c := range []struct {
		id, desc string
		payload  []byte
	}{
		{"2.7", "Send an unsolicited pong without payload, then close with 1000.", nil},
		{"2.8", "Send an unsolicited pong with a payload, then close with 1000.", []byte("unsolicited pong payload")},
	} {
		payload := c.payload
		out = append(out, &conformance.Case{
			ID: c.id, Description: c.desc,
			Expectation:  "Nothing in return to the pong. Clean close with normal code.",
			Requirements: reqs("R-5.5.3-unsolicited"),
			Expected:     ok(),
			Close:        closeNormal,
			Open: func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpPong), Fin: true, Payload: payload})
				s.Close(1000, "")
				s.CloseAfter(1)
			},
		})
	}
	out = append(out, &conformance.Case{
		ID:           "2.9",
		Description:  "Send an unsolicited pong, then a ping.",
		Expectation:  "One pong answering the ping, with its payload. Clean close with normal code.",
		Requirements: reqs("R-5.5.3-unsolicited", "R-5.5.2-pong", "R-5.5.3-pong-echo"),
		Expected:     ok(pong("ping payload")),
		Close:        closeNormal,
		Open: func(s *conformance.Session) {
			s.SendFrame(conformance.Frame{Opcode: int(spec.OpPong), Fin: true, Payload: []byte("unsolicited pong payload")})
			s.SendFrame(conformance.Frame{Opcode: int(spec.OpPing), Fin: true, Payload: []byte("ping payload")})
			s.CloseAfter(1)
		},
	})
	for _, c := range []struct {
		id   string
		chop int
		how  string
	}{
		{"2.10", 0, "back to back"},
		{"2.11", 1, "back to back, each written to TCP one octet at a time"},
	} {
		var want []conformance.Event
		for i := 0; i < 10; i++ {
			want = append(want, pong(fmt.Sprintf("payload-%d", i)))
		}
		chop := c.chop
		out = append(out, &conformance.Case{
			ID:          c.id,
			Description: "Send 10 pings (payloads payload-0 to payload-9) " + c.how + ".",
			Expectation: "10 pongs with the same payloads, in order. (RFC 6455 allows answering only the latest " +
				"of several pending pings; like Autobahn, this case expects every pong.) Clean close with normal code.",
			Requirements: reqs("R-5.5.2-pong", "R-5.5.3-pong-echo"),
			Expected:     ok(want...),
			Close:        closeNormal,
			Open: func(s *conformance.Session) {
				for i := 0; i < 10; i++ {
					s.SendFrame(conformance.Frame{Opcode: int(spec.OpPing), Fin: true, Payload: []byte(fmt.Sprintf("payload-%d", i)), ChopSize: chop})
				}
				s.CloseAfter(3)
			},
		})
	}
	return out
}
