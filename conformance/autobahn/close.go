package autobahn

import (
	"fmt"

	"github.com/wskit/wskit/conformance"

	"github.com/wskit/wskit/spec"
)

// closeHandling is category 7.
var closeHandling = &Category{ID: "7", Name: "Close Handling", AutobahnCases: 37, build: closeCases,
	Captions: map[string]string{
		"7.1":  "Basic close behavior (fuzzer initiated)",
		"7.3":  "Close frame structure: payload length (fuzzer initiated)",
		"7.5":  "Close frame structure: payload value (fuzzer initiated)",
		"7.7":  "Close frame structure: valid close codes (fuzzer initiated)",
		"7.9":  "Close frame structure: invalid close codes (fuzzer initiated)",
		"7.13": "Informational close information (fuzzer initiated)",
	},
}

// closeCases are category 7: the closing handshake and Close frame bodies.
// All are started by the runner; a wrong close code from the testee fails
// the case (except the informational ones).
func closeCases() []*conformance.Case {
	const (
		txt  = int(spec.OpText)
		cont = int(spec.OpContinuation)
	)
	helloWorld := []byte("Hello World!")
	clean := []string{"R-5.5.1-echo-close", "R-5.5.1-close-tcp", "R-7.1.1-close-tcp-cleanly"}
	c := func(id, desc, exp string, req []string, expected map[conformance.Verdict][]conformance.Event, ec conformance.ExpectedClose, suppress bool, open func(s *conformance.Session)) *conformance.Case {
		return &conformance.Case{ID: id, Description: desc, Expectation: exp, Requirements: req, Expected: expected,
			Close: ec, SuppressClose: suppress, Open: open, Judge: wrongCodeFails}
	}
	out := []*conformance.Case{
		c("7.1.1", "Send a text message, then close when it is echoed.", "The message is echoed, then a clean close with normal code.",
			withReqs(clean, "R-7.1.2-start-close"), ok(text("Hello World!")), closeNormal, false, func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Payload: helloWorld})
				s.KillAfter(1)
			}),
		c("7.1.2", "Close with 1000, then send a second (empty) Close frame.", "Clean close with normal code; the second Close is ignored.",
			withReqs(clean, "R-7.1.3-closing"), ok(), closeNormal, true, func(s *conformance.Session) {
				s.Close(1000, "")
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpClose), Fin: true})
				s.KillAfter(1)
			}),
		c("7.1.3", "Close with 1000, then send a ping.", "Clean close with normal code; no pong after the Close.",
			withReqs(clean, "R-5.5.2-pong"), ok(), closeNormal, true, func(s *conformance.Session) {
				s.Close(1000, "")
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpPing), Fin: true})
				s.KillAfter(1)
			}),
		c("7.1.4", "Close with 1000, then send a text message.", "Clean close with normal code; the message after the Close is not echoed.",
			withReqs(clean, "R-5.5.1-no-data-after-close"), ok(), closeNormal, true, func(s *conformance.Session) {
				s.Close(1000, "")
				s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Payload: helloWorld})
				s.KillAfter(1)
			}),
		c("7.1.5", "Send the first fragment of a text message, close with 1000, then send the last fragment.",
			"Clean close with normal code; nothing is echoed.",
			withReqs(clean, "R-5.5.1-no-data-after-close"), ok(), closeNormal, true, func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt, Payload: []byte("fragment1")})
				s.Close(1000, "")
				s.SendFrame(conformance.Frame{Opcode: cont, Fin: true, Payload: []byte("fragment2")})
				s.KillAfter(1)
			}),
		{
			ID: "7.1.6",
			Description: "Send a 256 KiB text message, a small text message, a Close (1000) and a ping, back to back " +
				"(Autobahn's 7.1.6).",
			Expectation: "Informational: whether the small message is echoed before the close depends on how the " +
				"implementation orders the close against its own writes.",
			Requirements:  reqs("R-5.5.1-echo-close", "R-5.5.1-no-data-after-close"),
			Expected:      map[conformance.Verdict][]conformance.Event{conformance.OK: {text("Hello World!")}, conformance.NonStrict: {}},
			Close:         closeNormal,
			SuppressClose: true,
			Open: func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Payload: []byte("BAsd7&jh23"), RepeatLength: 256 << 10})
				s.SendFrame(conformance.Frame{Opcode: txt, Fin: true, Payload: helloWorld})
				s.Close(1000, "")
				s.SendFrame(conformance.Frame{Opcode: int(spec.OpPing), Fin: true})
				s.KillAfter(1)
			},
			Judge: func(s *conformance.Session, r *conformance.Result) {
				switch r.Behavior {
				case conformance.OK:
					r.Result = "Text message was processed before close."
				case conformance.NonStrict:
					r.Result = "Close was processed before text message could be returned."
				}
				r.Behavior, r.BehaviorClose = conformance.Informational, conformance.Informational
			},
		},
	}
	// 7.3: the length of the Close body.
	body := func(id, desc, exp string, req []string, ec conformance.ExpectedClose, payload []byte) *conformance.Case {
		return c(id, desc, exp, req, ok(), ec, true, func(s *conformance.Session) {
			s.CloseWithBody(payload)
			s.KillAfter(1)
		})
	}
	failOrDrop := conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1002}, RequireClean: false}
	out = append(out,
		body("7.3.1", "Close with an empty body (no code, no reason).", "Clean close with normal code or no code (never 1005 on the wire).",
			withReqs(clean, "R-5.5.1-close-body", "R-7.4.1-reserved-never-sent"), closeNormal, nil),
		body("7.3.2", "Close with a 1-octet body.", "The testee answers with 1002 or drops TCP.",
			reqs("R-5.5.1-close-body"), failOrDrop, []byte("a")),
		body("7.3.3", "Close with code 1000 and no reason.", "Clean close with normal code.",
			withReqs(clean, "R-5.5.1-close-body"), closeNormal, conformance.CloseBody(1000, "")),
		body("7.3.4", "Close with code 1000 and a short reason.", "Clean close with normal code.",
			withReqs(clean, "R-5.5.1-close-body", "R-5.5.1-reason-utf8"), closeNormal, conformance.CloseBody(1000, "Hello World!")),
		body("7.3.5", "Close with code 1000 and a 123-octet reason (the largest Close body, 125 octets).", "Clean close with normal code.",
			withReqs(clean, "R-5.5.1-close-body"), closeNormal, conformance.CloseBody(1000, string(fill('*', 123)))),
		body("7.3.6", "Close with code 1000 and a 124-octet reason (a 126-octet control frame).", "The testee answers with 1002 or drops TCP.",
			reqs("R-5.5-control-125", "R-5.5.1-close-body"), failOrDrop, conformance.CloseBody(1000, string(fill('*', 124)))),
	)
	// 7.5: the reason is not UTF-8.
	badReason := mustHex("cebae1bdb9cf83cebcceb5eda080656469746564")
	out = append(out, &conformance.Case{
		ID:            "7.5.1",
		Description:   "Close with code 1000 and a reason that is not valid UTF-8 (κόσμε, a surrogate, 'edited').",
		Expectation:   "The testee answers with 1002 or 1007, or drops TCP.",
		Requirements:  reqs("R-5.5.1-reason-utf8", "R-8.1-utf8-fail"),
		Expected:      ok(),
		Close:         conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1002, 1007}, RequireClean: false},
		SuppressClose: true,
		Open: func(s *conformance.Session) {
			s.CloseWithBody(append(conformance.CloseBody(1000, ""), badReason...))
			s.KillAfter(1)
		},
		Judge: func(s *conformance.Session, r *conformance.Result) {
			wrongCodeFails(s, r)
			// Autobahn reports the invalid reason it sent in hex.
			r.LocalCloseReason = fmt.Sprintf("%x", r.LocalCloseReason)
		},
	})
	// 7.7: valid codes; the testee answers 1000 or echoes the code.
	for i, code := range []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999} {
		out = append(out, body(fmt.Sprintf("7.7.%d", i+1), fmt.Sprintf("Close with the valid close code %d.", code),
			"Clean close with normal or echoed code.", withReqs(clean, "R-7.4.2-ranges"),
			conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000, code}, RequireClean: true}, conformance.CloseBody(code, "")))
	}
	// 7.9: invalid codes; the testee answers 1002 or drops TCP.
	for i, code := range []int{0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999} {
		out = append(out, body(fmt.Sprintf("7.9.%d", i+1), fmt.Sprintf("Close with the invalid close code %d.", code),
			"The testee answers with 1002 or drops TCP.", reqs("R-7.4-invalid-recv", "R-7.4.1-reserved-never-sent"),
			failOrDrop, conformance.CloseBody(code, "")))
	}
	// 7.13: codes outside the registry; any answer is informational.
	for i, code := range []int{5000, 65535} {
		out = append(out, &conformance.Case{
			ID:            fmt.Sprintf("7.13.%d", i+1),
			Description:   fmt.Sprintf("Close with code %d, outside the IANA registry.", code),
			Expectation:   "Informational: RFC 6455 does not say what a receiver does with codes of 5000 and above.",
			Requirements:  reqs("R-7.4.2-ranges"),
			Expected:      ok(),
			Close:         conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000, code, 1002}, RequireClean: false},
			SuppressClose: true,
			Open: func(s *conformance.Session) {
				s.CloseWithBody(conformance.CloseBody(code, ""))
				s.KillAfter(1)
			},
			Judge: func(s *conformance.Session, r *conformance.Result) {
				r.Behavior, r.BehaviorClose = conformance.Informational, conformance.Informational
				r.Result = "Actual events are undefined by the spec."
			},
		})
	}
	return out
}

// wrongCodeFails is the rule of category 7: a wrong close code fails the
// case itself, not only its close behaviour.
func wrongCodeFails(s *conformance.Session, r *conformance.Result) {
	if r.BehaviorClose == conformance.WrongCode {
		r.Behavior = conformance.Failed
		r.Result = r.ResultClose
	}
}
