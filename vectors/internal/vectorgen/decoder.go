package vectorgen

import (
	"encoding/hex"
	"fmt"
	"github.com/wskit/wskit/internal/utf8verdict"
	"slices"
	"strings"

	"github.com/wskit/wskit/vectors"
)

// opClose and the reserved opcodes, spelled out from RFC 6455 section 5.2.
const opClose = 0x8

// Close codes RFC 6455 section 7.4 and the IANA registry allow on the
// wire, and a sample of those they do not (Autobahn 7.7, 7.9, 7.13).
var (
	validCloseCodes   = []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999}
	invalidCloseCodes = []int{0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}
)

// fr is a frame whose declared length is its payload's.
func fr(fin bool, op uint8, payload string) frame {
	return frame{fin: fin, opcode: op, length: uint64(len(payload)), payload: []byte(payload)}
}

// withRsv returns f with RSV bits set.
func (f frame) withRsv(rsv uint8) frame { f.rsv = rsv; return f }

// closeBody is a Close payload: the code in two big-endian bytes, then the
// reason.
func closeBody(code int, reason string) string {
	return string([]byte{byte(code >> 8), byte(code)}) + reason
}

// stream is a sequence of frames as one endpoint receives them: masked,
// with keys derived from the vector ID, when the receiver is a server.
type stream struct {
	id     string
	role   string
	frames []frame
}

func newStream(id, role string, frames ...frame) stream {
	s := stream{id: id, role: role}
	for i, f := range frames {
		if role == "server" {
			f.key = derive(fmt.Sprintf("%s key %d", id, i), 4)
		}
		s.frames = append(s.frames, f)
	}
	return s
}

// bytes returns the wire form of the stream.
func (s stream) bytes() []byte {
	var out []byte
	for _, f := range s.frames {
		out = append(out, f.wire()...)
	}
	return out
}

// headerSize is the size of f's header, from RFC 6455 section 5.2.
func headerSize(f frame) int {
	n := 2
	switch {
	case f.length >= 1<<16:
		n += 8
	case f.length >= 126:
		n += 2
	}
	if f.key != nil {
		n += 4
	}
	return n
}

// payloadOffset returns the stream offset of byte i of frame k's payload.
func (s stream) payloadOffset(k, i int) int64 {
	off := 0
	for j := 0; j < k; j++ {
		off += headerSize(s.frames[j]) + len(s.frames[j].payload)
	}
	return int64(off + headerSize(s.frames[k]) + i)
}

// textError is the error for a text message made of the payloads of
// frames msg of s, or nil if the text is valid: 1007 at the fail-fast
// point (R-8.1-utf8-fail), or at the end of the final frame for a message
// that ends inside a code point (R-5.6-text-utf8).
func (s stream) textError(msg []int) *vectors.DecoderError {
	var text []byte
	for _, k := range msg {
		text = append(text, s.frames[k].payload...)
	}
	bad, valid, truncated := utf8verdict.Of(text)
	switch {
	case valid:
		return nil
	case truncated:
		last := msg[len(msg)-1]
		return &vectors.DecoderError{CloseCode: 1007, Requirement: "R-5.6-text-utf8", Offset: ptr(s.payloadOffset(last, len(s.frames[last].payload)))}
	}
	for _, k := range msg {
		if n := len(s.frames[k].payload); bad >= n {
			bad -= n
			continue
		}
		return &vectors.DecoderError{CloseCode: 1007, Requirement: "R-8.1-utf8-fail", Offset: ptr(s.payloadOffset(k, bad))}
	}
	panic("vectorgen: offset outside the message")
}

func ptr(v int64) *int64 { return &v }

func evText(s string) vectors.Event   { return vectors.Event{Kind: "text", Data: []byte(s)} }
func evBinary(s string) vectors.Event { return vectors.Event{Kind: "binary", Data: []byte(s)} }
func evPing(s string) vectors.Event   { return vectors.Event{Kind: "ping", Data: []byte(s)} }
func evPong(s string) vectors.Event   { return vectors.Event{Kind: "pong", Data: []byte(s)} }
func evClose(code int, reason string) vectors.Event {
	return vectors.Event{Kind: "close", Data: []byte(reason), Code: code}
}

func protocolErr(code int, req string) *vectors.DecoderError {
	return &vectors.DecoderError{CloseCode: code, Requirement: req}
}

// decoderVector assembles one vector.
func decoderVector(id, desc, source string, reqs []string, s stream, limits *vectors.Limits, events []vectors.Event, err *vectors.DecoderError) vectors.DecoderVector {
	if events == nil {
		events = []vectors.Event{}
	}
	return vectors.DecoderVector{
		Common: vectors.Common{ID: id, Description: desc, Source: source, Requirements: reqs},
		Role:   s.role, Limits: limits, Input: s.bytes(), Events: events, Error: err,
	}
}

// unhex decodes a hex constant of the generator.
func unhex(s string) string {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return string(b)
}

// validDecoderVectors are streams that decode without error.
func validDecoderVectors() []vectors.DecoderVector {
	var out []vectors.DecoderVector
	add := func(id, desc, source string, reqs []string, role string, limits *vectors.Limits, events []vectors.Event, frames ...frame) {
		out = append(out, decoderVector(id, desc, source, reqs, newStream(id, role, frames...), limits, events, nil))
	}
	hello := "Hello"
	add("rfc6455-5.7-unmasked-text", `The RFC's unmasked "Hello", received by a client`, "RFC6455 5.7",
		[]string{"R-5.4-unfragmented", "R-5.1-server-never-masks"}, "client", nil, []vectors.Event{evText(hello)}, fr(true, opText, hello))
	out = append(out, vectors.DecoderVector{
		Common: vectors.Common{ID: "rfc6455-5.7-masked-text", Description: `The RFC's masked "Hello" with key 37 fa 21 3d, received by a server`, Source: "RFC6455 5.7",
			Requirements: []string{"R-6.2-server-unmask", "R-5.3-xor"}},
		Role: "server", Input: frame{fin: true, opcode: opText, key: rfcKey, length: 5, payload: []byte(hello)}.wire(), Events: []vectors.Event{evText(hello)},
	})
	add("rfc6455-5.7-fragmented-text", `The RFC's "Hel" + "lo" fragmented text`, "RFC6455 5.7",
		[]string{"R-5.4-fragmented", "R-5.4-type-from-first", "R-5.4-recv-both"}, "client", nil, []vectors.Event{evText(hello)},
		fr(false, opText, "Hel"), fr(true, opContinuation, "lo"))
	add("rfc6455-5.7-ping-pong", `The RFC's ping and pong with body "Hello"`, "RFC6455 5.7",
		[]string{"R-5.5.2-ping-any-time", "R-5.5.3-unsolicited"}, "client", nil, []vectors.Event{evPing(hello), evPong(hello)},
		fr(true, opPing, hello), fr(true, opPong, hello))
	add("ping-between-fragments", "A ping between the two fragments of a text message (Autobahn 5.6); the ping is delivered before the message is complete", "generated",
		[]string{"R-5.4-control-interleave", "R-5.4-order"}, "server", nil, []vectors.Event{evPing("ping payload"), evText("fragment1fragment2")},
		fr(false, opText, "fragment1"), fr(true, opPing, "ping payload"), fr(true, opContinuation, "fragment2"))
	add("text-split-inside-code-point-with-ping", `"κόσμε" fragmented inside the code point of "ό", with a ping between the fragments`, "generated",
		[]string{"R-5.6-text-utf8", "R-5.4-control-interleave"}, "server", nil, []vectors.Event{evPing(""), evText("κόσμε")},
		fr(false, opText, "κ\xcf"), fr(true, opPing, ""), fr(true, opContinuation, "\x8cσμε"))
	add("text-one-byte-fragments", `"κόσμε" in eleven 1-byte fragments (Autobahn 6.2.3)`, "generated",
		[]string{"R-5.6-text-utf8", "R-5.4-any-size"}, "client", nil, []vectors.Event{evText("κόσμε")}, byteFragments(opText, "κόσμε")...)
	add("empty-messages", "An empty text message and an empty binary message", "generated",
		[]string{"R-5.4-unfragmented", "R-6.2-parse"}, "server", nil, []vectors.Event{evText(""), evBinary("")},
		fr(true, opText, ""), fr(true, opBinary, ""))
	add("empty-fragments", "A binary message of empty fragments around one byte (Autobahn 6.1.2)", "generated",
		[]string{"R-5.4-any-size", "R-5.4-fragmented"}, "client", nil, []vectors.Event{evBinary("x")},
		fr(false, opBinary, ""), fr(false, opContinuation, ""), fr(false, opContinuation, "x"), fr(true, opContinuation, ""))
	add("two-messages", "Two text messages: after a FIN frame the next data frame starts a new message", "generated",
		[]string{"R-6.2-parse", "R-5.4-order"}, "server", nil, []vectors.Event{evText("one"), evBinary("two")},
		fr(false, opText, "o"), fr(true, opContinuation, "ne"), fr(true, opBinary, "two"))
	for _, n := range []int{125, 126, 127, 300} {
		p := string(derive(fmt.Sprintf("length %d", n), n))
		add(fmt.Sprintf("binary-%d", n), fmt.Sprintf("A binary message of %d bytes (%s length form)", n, lengthForm(uint64(n))), "generated",
			[]string{"R-5.2-len-encoding", "R-6.2-server-unmask"}, "server", nil, []vectors.Event{evBinary(p)}, fr(true, opBinary, p))
	}
	add("ping-125", "A ping with the longest control payload, 125 bytes (Autobahn 2.4)", "generated",
		[]string{"R-5.5-control-125"}, "server", nil, []vectors.Event{evPing(strings.Repeat("\xfe", 125))}, fr(true, opPing, strings.Repeat("\xfe", 125)))
	add("unsolicited-pong", "An unsolicited pong (Autobahn 2.8)", "generated",
		[]string{"R-5.5.3-unsolicited"}, "client", nil, []vectors.Event{evPong("unsolicited pong payload")}, fr(true, opPong, "unsolicited pong payload"))
	add("close-empty", "A Close with an empty body: no status code, reported as 1005", "generated",
		[]string{"R-5.5.1-close-body", "R-7.1.5-close-code"}, "server", nil, []vectors.Event{evClose(1005, "")}, fr(true, opClose, ""))
	add("close-reason-123", "A Close with the longest reason, 123 bytes (Autobahn 7.3.5)", "generated",
		[]string{"R-5.5.1-close-body", "R-7.1.6-close-reason"}, "server", nil, []vectors.Event{evClose(1000, strings.Repeat("*", 123))},
		fr(true, opClose, closeBody(1000, strings.Repeat("*", 123))))
	add("close-reason-utf8", `A Close 1000 with the reason "κόσμε"`, "generated",
		[]string{"R-5.5.1-reason-utf8", "R-7.1.6-close-reason"}, "client", nil, []vectors.Event{evClose(1000, "κόσμε")}, fr(true, opClose, closeBody(1000, "κόσμε")))
	for _, code := range validCloseCodes {
		add(fmt.Sprintf("close-code-%d", code), fmt.Sprintf("A Close with the valid code %d (Autobahn 7.7)", code), "generated",
			[]string{"R-7.4-invalid-recv", "R-7.4.2-ranges"}, "server", nil, []vectors.Event{evClose(code, "")}, fr(true, opClose, closeBody(code, "")))
	}
	add("frames-after-close", "Frames after a Close are still well-formed frames; whether to process them is the connection's decision (see conn.json)", "generated",
		[]string{"R-6.2-parse"}, "server", nil, []vectors.Event{evClose(1000, ""), evPing(""), evText("late")},
		fr(true, opClose, closeBody(1000, "")), fr(true, opPing, ""), fr(true, opText, "late"))
	lim := func(frame uint64, msg uint64, frags int) *vectors.Limits {
		return &vectors.Limits{MaxFramePayload: frame, MaxMessage: msg, MaxFragments: frags}
	}
	add("limits-just-under", "A message exactly at the limits: frames of at most 6 bytes, 10 bytes in all, 3 frames", "generated",
		[]string{"R-10.4-limits"}, "server", lim(6, 10, 3), []vectors.Event{evText("0123456789")},
		fr(false, opText, "012345"), fr(false, opContinuation, ""), fr(true, opContinuation, "6789"))
	nonMinimal := frame{fin: true, opcode: opBinary, length: 2, payload: []byte("hi")}.wire()
	nonMinimal = append([]byte{nonMinimal[0], 126, 0, 2}, "hi"...)
	out = append(out, vectors.DecoderVector{
		Common: vectors.Common{ID: "lenient-non-minimal-length", Description: "Length 2 in the 16-bit form, accepted by a decoder configured to be lenient", Source: "generated",
			Requirements: []string{"R-5.2-len-minimal"}},
		Role: "client", Limits: &vectors.Limits{AllowNonMinimalLength: true}, Input: nonMinimal, Events: []vectors.Event{evBinary("hi")},
	})
	for _, c := range autobahnUTF8 {
		text := unhex(c.hex)
		if _, valid, _ := utf8verdict.Of([]byte(text)); !valid {
			continue
		}
		add("utf8-"+c.id, "Valid UTF-8 from Autobahn case "+c.id+": "+c.what, "Autobahn "+c.id,
			[]string{"R-5.6-text-utf8"}, "server", nil, []vectors.Event{evText(text)}, fr(true, opText, text))
	}
	return out
}

// byteFragments splits a message into 1-byte frames.
func byteFragments(op uint8, p string) []frame {
	var out []frame
	for i := 0; i < len(p); i++ {
		o := uint8(opContinuation)
		if i == 0 {
			o = op
		}
		out = append(out, fr(i == len(p)-1, o, p[i:i+1]))
	}
	return out
}

// autobahnUTF8 are the payloads of Autobahn category 6
// (../shared/reference/autobahn.md), valid and invalid.
var autobahnUTF8 = []struct{ id, what, hex string }{
	{"6.2.1", "κόσμε", "cebae1bdb9cf83cebcceb5"},
	{"6.3.1", "κόσμε followed by a surrogate", "cebae1bdb9cf83cebcceb5eda080656469746564"},
	{"6.4.1", "κόσμε, then a code point above U+10FFFF", "cebae1bdb9cf83cebcceb5f4908080656469746564"},
	{"6.6.1", "a lone lead byte", "ce"},
	{"6.6.2", "κ", "ceba"},
	{"6.6.3", "κ and a lone lead byte", "cebae1"},
	{"6.6.4", "κ and an unfinished 3-byte sequence", "cebae1bd"},
	{"6.7.1", "U+0000", "00"},
	{"6.7.2", "U+0080", "c280"},
	{"6.7.3", "U+0800", "e0a080"},
	{"6.7.4", "U+10000", "f0908080"},
	{"6.8.1", "a 5-byte sequence", "f888808080"},
	{"6.8.2", "a 6-byte sequence", "fc8480808080"},
	{"6.9.1", "U+007F", "7f"},
	{"6.9.2", "U+07FF", "dfbf"},
	{"6.9.3", "U+FFFF", "efbfbf"},
	{"6.9.4", "U+10FFFF", "f48fbfbf"},
	{"6.10.1", "F7 BF BF BF (above U+10FFFF)", "f7bfbfbf"},
	{"6.10.2", "a 5-byte sequence", "fbbfbfbfbf"},
	{"6.10.3", "a 6-byte sequence", "fdbfbfbfbfbf"},
	{"6.11.1", "U+D7FF", "ed9fbf"},
	{"6.11.2", "U+E000", "ee8080"},
	{"6.11.3", "U+FFFD", "efbfbd"},
	{"6.11.4", "U+10FFFF", "f48fbfbf"},
	{"6.11.5", "U+110000", "f4908080"},
	{"6.12.1", "a lone continuation byte", "80"},
	{"6.12.3", "two continuation bytes", "80bf"},
	{"6.12.8", "every continuation byte", "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbe"},
	{"6.13.1", "2-byte lead bytes followed by a space", "c020c120c220c320c420c520c620c720c820c920ca20cb20cc20cd20ce20cf20d020d120d220d320d420d520d620d720d820d920da20db20dc20dd20de20"},
	{"6.13.2", "3-byte lead bytes followed by a space", "e020e120e220e320e420e520e620e720e820e920ea20eb20ec20ed20ee20"},
	{"6.13.3", "4-byte lead bytes followed by a space", "f020f120f220f320f420f520f620"},
	{"6.13.4", "5-byte lead bytes followed by a space", "f820f920fa20"},
	{"6.13.5", "a 6-byte lead byte followed by a space", "fc20"},
	{"6.14.1", "C0 alone", "c0"},
	{"6.14.2", "E0 80", "e080"},
	{"6.14.3", "F0 80 80", "f08080"},
	{"6.14.6", "DF, last continuation byte missing", "df"},
	{"6.14.7", "EF BF, last continuation byte missing", "efbf"},
	{"6.14.8", "F7 BF BF", "f7bfbf"},
	{"6.15.1", "incomplete sequences concatenated", "c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf"},
	{"6.16.1", "FE", "fe"},
	{"6.16.2", "FF", "ff"},
	{"6.16.3", "FE FE FF FF", "fefeffff"},
	{"6.17.1", "overlong '/' in 2 bytes", "c0af"},
	{"6.17.2", "overlong '/' in 3 bytes", "e080af"},
	{"6.17.3", "overlong '/' in 4 bytes", "f08080af"},
	{"6.18.1", "largest overlong 2-byte", "c1bf"},
	{"6.18.2", "largest overlong 3-byte", "e09fbf"},
	{"6.18.3", "largest overlong 4-byte", "f08fbfbf"},
	{"6.19.1", "overlong NUL in 2 bytes", "c080"},
	{"6.19.2", "overlong NUL in 3 bytes", "e08080"},
	{"6.19.3", "overlong NUL in 4 bytes", "f0808080"},
	{"6.20.1", "the surrogate U+D800", "eda080"},
	{"6.20.4", "the surrogate U+DBFF", "edafbf"},
	{"6.20.5", "the surrogate U+DC00", "edb080"},
	{"6.20.7", "the surrogate U+DFFF", "edbfbf"},
	{"6.21.1", "a surrogate pair U+D800 U+DC00", "eda080edb080"},
	{"6.21.8", "a surrogate pair U+DBFF U+DFFF", "edafbfedbfbf"},
	{"6.22.1", "the non-character U+FFFE", "efbfbe"},
	{"6.22.3", "the non-character U+1FFFE", "f09fbfbe"},
	{"6.22.34", "the non-character U+10FFFF", "f48fbfbf"},
	{"6.23.1", "U+FFF9", "efbfb9"},
	{"6.23.7", "U+FFFF", "efbfbf"},
}

// errorDecoderVectors have a failing stream for every receive rule of RFC
// 6455 sections 5-10 that a decoder applies.
func errorDecoderVectors() []vectors.DecoderVector {
	var out []vectors.DecoderVector
	add := func(id, desc, source string, role string, limits *vectors.Limits, events []vectors.Event, err *vectors.DecoderError, frames ...frame) {
		out = append(out, decoderVector(id, desc, source, []string{err.Requirement}, newStream(id, role, frames...), limits, events, err))
	}
	raw := func(id, desc, source, role string, input []byte, limits *vectors.Limits, err *vectors.DecoderError) {
		out = append(out, vectors.DecoderVector{
			Common: vectors.Common{ID: id, Description: desc, Source: source, Requirements: []string{err.Requirement}},
			Role:   role, Limits: limits, Input: input, Events: []vectors.Event{}, Error: err,
		})
	}
	hw := "Hello, world!"

	// R-5.2-rsv-fail: no extension is negotiated in any vector.
	rsvFail := protocolErr(1002, "R-5.2-rsv-fail")
	add("rsv1", "A text frame with RSV1 set and no extension negotiated", "Autobahn 3.4", "server", nil, nil, rsvFail, fr(true, opText, hw).withRsv(4))
	add("rsv2-after-valid-message", "A valid text message, the same text with RSV2, then a ping: the first message is delivered, the ping is not (Autobahn 3.2)", "Autobahn 3.2", "server", nil,
		[]vectors.Event{evText(hw)}, rsvFail, fr(true, opText, hw), fr(true, opText, hw).withRsv(2), fr(true, opPing, ""))
	add("rsv3", "A text frame with RSV3 set (Autobahn 3.1)", "Autobahn 3.1", "client", nil, nil, rsvFail, fr(true, opText, hw).withRsv(1))
	add("rsv5-binary", "A binary frame with RSV1 and RSV3 set (Autobahn 3.5)", "Autobahn 3.5", "server", nil, nil, rsvFail, fr(true, opBinary, "\x00\xff\xfe\xfd\xfc\xfb\x00\xff").withRsv(5))
	add("rsv7-close", "An empty Close with all three RSV bits set (Autobahn 3.7)", "Autobahn 3.7", "server", nil, nil, rsvFail, fr(true, opClose, "").withRsv(7))
	add("rsv-continuation", "A continuation frame with RSV1 set", "generated", "client", nil, nil, rsvFail, fr(false, opText, "a"), fr(true, opContinuation, "b").withRsv(4))

	// R-5.2-opcode-fail
	for op := uint8(3); op <= 15; op++ {
		if op >= opClose && op <= opPong {
			continue
		}
		add(fmt.Sprintf("opcode-%d", op), fmt.Sprintf("A frame with the reserved opcode %#x (Autobahn 4.x)", op), "generated", "server", nil, nil,
			protocolErr(1002, "R-5.2-opcode-fail"), frame{fin: true, opcode: op})
	}
	add("opcode-5-after-message", "A valid text message, a frame with opcode 5, a ping (Autobahn 4.1.3)", "Autobahn 4.1.3", "server", nil,
		[]vectors.Event{evText(hw)}, protocolErr(1002, "R-5.2-opcode-fail"), fr(true, opText, hw), fr(true, 5, ""), fr(true, opPing, ""))
	add("opcode-12-payload", "A frame with opcode 12 and a payload (Autobahn 4.2.2)", "Autobahn 4.2.2", "client", nil, nil,
		protocolErr(1002, "R-5.2-opcode-fail"), fr(true, 12, "reserved opcode payload"))

	// R-5.4-control-unfragmented
	add("fragmented-ping", "A ping with FIN=0 followed by a continuation (Autobahn 5.1)", "Autobahn 5.1", "server", nil, nil,
		protocolErr(1002, "R-5.4-control-unfragmented"), fr(false, opPing, "fragment1"), fr(true, opContinuation, "fragment2"))
	add("fragmented-pong", "A pong with FIN=0 followed by a continuation (Autobahn 5.2)", "Autobahn 5.2", "server", nil, nil,
		protocolErr(1002, "R-5.4-control-unfragmented"), fr(false, opPong, "fragment1"), fr(true, opContinuation, "fragment2"))
	add("fragmented-close", "A Close with FIN=0", "generated", "client", nil, nil,
		protocolErr(1002, "R-5.4-control-unfragmented"), fr(false, opClose, closeBody(1000, "")))

	// R-5.5-control-125
	add("ping-126", "A ping with 126 bytes of payload, in the 16-bit length form (Autobahn 2.5)", "Autobahn 2.5", "server", nil, nil,
		protocolErr(1002, "R-5.5-control-125"), fr(true, opPing, strings.Repeat("\xfe", 126)))
	add("pong-126", "A pong with 126 bytes of payload", "generated", "client", nil, nil,
		protocolErr(1002, "R-5.5-control-125"), fr(true, opPong, strings.Repeat("x", 126)))
	add("close-reason-124", "A Close whose reason is 124 bytes: the frame is over 125 bytes (Autobahn 7.3.6)", "Autobahn 7.3.6", "server", nil, nil,
		protocolErr(1002, "R-5.5-control-125"), fr(true, opClose, closeBody(1000, strings.Repeat("*", 124))))
	raw("ping-declaring-huge-length", "A ping header declaring 2^63-1 bytes of payload", "generated", "client",
		frame{fin: true, opcode: opPing, length: 1<<63 - 1}.wire(), nil, protocolErr(1002, "R-5.5-control-125"))

	// R-5.1-server-rejects-unmasked, R-5.1-client-rejects-masked
	out = append(out, vectors.DecoderVector{
		Common: vectors.Common{ID: "unmasked-to-server", Description: "An unmasked text frame received by a server", Source: "RFC6455 5.1", Requirements: []string{"R-5.1-server-rejects-unmasked"}},
		Role:   "server", Input: fr(true, opText, hw).wire(), Events: []vectors.Event{}, Error: protocolErr(1002, "R-5.1-server-rejects-unmasked"),
	})
	masked := fr(true, opText, hw)
	masked.key = derive("masked-to-client key", 4)
	out = append(out, vectors.DecoderVector{
		Common: vectors.Common{ID: "masked-to-client", Description: "A masked text frame received by a client", Source: "RFC6455 5.1", Requirements: []string{"R-5.1-client-rejects-masked"}},
		Role:   "client", Input: masked.wire(), Events: []vectors.Event{}, Error: protocolErr(1002, "R-5.1-client-rejects-masked"),
	})

	// R-5.4-orphan-continuation, R-5.4-nested-start
	orphan := protocolErr(1002, "R-5.4-orphan-continuation")
	add("orphan-continuation-final", "A final continuation frame with no message in progress (Autobahn 5.9)", "Autobahn 5.9", "server", nil, nil, orphan,
		fr(true, opContinuation, "non-continuation payload"), fr(true, opText, hw))
	add("orphan-continuation", "A non-final continuation frame with no message in progress (Autobahn 5.12)", "Autobahn 5.12", "server", nil, nil, orphan,
		fr(false, opContinuation, "non-continuation payload"), fr(true, opText, hw))
	add("continuation-after-message", "A fragmented message, then a continuation of nothing, then text (Autobahn 5.15)", "Autobahn 5.15", "server", nil,
		[]vectors.Event{evText("fragment1fragment2")}, orphan,
		fr(false, opText, "fragment1"), fr(true, opContinuation, "fragment2"), fr(false, opContinuation, "fragment3"), fr(true, opText, "fragment4"))
	add("nested-text", "A text frame inside a fragmented text message (Autobahn 5.18)", "Autobahn 5.18", "server", nil, nil,
		protocolErr(1002, "R-5.4-nested-start"), fr(false, opText, "fragment1"), fr(true, opText, "fragment2"))
	add("nested-binary-after-ping", "A binary frame inside a fragmented text message, after an interleaved ping", "generated", "client", nil,
		[]vectors.Event{evPing("p")}, protocolErr(1002, "R-5.4-nested-start"), fr(false, opText, "a"), fr(true, opPing, "p"), fr(false, opBinary, "b"))

	// R-5.2-len-minimal, R-5.2-len-msb0: written by hand, since the frame
	// builder always uses the minimal form.
	raw("length-124-in-16-bits", "Length 124 in the 16-bit form, the RFC's own counter-example", "RFC6455 5.2", "client",
		append([]byte{0x82, 126, 0, 124}, make([]byte, 124)...), nil, protocolErr(1002, "R-5.2-len-minimal"))
	raw("length-5-in-16-bits-masked", "Length 5 in the 16-bit form, masked", "generated", "server",
		[]byte{0x82, 0xfe, 0, 5, 1, 2, 3, 4, 1, 2, 3, 4, 5}, nil, protocolErr(1002, "R-5.2-len-minimal"))
	raw("length-65535-in-64-bits", "Length 65535 in the 64-bit form (header only)", "generated", "client",
		[]byte{0x82, 127, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, nil, protocolErr(1002, "R-5.2-len-minimal"))
	raw("length-top-bit", "A 64-bit length with the most significant bit set", "RFC6455 5.2", "client",
		[]byte{0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0}, nil, protocolErr(1002, "R-5.2-len-msb0"))
	raw("length-top-bit-lenient", "A 64-bit length with every bit set: still an error for a decoder lenient about non-minimal lengths", "generated", "server",
		[]byte{0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4}, &vectors.Limits{AllowNonMinimalLength: true}, protocolErr(1002, "R-5.2-len-msb0"))

	// Truncated headers: the input stops inside a header, and the rule is
	// broken by the bytes already there, so a decoder fails without
	// waiting for the rest (the masking key, or the extended length when
	// nothing earlier in the rule order depends on it). Written by hand:
	// the frame builder always writes whole headers.
	lenient := &vectors.Limits{AllowNonMinimalLength: true}
	for _, c := range []struct {
		id, desc, role string
		limits         *vectors.Limits
		input          []byte
		err            *vectors.DecoderError
	}{
		{"truncated-masked-to-client", "The first 2 bytes of a masked empty text frame, received by a client: no key is needed to see the mask bit", "client", nil,
			[]byte{0x81, 0x80}, protocolErr(1002, "R-5.1-client-rejects-masked")},
		{"truncated-rsv1", "The first 2 bytes of a masked empty text frame with RSV1 set and no extension negotiated", "server", nil,
			[]byte{0xc1, 0x80}, protocolErr(1002, "R-5.2-rsv-fail")},
		{"truncated-opcode-3", "The first 2 bytes of a masked frame with the reserved opcode 3", "server", nil,
			[]byte{0x83, 0x80}, protocolErr(1002, "R-5.2-opcode-fail")},
		{"truncated-fragmented-ping", "The first 2 bytes of a masked ping with FIN=0", "server", nil,
			[]byte{0x09, 0x80}, protocolErr(1002, "R-5.4-control-unfragmented")},
		{"truncated-orphan-continuation", "The first 2 bytes of a masked continuation frame with no message in progress", "server", nil,
			[]byte{0x80, 0x80}, protocolErr(1002, "R-5.4-orphan-continuation")},
		{"truncated-nested-text", "A non-final text frame, then the first 2 bytes of a masked text frame inside the message", "server", nil,
			append(frame{opcode: opText, length: 1, payload: []byte("a"), key: derive("truncated-nested-text key 0", 4)}.wire(), 0x81, 0x80),
			protocolErr(1002, "R-5.4-nested-start")},
		{"truncated-ping-126", "A masked ping header declaring 126 bytes in the 16-bit form, without its key (2 bytes are not enough for a strict decoder: 16-bit lengths under 126 break R-5.2-len-minimal, which comes first)", "server", nil,
			[]byte{0x89, 0xfe, 0x00, 0x7e}, protocolErr(1002, "R-5.5-control-125")},
		{"truncated-length-5-in-16-bits", "A masked binary frame header with length 5 in the 16-bit form, without its key", "server", nil,
			[]byte{0x82, 0xfe, 0x00, 0x05}, protocolErr(1002, "R-5.2-len-minimal")},
		{"truncated-length-65535-in-64-bits", "A masked binary frame header with length 65535 in the 64-bit form, without its key", "server", nil,
			[]byte{0x82, 0xff, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, protocolErr(1002, "R-5.2-len-minimal")},
		{"truncated-length-top-bit", "A masked binary frame header whose 64-bit length has the most significant bit set, without its key", "server", nil,
			[]byte{0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0}, protocolErr(1002, "R-5.2-len-msb0")},
		{"truncated-limit-declared-2^63-1", "A masked binary frame header declaring 2^63-1 bytes, without its key", "server", nil,
			[]byte{0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, protocolErr(1009, "R-10.4-limits")},
		{"truncated-lenient-rsv1-16-bit", "The first 2 bytes of a masked text frame with RSV1 and a 16-bit length, to a decoder lenient about non-minimal lengths: no length rule can fail, so the RSV rule is decided", "server", lenient,
			[]byte{0xc1, 0xfe}, protocolErr(1002, "R-5.2-rsv-fail")},
		{"truncated-lenient-masked-to-client-16-bit", "The first 2 bytes of a masked binary frame with a 16-bit length, to a client lenient about non-minimal lengths", "client", lenient,
			[]byte{0x82, 0xfe}, protocolErr(1002, "R-5.1-client-rejects-masked")},
	} {
		raw(c.id, c.desc, "generated", c.role, c.input, c.limits, c.err)
	}

	// R-5.5.1-close-body, R-7.4-invalid-recv, R-5.5.1-reason-utf8
	add("close-1-byte", "A Close with a 1-byte body (Autobahn 7.3.2)", "Autobahn 7.3.2", "server", nil, nil,
		protocolErr(1002, "R-5.5.1-close-body"), fr(true, opClose, "a"))
	for _, code := range invalidCloseCodes {
		add(fmt.Sprintf("close-code-%d", code), fmt.Sprintf("A Close with the code %d, which is not valid on the wire (Autobahn 7.9, 7.13)", code), "generated", "server", nil, nil,
			protocolErr(1002, "R-7.4-invalid-recv"), fr(true, opClose, closeBody(code, "")))
	}
	for _, c := range []struct{ id, desc, reason, source string }{
		{"close-reason-not-utf8", "A Close 1000 whose reason is not UTF-8 (a surrogate)", unhex("cebae1bdb9cf83cebcceb5eda080656469746564"), "Autobahn 7.5.1"},
		{"close-reason-truncated", "A Close 1000 whose reason ends inside a code point", "ok\xe2\x82", "generated"},
	} {
		s := newStream(c.id, "server", fr(true, opClose, closeBody(1000, c.reason)))
		bad, _, truncated := utf8verdict.Of([]byte(c.reason))
		off := s.payloadOffset(0, 2+bad)
		if truncated {
			off = s.payloadOffset(0, 2+len(c.reason))
		}
		err := &vectors.DecoderError{CloseCode: 1007, Requirement: "R-5.5.1-reason-utf8", Offset: ptr(off)}
		out = append(out, decoderVector(c.id, c.desc, c.source, []string{err.Requirement, "R-8.1-utf8-fail"}, s, nil, nil, err))
	}

	// R-8.1-utf8-fail and R-5.6-text-utf8 (Autobahn 6.x), in one frame.
	for _, c := range autobahnUTF8 {
		text := unhex(c.hex)
		s := newStream("utf8-"+c.id, "server", fr(true, opText, text))
		err := s.textError([]int{0})
		if err == nil {
			continue
		}
		out = append(out, decoderVector("utf8-"+c.id, "Invalid UTF-8 from Autobahn case "+c.id+": "+c.what, "Autobahn "+c.id,
			uniq(err.Requirement, "R-8.1-utf8-fail"), s, nil, nil, err))
	}
	// Fragmented text: the failure crosses frame boundaries, comes before
	// the message ends (fail-fast), or only at its end.
	for _, c := range []struct {
		id, desc string
		role     string
		frames   []frame
		msg      []int // indexes of the message's frames
		events   []vectors.Event
	}{
		{"utf8-split-invalid", "A code point whose lead byte ends one fragment and whose next byte, after a ping, cannot continue it", "server",
			[]frame{fr(false, opText, "\xce"), fr(true, opPing, "x"), fr(true, opContinuation, " ")}, []int{0, 2}, []vectors.Event{evPing("x")}},
		{"utf8-fail-fast-first-fragment", "A first fragment that is already invalid (a surrogate); the rest of the message never comes (Autobahn 6.4.2)", "server",
			[]frame{fr(false, opText, unhex("cebae1bdb9cf83cebcceb5eda0"))}, []int{0}, nil},
		{"utf8-fail-fast-one-byte-fragments", "κόσμε then U+110000 in 1-byte fragments: the failure is at the second byte of F4 90, before the message ends", "client",
			byteFragments(opText, unhex("cebae1bdb9cf83cebcceb5f4908080656469746564")), nil, nil},
		{"utf8-truncated-empty-final", "A text message whose last non-empty fragment ends inside a code point, followed by an empty final fragment", "server",
			[]frame{fr(false, opText, "\xe2\x82"), fr(true, opContinuation, "")}, []int{0, 1}, nil},
		{"utf8-invalid-after-valid-message", "A valid text message, then one with an overlong encoding", "client",
			[]frame{fr(true, opText, "ok"), fr(true, opText, "\xc0\xaf")}, []int{1}, []vectors.Event{evText("ok")}},
	} {
		s := newStream(c.id, c.role, c.frames...)
		msg := c.msg
		if msg == nil {
			for i := range c.frames {
				msg = append(msg, i)
			}
		}
		err := s.textError(msg)
		out = append(out, decoderVector(c.id, c.desc, "generated", uniq(err.Requirement, "R-5.6-text-utf8"), s, nil, c.events, err))
	}
	// Fail fast within a frame: the input stops right after the offending
	// byte, in the middle of the frame's declared payload.
	{
		text := unhex("cebae1bdb9cf83cebcceb5f4908080656469746564")
		s := newStream("utf8-fail-fast-mid-frame", "server", fr(true, opText, text))
		err := s.textError([]int{0})
		in := s.bytes()[:*err.Offset+1]
		out = append(out, vectors.DecoderVector{
			Common: vectors.Common{ID: "utf8-fail-fast-mid-frame", Description: "The frame of Autobahn 6.4.1 cut right after its first invalid byte: a fail-fast decoder fails without the rest of the frame", Source: "Autobahn 6.4.1",
				Requirements: []string{"R-8.1-utf8-fail", "R-5.6-text-utf8"}},
			Role: "server", Input: in, Events: []vectors.Event{}, Error: err,
		})
	}

	// R-10.4-limits
	tooBig := protocolErr(1009, "R-10.4-limits")
	add("limit-frame", "A binary frame of 11 bytes, over a frame limit of 10", "generated", "server", &vectors.Limits{MaxFramePayload: 10}, nil, tooBig, fr(true, opBinary, "0123456789a"))
	add("limit-message-one-frame", "A text message of 11 bytes in one frame, over a message limit of 10", "generated", "server", &vectors.Limits{MaxMessage: 10}, nil, tooBig, fr(true, opText, "0123456789a"))
	add("limit-message-fragments", "A text message growing to 11 bytes over three frames and a ping, over a message limit of 10: it fails on the declared length of the last frame", "generated", "server",
		&vectors.Limits{MaxMessage: 10}, []vectors.Event{evPing("")}, tooBig, fr(false, opText, "01234"), fr(true, opPing, ""), fr(false, opContinuation, "5"), fr(true, opContinuation, "6789a"))
	add("limit-empty-fragments", "Four empty fragments, over a limit of 3 frames per message: empty frames count", "generated", "client",
		&vectors.Limits{MaxFragments: 3}, nil, tooBig, fr(false, opBinary, ""), fr(false, opContinuation, ""), fr(false, opContinuation, ""), fr(true, opContinuation, ""))
	raw("limit-declared-2^63-1", "A binary frame header declaring 2^63-1 bytes, with the default limits: it fails on the header, before any payload", "generated", "client",
		frame{fin: true, opcode: opBinary, length: 1<<63 - 1}.wire(), nil, tooBig)
	huge := frame{fin: true, opcode: opText, length: 1 << 40, key: derive("limit-declared-1TiB key", 4)}.wire()
	raw("limit-declared-1TiB", "A masked text frame header declaring 1 TiB, followed by one byte of payload", "generated", "server", append(huge, 'a'), nil, tooBig)
	return out
}

func init() { register("decoder.json", func() (any, error) { return decoderFile() }) }

func decoderFile() (*vectors.DecoderFile, error) {
	f := &vectors.DecoderFile{Generated: generatedNote}
	f.Vectors = append(f.Vectors, validDecoderVectors()...)
	f.Vectors = append(f.Vectors, errorDecoderVectors()...)
	seen := map[string]bool{}
	for _, v := range f.Vectors {
		if seen[v.ID] {
			return nil, fmt.Errorf("duplicate vector ID %s", v.ID)
		}
		seen[v.ID] = true
	}
	return f, nil
}

// uniq returns ids without repeats, in order.
func uniq(ids ...string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
