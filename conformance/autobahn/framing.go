package autobahn

import (
	"fmt"

	"github.com/wskit/wskit/conformance"

	"github.com/wskit/wskit/spec"
)

// framing is category 1.
var framing = &Category{ID: "1", Name: "Framing", AutobahnCases: 16, build: framingCases,
	Captions: map[string]string{
		"1.1": "Text Messages",
		"1.2": "Binary Messages",
	},
}

// framingCases are category 1: single unfragmented text and binary
// messages at every boundary of the length encoding, echoed back.
func framingCases() []*conformance.Case {
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
	var out []*conformance.Case
	for sub, kind := range []struct {
		opcode int
		name   string
		fill   byte
		ev     func([]byte) conformance.Event
	}{
		{int(spec.OpText), "text", '*', func(b []byte) conformance.Event { return conformance.Message(b, false) }},
		{int(spec.OpBinary), "binary", 0xfe, func(b []byte) conformance.Event { return conformance.Message(b, true) }},
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
			out = append(out, &conformance.Case{
				ID:           fmt.Sprintf("1.%d.%d", sub+1, i+1),
				Description:  fmt.Sprintf("Send a %s message with a payload of %d octets (%s).", kind.name, l.n, l.what),
				Expectation:  "The message is echoed back with the same type and payload. Clean close with normal code.",
				Requirements: reqs("R-5.2-len-encoding", "R-5.4-unfragmented", "R-6.2-parse", "R-6.2-server-unmask"),
				Expected:     ok(kind.ev(payload)),
				Close:        closeNormal,
				Open: func(s *conformance.Session) {
					s.SendFrame(conformance.Frame{Opcode: kind.opcode, Fin: true, Payload: payload, ChopSize: chop})
					s.KillAfter(kill)
				},
			})
		}
	}
	return out
}
