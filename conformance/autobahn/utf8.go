package autobahn

import (
	"encoding/hex"
	"fmt"

	"github.com/wskit/wskit/conformance"

	"github.com/wskit/wskit/spec"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// utf8Handling is category 6.
var utf8Handling = &Category{ID: "6", Name: "UTF-8 Handling", AutobahnCases: 145, build: utf8Cases, Captions: utf8Captions()}

// utf8Captions returns the captions of 6.1-6.4 and of the generated
// sub-categories 6.5-6.23.
func utf8Captions() map[string]string {
	m := map[string]string{
		"6.1": "Valid UTF-8 with zero payload fragments",
		"6.2": "Valid UTF-8 unfragmented, fragmented on code-points and within code-points",
		"6.3": "Invalid UTF-8 differently fragmented",
		"6.4": "Fail-fast on invalid UTF-8",
	}
	for k, g := range utf8Groups {
		m[fmt.Sprintf("6.%d", k+5)] = g.caption
	}
	return m
}

// utf8Cases are category 6: valid and invalid UTF-8 in text messages,
// fragmented in every way, and fail-fast detection.
func utf8Cases() []*conformance.Case {
	const (
		cont = int(spec.OpContinuation)
		txt  = int(spec.OpText)
	)
	valid := func(id, desc string, payload []byte, send func(s *conformance.Session)) *conformance.Case {
		return &conformance.Case{
			ID: id, Description: desc,
			Expectation:  "The message is echoed. Clean close with normal code.",
			Requirements: reqs("R-5.6-text-utf8", "R-5.4-any-size", "R-5.4-fragmented"),
			Expected:     ok(conformance.Message(payload, false)),
			Close:        closeNormal,
			Open: func(s *conformance.Session) {
				send(s)
				s.CloseAfter(1)
			},
		}
	}
	var out []*conformance.Case
	out = append(out,
		valid("6.1.1", "Send a text message with an empty payload.", nil, func(s *conformance.Session) {
			s.SendFrame(conformance.Frame{Opcode: txt, Fin: true})
		}),
		valid("6.1.2", "Send a fragmented text message in three empty fragments.", nil, func(s *conformance.Session) {
			s.SendFrame(conformance.Frame{Opcode: txt})
			s.SendFrame(conformance.Frame{Opcode: cont})
			s.SendFrame(conformance.Frame{Opcode: cont, Fin: true})
		}),
		valid("6.1.3", "Send a fragmented text message: an empty fragment, a fragment with payload, an empty fragment.",
			[]byte("middle frame payload"), func(s *conformance.Session) {
				s.SendFrame(conformance.Frame{Opcode: txt})
				s.SendFrame(conformance.Frame{Opcode: cont, Payload: []byte("middle frame payload")})
				s.SendFrame(conformance.Frame{Opcode: cont, Fin: true})
			}),
	)
	hello := mustHex("48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121") // "Hello-µ@ßöäüàá-UTF-8!!"
	kosme := mustHex("cebae1bdb9cf83cebcceb5")                                     // "κόσμε"
	out = append(out,
		valid("6.2.1", "Send valid UTF-8 text (Hello-µ@ßöäüàá-UTF-8!!, 29 octets) in one frame.", hello, func(s *conformance.Session) {
			s.SendMessage(txt, hello, 0, false)
		}),
		valid("6.2.2", "Send the same valid UTF-8 text in two fragments split on a code-point boundary.", hello, func(s *conformance.Session) {
			s.SendFrame(conformance.Frame{Opcode: txt, Payload: hello[:15]})
			s.SendFrame(conformance.Frame{Opcode: cont, Fin: true, Payload: hello[15:]})
		}),
		valid("6.2.3", "Send the same valid UTF-8 text one octet per frame, splitting code points (plus an empty final frame).", hello, func(s *conformance.Session) {
			s.SendMessage(txt, hello, 1, false)
		}),
		valid("6.2.4", "Send valid UTF-8 text (κόσμε, 11 octets) one octet per frame (plus an empty final frame).", kosme, func(s *conformance.Session) {
			s.SendMessage(txt, kosme, 1, false)
		}),
	)
	bad := mustHex("cebae1bdb9cf83cebcceb5" + "eda080" + "656469746564") // a surrogate at octet 12
	for i, frag := range []int{0, 1} {
		how := "in one frame"
		if frag == 1 {
			how = "one octet per frame"
		}
		out = append(out, &conformance.Case{
			ID:           fmt.Sprintf("6.3.%d", i+1),
			Description:  "Send invalid UTF-8 text (κόσμε followed by the surrogate U+D800, ED A0 80, then 'edited') " + how + ".",
			Expectation:  "The connection is failed with 1007 (invalid payload); nothing is echoed.",
			Requirements: reqs("R-5.6-text-utf8", "R-8.1-utf8-fail"),
			Expected:     ok(),
			Close:        failUTF8,
			Open: func(s *conformance.Session) {
				s.SendMessage(txt, bad, frag, false)
				s.KillAfter(1)
			},
		})
	}
	out = append(out, failFastCases()...)
	for k, g := range utf8Groups {
		sub := fmt.Sprintf("6.%d", k+5)
		for j, seq := range g.seqs {
			payload := mustHex(seq.hex)
			c := &conformance.Case{
				ID:           fmt.Sprintf("%s.%d", sub, j+1),
				Requirements: reqs("R-5.6-text-utf8", "R-8.1-utf8-fail"),
				Open: func(s *conformance.Session) {
					s.SendMessage(txt, payload, 0, false)
					s.KillAfter(0.5)
				},
			}
			if seq.valid {
				c.Description = "Send a text message whose payload is valid UTF-8, in one frame. Payload: 0x" + seq.hex
				c.Expectation = "The message is echoed. Clean close with normal code."
				c.Expected, c.Close = ok(conformance.Message(payload, false)), closeNormal
			} else {
				c.Description = "Send a text message whose payload is not valid UTF-8, in one frame. Payload: 0x" + seq.hex
				c.Expectation = "The connection is failed immediately with 1007, since the payload is not valid UTF-8."
				c.Expected, c.Close = ok(), failUTF8
			}
			out = append(out, c)
		}
	}
	return out
}

// failFastCases are 6.4.x: an invalid text message sent in three parts one
// second apart. A testee that validates incrementally fails the
// connection within a second of the first invalid octet (OK); one that
// validates whole messages fails only after the last part (NON-STRICT).
func failFastCases() []*conformance.Case {
	const (
		cont = int(spec.OpContinuation)
		txt  = int(spec.OpText)
	)
	whole := mustHex("cebae1bdb9cf83cebcceb5" + "f4908080" + "656469746564") // U+110000 at octet 12
	type split struct {
		id     string
		parts  [3]int // part lengths
		stream bool   // one frame streamed in parts (6.4.3, 6.4.4) or three frames
		what   string
	}
	var out []*conformance.Case
	for _, sp := range []split{
		{"6.4.1", [3]int{11, 4, 6}, false, "three frames: valid κόσμε, then F4 90 80 80 (U+110000, out of range), then 'edited'"},
		{"6.4.2", [3]int{12, 1, 8}, false, "three frames: κόσμε plus F4 (still a valid prefix), then the single invalid octet 90, then the rest"},
		{"6.4.3", [3]int{11, 4, 6}, true, "one frame whose payload is written in three parts: valid κόσμε, then F4 90 80 80, then 'edited'"},
		{"6.4.4", [3]int{12, 1, 8}, true, "one frame whose payload is written in three parts: κόσμε plus F4, then the single invalid octet 90, then the rest"},
	} {
		p1 := whole[:sp.parts[0]]
		p2 := whole[sp.parts[0] : sp.parts[0]+sp.parts[1]]
		p3 := whole[sp.parts[0]+sp.parts[1]:]
		stream := sp.stream
		out = append(out, &conformance.Case{
			ID: sp.id,
			Description: "Send an invalid text message in " + sp.what + ", one second apart. " +
				"The message becomes invalid at octet 12 (0x90).",
			Expectation: "The connection is failed with 1007 within a second of the invalid part (fail fast: OK). " +
				"Failing only after the last part is NON-STRICT.",
			Requirements: reqs("R-8.1-utf8-fail", "R-5.6-text-utf8"),
			Expected:     map[conformance.Verdict][]conformance.Event{conformance.OK: {conformance.Timeout("A")}, conformance.NonStrict: {conformance.Timeout("A"), conformance.Timeout("B")}},
			Close:        failUTF8,
			Open: func(s *conformance.Session) {
				if stream {
					s.BeginFrame(txt, false, len(whole))
					s.FramePart(p1)
				} else {
					s.SendFrame(conformance.Frame{Opcode: txt, Payload: p1})
				}
				s.ContinueLater(1, "A", func() {
					if !s.IsOpen() {
						return
					}
					s.RecordTimeout("A")
					if stream {
						s.FramePart(p2)
					} else {
						s.SendFrame(conformance.Frame{Opcode: cont, Payload: p2})
					}
					s.ContinueLater(1, "B", func() {
						if !s.IsOpen() {
							return
						}
						s.RecordTimeout("B")
						if stream {
							s.FramePart(p3)
							s.SendFrame(conformance.Frame{Opcode: cont, Fin: true})
						} else {
							s.SendFrame(conformance.Frame{Opcode: cont, Fin: true, Payload: p3})
						}
						s.KillAfter(1)
					})
				})
			},
		})
	}
	return out
}
