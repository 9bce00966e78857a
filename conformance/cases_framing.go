package conformance

import (
	"fmt"

	"github.com/wskit/wskit/spec"
)

// framingCases are category 1: single unfragmented text and binary
// messages at every boundary of the length encoding, echoed back.
func framingCases() []*Case {
	lengths := []struct {
		n    int
		what string
	}{
		{0, "empty payload"},
		{125, "the largest 7-bit length"},
		{126, "the smallest 16-bit length"},
		{127, "a 16-bit length"},
		{128, "a 16-bit length"},
		{65535, "the largest 16-bit length"},
		{65536, "the smallest 64-bit length"},
		{65536, "the smallest 64-bit length, written to TCP in 997-octet chops"},
	}
	var out []*Case
	for sub, kind := range []struct {
		opcode int
		name   string
		fill   byte
		ev     func([]byte) Event
	}{
		{int(spec.OpText), "text", '*', func(b []byte) Event { return Message(b, false) }},
		{int(spec.OpBinary), "binary", 0xfe, func(b []byte) Event { return Message(b, true) }},
	} {
		for i, l := range lengths {
			payload := fill(kind.fill, l.n)
			chop := 0
			kill := 1.0
			if i >= 5 {
				kill = 10
			}
			if i == 7 {
				chop = 997
			}
			out = append(out, &Case{
				ID:           fmt.Sprintf("1.%d.%d", sub+1, i+1),
				Description:  fmt.Sprintf("Send a %s message with a payload of %d octets (%s).", kind.name, l.n, l.what),
				Expectation:  "The message is echoed back with the same type and payload. Clean close with normal code.",
				Requirements: reqs("R-5.2-len-encoding", "R-5.4-unfragmented", "R-6.2-parse", "R-6.2-server-unmask"),
				Expected:     ok(kind.ev(payload)),
				Close:        closeNormal,
				open: func(s *Session) {
					s.SendFrame(Frame{Opcode: kind.opcode, Fin: true, Payload: payload, ChopSize: chop})
					s.KillAfter(kill)
				},
			})
		}
	}
	return out
}

// pingCases are category 2: pings and pongs.
func pingCases() []*Case {
	pingEcho := func(id, desc string, payload []byte, chop int, closeAfter float64) *Case {
		return &Case{
			ID: id, Description: desc,
			Expectation:  "A pong with the same payload. Clean close with normal code.",
			Requirements: reqs("R-5.5.2-pong", "R-5.5.3-pong-echo"),
			Expected:     ok(Pong(payload)),
			Close:        closeNormal,
			open: func(s *Session) {
				s.SendFrame(Frame{Opcode: int(spec.OpPing), Fin: true, Payload: payload, ChopSize: chop})
				s.CloseAfter(closeAfter)
			},
		}
	}
	out := []*Case{
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
			open: func(s *Session) {
				s.SendFrame(Frame{Opcode: int(spec.OpPing), Fin: true, Payload: fill(0xfe, 126)})
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
		out = append(out, &Case{
			ID: c.id, Description: c.desc,
			Expectation:  "Nothing in return to the pong. Clean close with normal code.",
			Requirements: reqs("R-5.5.3-unsolicited"),
			Expected:     ok(),
			Close:        closeNormal,
			open: func(s *Session) {
				s.SendFrame(Frame{Opcode: int(spec.OpPong), Fin: true, Payload: payload})
				s.Close(1000, "")
				s.CloseAfter(1)
			},
		})
	}
	out = append(out, &Case{
		ID:           "2.9",
		Description:  "Send an unsolicited pong, then a ping.",
		Expectation:  "One pong answering the ping, with its payload. Clean close with normal code.",
		Requirements: reqs("R-5.5.3-unsolicited", "R-5.5.2-pong", "R-5.5.3-pong-echo"),
		Expected:     ok(pong("ping payload")),
		Close:        closeNormal,
		open: func(s *Session) {
			s.SendFrame(Frame{Opcode: int(spec.OpPong), Fin: true, Payload: []byte("unsolicited pong payload")})
			s.SendFrame(Frame{Opcode: int(spec.OpPing), Fin: true, Payload: []byte("ping payload")})
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
		var want []Event
		for i := 0; i < 10; i++ {
			want = append(want, pong(fmt.Sprintf("payload-%d", i)))
		}
		chop := c.chop
		out = append(out, &Case{
			ID:          c.id,
			Description: "Send 10 pings (payloads payload-0 to payload-9) " + c.how + ".",
			Expectation: "10 pongs with the same payloads, in order. (RFC 6455 allows answering only the latest " +
				"of several pending pings; like Autobahn, this case expects every pong.) Clean close with normal code.",
			Requirements: reqs("R-5.5.2-pong", "R-5.5.3-pong-echo"),
			Expected:     ok(want...),
			Close:        closeNormal,
			open: func(s *Session) {
				for i := 0; i < 10; i++ {
					s.SendFrame(Frame{Opcode: int(spec.OpPing), Fin: true, Payload: []byte(fmt.Sprintf("payload-%d", i)), ChopSize: chop})
				}
				s.CloseAfter(3)
			},
		})
	}
	return out
}

// rsvCases are category 3: RSV bits no extension negotiated.
func rsvCases() []*Case {
	hello := []byte("Hello, world!")
	single := func(id, desc string, f Frame) *Case {
		return &Case{
			ID: id, Description: desc,
			Expectation:  "The connection is failed immediately (1002), since no extension was negotiated.",
			Requirements: reqs("R-5.2-rsv-zero", "R-5.2-rsv-fail"),
			Expected:     ok(),
			Close:        failProtocol,
			open: func(s *Session) {
				s.SendFrame(f)
				s.KillAfter(1)
			},
		}
	}
	burst := func(id, desc string, rsv int, chop int, sync bool) *Case {
		return &Case{
			ID: id, Description: desc,
			Expectation: "The valid text message is echoed, then the connection is failed (1002) at the frame with RSV " +
				"bits, before the ping is answered. Failing before the echo is NON-STRICT.",
			Requirements: reqs("R-5.2-rsv-zero", "R-5.2-rsv-fail", "R-7.1.7-fail-stop"),
			Expected:     okOrNothing(text("Hello, world!")),
			Close:        failProtocol,
			open: func(s *Session) {
				s.SendFrame(Frame{Opcode: int(spec.OpText), Fin: true, Payload: hello, ChopSize: chop, Sync: sync})
				s.SendFrame(Frame{Opcode: int(spec.OpText), Fin: true, Payload: hello, Rsv: rsv, ChopSize: chop, Sync: sync})
				s.SendFrame(Frame{Opcode: int(spec.OpPing), Fin: true, ChopSize: chop, Sync: sync})
				s.KillAfter(1)
			},
		}
	}
	return []*Case{
		single("3.1", "Send a small text message with RSV = 1 (RSV3 set).", Frame{Opcode: int(spec.OpText), Fin: true, Payload: hello, Rsv: 1}),
		burst("3.2", "Send a small text message, then the same with RSV = 2 (RSV2 set), then a ping, in one burst.", 2, 0, false),
		burst("3.3", "Send a small text message, then the same with RSV = 3, then a ping, each frame in its own write.", 3, 0, true),
		burst("3.4", "Send a small text message, then the same with RSV = 4 (RSV1 set), then a ping, each written one octet at a time.", 4, 1, false),
		single("3.5", "Send a small binary message with RSV = 5.", Frame{Opcode: int(spec.OpBinary), Fin: true, Payload: []byte{0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff}, Rsv: 5}),
		single("3.6", "Send a small binary message with RSV = 6 (Autobahn's description says ping; its code sends a binary frame).", Frame{Opcode: int(spec.OpBinary), Fin: true, Payload: hello, Rsv: 6}),
		single("3.7", "Send an empty Close frame with RSV = 7, as raw data (the runner stays open).", Frame{Opcode: int(spec.OpClose), Fin: true, Rsv: 7}),
	}
}

// opcodeCases are category 4: reserved opcodes.
func opcodeCases() []*Case {
	hello := []byte("Hello, world!")
	var out []*Case
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
				out = append(out, &Case{
					ID:           id,
					Description:  fmt.Sprintf("Send a frame with reserved %s opcode %d.", kind, op),
					Expectation:  "The connection is failed immediately (1002).",
					Requirements: req,
					Expected:     ok(),
					Close:        failProtocol,
					open: func(s *Session) {
						s.SendFrame(Frame{Opcode: op, Fin: true, Payload: payload})
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
				out = append(out, &Case{
					ID:          id,
					Description: fmt.Sprintf("Send a small text message, then a frame with reserved %s opcode %d, then a ping, %s.", kind, op, how),
					Expectation: "The text message is echoed, then the connection is failed (1002) at the reserved opcode, " +
						"before the ping is answered. Failing before the echo is NON-STRICT.",
					Requirements: withReqs(req, "R-7.1.7-fail-stop"),
					Expected:     okOrNothing(text("Hello, world!")),
					Close:        failProtocol,
					open: func(s *Session) {
						s.SendFrame(Frame{Opcode: int(spec.OpText), Fin: true, Payload: hello, ChopSize: chop})
						s.SendFrame(Frame{Opcode: op, Fin: true, Payload: payload, ChopSize: chop})
						s.SendFrame(Frame{Opcode: int(spec.OpPing), Fin: true, ChopSize: chop})
						s.KillAfter(1)
					},
				})
			}
		}
	}
	return out
}

// withReqs returns ids followed by more, in a new slice.
func withReqs(ids []string, more ...string) []string {
	return append(append([]string(nil), ids...), more...)
}
