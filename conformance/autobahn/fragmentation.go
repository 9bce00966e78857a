package autobahn

import (
	"github.com/wskit/wskit/spec"

	"github.com/wskit/wskit/conformance"
)

// fragmentation is category 5.
var fragmentation = &Category{ID: "5", Name: "Fragmentation", AutobahnCases: 20, build: fragmentationCases}

// fragmentationCases are category 5: fragmented messages, interleaved
// control frames, and continuation frames out of order.
func fragmentationCases() []*conformance.Case {
	const (
		cont   = int(spec.OpContinuation)
		txt    = int(spec.OpText)
		ping   = int(spec.OpPing)
		pongOp = int(spec.OpPong)
	)
	f := func(op int, fin bool, payload string) conformance.Frame {
		return conformance.Frame{Opcode: op, Fin: fin, Payload: []byte(payload)}
	}
	// modes are the three ways Autobahn writes the same frames: in one
	// burst, each frame in its own write, each octet in its own write.
	type mode struct {
		sync bool
		chop int
		how  string
	}
	burst := mode{how: "in one burst"}
	framewise := mode{sync: true, how: "each frame in its own write"}
	octetwise := mode{chop: 1, how: "each written one octet at a time"}
	send := func(s *conformance.Session, m mode, frames ...conformance.Frame) {
		for _, fr := range frames {
			fr.Sync, fr.ChopSize = m.sync, m.chop
			s.SendFrame(fr)
		}
	}
	fail := func(id, desc string, req []string, frames ...conformance.Frame) *conformance.Case {
		return &conformance.Case{
			ID: id, Description: desc,
			Expectation:  "The connection is failed immediately (1002); nothing is echoed.",
			Requirements: req,
			Expected:     ok(),
			Close:        failProtocol,
			Open: func(s *conformance.Session) {
				send(s, burst, frames...)
				s.KillAfter(1)
			},
		}
	}
	var out []*conformance.Case
	out = append(out,
		fail("5.1", "Send a ping in two fragments (a fragmented control frame).", reqs("R-5.4-control-unfragmented"),
			f(ping, false, "fragment1"), f(cont, true, "fragment2")),
		fail("5.2", "Send a pong in two fragments (a fragmented control frame).", reqs("R-5.4-control-unfragmented"),
			f(pongOp, false, "fragment1"), f(cont, true, "fragment2")),
	)
	for i, m := range []mode{burst, framewise, octetwise} {
		out = append(out, &conformance.Case{
			ID:           []string{"5.3", "5.4", "5.5"}[i],
			Description:  "Send a text message in two fragments, " + m.how + ".",
			Expectation:  "The message is echoed whole. Clean close with normal code.",
			Requirements: reqs("R-5.4-fragmented", "R-5.4-type-from-first", "R-5.4-recv-both", "R-5.4-order"),
			Expected:     ok(text("fragment1fragment2")),
			Close:        closeNormal,
			Open: func(s *conformance.Session) {
				send(s, m, f(txt, false, "fragment1"), f(cont, true, "fragment2"))
				s.CloseAfter(1)
			},
		})
	}
	for i, m := range []mode{burst, framewise, octetwise} {
		out = append(out, &conformance.Case{
			ID:           []string{"5.6", "5.7", "5.8"}[i],
			Description:  "Send a text message in two fragments with a ping between them, " + m.how + ".",
			Expectation:  "A pong, then the message echoed whole. Clean close with normal code.",
			Requirements: reqs("R-5.4-control-interleave", "R-5.4-fragmented", "R-5.5.2-pong"),
			Expected:     ok(pong("ping payload"), text("fragment1fragment2")),
			Close:        closeNormal,
			Open: func(s *conformance.Session) {
				send(s, m, f(txt, false, "fragment1"), f(ping, true, "ping payload"), f(cont, true, "fragment2"))
				s.CloseAfter(1)
			},
		})
	}
	orphan := func(id, desc string, fin bool, m mode) *conformance.Case {
		return &conformance.Case{
			ID: id, Description: desc + ", " + m.how + ".",
			Expectation:  "The connection is failed immediately (1002) at the continuation frame; nothing is echoed.",
			Requirements: reqs("R-5.4-orphan-continuation"),
			Expected:     ok(),
			Close:        failProtocol,
			Open: func(s *conformance.Session) {
				send(s, m, f(cont, fin, "non-continuation payload"), f(txt, true, "Hello, world!"))
				s.KillAfter(1)
			},
		}
	}
	for i, m := range []mode{burst, framewise, octetwise} {
		out = append(out, orphan([]string{"5.9", "5.10", "5.11"}[i],
			"Send a final continuation frame with no message started, then a text message", true, m))
	}
	for i, m := range []mode{burst, framewise, octetwise} {
		out = append(out, orphan([]string{"5.12", "5.13", "5.14"}[i],
			"Send a non-final continuation frame with no message started, then a text message", false, m))
	}
	out = append(out, &conformance.Case{
		ID: "5.15",
		Description: "Send a text message in two fragments, then a continuation frame with no message started, " +
			"then a final text frame.",
		Expectation: "The first message is echoed, then the connection is failed (1002) at the orphan " +
			"continuation. Failing before the echo is NON-STRICT.",
		Requirements: reqs("R-5.4-orphan-continuation", "R-6.2-parse"),
		Expected:     okOrNothing(text("fragment1fragment2")),
		Close:        failProtocol,
		Open: func(s *conformance.Session) {
			send(s, burst, f(txt, false, "fragment1"), f(cont, true, "fragment2"), f(cont, false, "fragment3"), f(txt, true, "fragment4"))
			s.KillAfter(1)
		},
	})
	twice := func(frames ...conformance.Frame) []conformance.Frame {
		return append(append([]conformance.Frame(nil), frames...), frames...)
	}
	out = append(out,
		fail("5.16", "Send, twice: a non-final continuation frame, a non-final text frame, a final continuation frame.",
			reqs("R-5.4-orphan-continuation"),
			twice(f(cont, false, "fragment1"), f(txt, false, "fragment2"), f(cont, true, "fragment3"))...),
		fail("5.17", "Send, twice: a final continuation frame, a non-final text frame, a final continuation frame.",
			reqs("R-5.4-orphan-continuation"),
			twice(f(cont, true, "fragment1"), f(txt, false, "fragment2"), f(cont, true, "fragment3"))...),
		fail("5.18", "Send a text message in two fragments, both with the text opcode.",
			reqs("R-5.4-nested-start", "R-6.1-first-opcode"),
			f(txt, false, "fragment1"), f(txt, true, "fragment2")),
	)
	for i, m := range []mode{burst, framewise} {
		out = append(out, &conformance.Case{
			ID: []string{"5.19", "5.20"}[i],
			Description: "Send a text message in five fragments with two pings between them, " + m.how +
				": two fragments and a ping, a pause of one second, two more fragments, a ping, the last fragment.",
			Expectation:  "Both pongs, in order, then the message echoed whole. Clean close with normal code.",
			Requirements: reqs("R-5.4-control-interleave", "R-5.4-fragmented", "R-5.4-order", "R-5.5.2-pong"),
			Expected:     ok(pong("pongme 1!"), pong("pongme 2!"), text("fragment1fragment2fragment3fragment4fragment5")),
			Close:        closeNormal,
			Open: func(s *conformance.Session) {
				send(s, m, f(txt, false, "fragment1"), f(cont, false, "fragment2"), f(ping, true, "pongme 1!"))
				s.ContinueLater(1, "", func() {
					send(s, m, f(cont, false, "fragment3"), f(cont, false, "fragment4"), f(ping, true, "pongme 2!"), f(cont, true, "fragment5"))
					s.CloseAfter(1)
				})
			},
		})
	}
	return out
}
