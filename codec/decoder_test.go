package codec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
)

// tester is what test helpers need from *testing.T, *testing.B and
// *rapid.T.
type tester interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// tframe is a frame for a test to build: the fields of a header and the
// unmasked payload.
type tframe struct {
	fin     bool
	rsv     uint8
	op      spec.Opcode
	payload string
}

// wire returns frames as the peer of role sends them: masked, with a
// different key per frame, when role is RoleServer.
func wire(role Role, frames ...tframe) []byte {
	var out []byte
	for i, f := range frames {
		h := Header{Fin: f.fin, Rsv: f.rsv, Opcode: f.op, Length: uint64(len(f.payload))}
		if role == RoleServer {
			h.Masked = true
			h.Key = [4]byte{byte(i), 0xa5, 0x3c, byte(7*i + 1)}
		}
		out = AppendHeader(out, h)
		start := len(out)
		out = append(out, f.payload...)
		if h.Masked {
			Mask(h.Key, 0, out[start:])
		}
	}
	return out
}

func text(fin bool, s string) tframe { return tframe{fin: fin, op: spec.OpText, payload: s} }
func bin(fin bool, s string) tframe  { return tframe{fin: fin, op: spec.OpBinary, payload: s} }
func cont(fin bool, s string) tframe { return tframe{fin: fin, op: spec.OpContinuation, payload: s} }
func ping(s string) tframe           { return tframe{fin: true, op: spec.OpPing, payload: s} }
func pong(s string) tframe           { return tframe{fin: true, op: spec.OpPong, payload: s} }
func closeFrame(code uint16, reason string) tframe {
	return tframe{fin: true, op: spec.OpClose, payload: string(binary.BigEndian.AppendUint16(nil, code)) + reason}
}

// feed decodes a copy of input with d, handing it over in chunks of the
// given sizes (the last size repeats), and returns the events, their Data
// copied, and the error. It checks the calling contract on every call:
// n is in range, EventNone consumes everything, and an error consumes
// nothing and is sticky.
func feed(t tester, d *Decoder, input []byte, sizes ...int) ([]Event, error) {
	t.Helper()
	return feedWith(t, d.Decode, input, sizes...)
}

// feedWith is feed with a decoding method of a Decoder: Decode or
// DecodeWhole. An EventMessage is recorded as the EventMessageStart,
// EventPayload (unless empty) and EventMessageEnd that Decode gives.
func feedWith(t tester, decode func([]byte) (Event, int, error), input []byte, sizes ...int) ([]Event, error) {
	t.Helper()
	if len(sizes) == 0 {
		sizes = []int{len(input) + 1}
	}
	buf := bytes.Clone(input)
	var evs []Event
	pos := 0
	for i := 0; pos < len(buf) || i == 0; i++ {
		end := min(pos+max(sizes[min(i, len(sizes)-1)], 1), len(buf))
		p := buf[pos:end]
		for {
			ev, n, err := decode(p)
			if n < 0 || n > len(p) {
				t.Fatalf("Decode consumed %d of %d bytes", n, len(p))
			}
			if err != nil {
				if n != 0 || ev.Kind != EventNone {
					t.Fatalf("error %v with n = %d, event %v", err, n, ev.Kind)
				}
				if ev2, n2, err2 := decode(p); err2 != err || n2 != 0 || ev2.Kind != EventNone {
					t.Fatalf("error not sticky: %v, %d, %v", err2, n2, ev2.Kind)
				}
				return evs, err
			}
			p = p[n:]
			if ev.Kind == EventNone {
				if len(p) != 0 {
					t.Fatalf("EventNone with %d bytes left", len(p))
				}
				break
			}
			if (ev.Data == nil) != (ev.Kind == EventMessageStart || ev.Kind == EventMessageEnd) {
				t.Fatalf("%v event with Data %#v", ev.Kind, ev.Data)
			}
			if ev.Kind == EventMessage {
				evs = append(evs, Event{Kind: EventMessageStart, Opcode: ev.Opcode})
				if len(ev.Data) > 0 {
					evs = append(evs, Event{Kind: EventPayload, Opcode: ev.Opcode, Data: bytes.Clone(ev.Data)})
				}
				evs = append(evs, Event{Kind: EventMessageEnd, Opcode: ev.Opcode})
				continue
			}
			ev.Data = bytes.Clone(ev.Data)
			evs = append(evs, ev)
		}
		pos = end
	}
	return evs, nil
}

// evString writes one event compactly for comparisons: "start text",
// "payload 'Hel'", "ping ”", "close 1000 'bye'".
func evString(ev Event) string {
	switch ev.Kind {
	case EventMessageStart, EventMessageEnd:
		return ev.Kind.String() + " " + ev.Opcode.String()
	case EventClose:
		return fmt.Sprintf("close %d %q", uint16(ev.Code), ev.Data)
	}
	return fmt.Sprintf("%v %q", ev.Kind, ev.Data)
}

func evStrings(evs []Event) []string {
	out := []string{}
	for _, ev := range evs {
		out = append(out, evString(ev))
	}
	return out
}

// merged writes events with consecutive payload pieces joined, which
// makes the list independent of how the input was chunked.
func merged(evs []Event) []string {
	out := []string{}
	var payload []byte
	inPayload := false
	flush := func() {
		if inPayload {
			out = append(out, fmt.Sprintf("payload %q", payload))
			payload, inPayload = nil, false
		}
	}
	for _, ev := range evs {
		if ev.Kind == EventPayload {
			payload = append(payload, ev.Data...)
			inPayload = true
			continue
		}
		flush()
		out = append(out, evString(ev))
	}
	flush()
	return out
}

// messages writes events as whole messages and control frames, dropping a
// message that did not end: "text 'Hello'", "ping ”".
func messages(evs []Event) []string {
	out := []string{}
	var payload []byte
	for _, ev := range evs {
		switch ev.Kind {
		case EventMessageStart:
			payload = []byte{}
		case EventPayload:
			payload = append(payload, ev.Data...)
		case EventMessageEnd:
			out = append(out, fmt.Sprintf("%v %q", ev.Opcode, payload))
		default:
			out = append(out, evString(ev))
		}
	}
	return out
}

// drain decodes p until d has nothing more to report, failing on any
// error. It allocates nothing, so the allocation tests and benchmarks can
// use it.
func drain(t tester, d *Decoder, p []byte) {
	for {
		ev, n, err := d.Decode(p)
		if err != nil {
			t.Fatal(err)
		}
		p = p[n:]
		if ev.Kind == EventNone {
			return
		}
	}
}

func newDecoder(t tester, opts DecoderOptions) *Decoder {
	t.Helper()
	d, err := NewDecoder(opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkProtocolError fails unless err is a *ProtocolError with the code,
// requirement and offset given (offset -2: any).
func checkProtocolError(t tester, err error, code spec.CloseCode, req string, offset int64) {
	t.Helper()
	var pe *ProtocolError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want a *ProtocolError %d %s", err, code, req)
	}
	if pe.Code != code || pe.Requirement != req || (offset != -2 && pe.Offset != offset) {
		t.Fatalf("error = %d %s at %d (%s), want %d %s at %d", pe.Code, pe.Requirement, pe.Offset, pe.Detail, code, req, offset)
	}
	if _, ok := spec.Lookup(pe.Requirement); !ok {
		t.Fatalf("error cites unknown requirement %q", pe.Requirement)
	}
}

// chunkings are the ways every table input is fed: whole, byte by byte,
// and in a few awkward sizes.
var chunkings = [][]int{nil, {1}, {2}, {3}, {5, 1}, {13}}

// ruleTests has a failing input for every receive rule the Decoder
// applies. Each would decode without error if its rule were removed.
var ruleTests = []struct {
	name   string
	role   Role
	opts   DecoderOptions
	input  []byte
	before []string // whole messages and control frames before the error
	code   spec.CloseCode
	req    string
	offset int64
}{
	// R-5.2-rsv-fail (Autobahn 3.x)
	{"rsv1 without extension", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{fin: true, rsv: Rsv1, op: spec.OpText, payload: "Hello"}), nil, 1002, "R-5.2-rsv-fail", 0},
	{"rsv2 after a valid message", RoleServer, DecoderOptions{}, wire(RoleServer, text(true, "Hello, world!"), tframe{fin: true, rsv: Rsv2, op: spec.OpText, payload: "Hello, world!"}, ping("")),
		[]string{`text "Hello, world!"`}, 1002, "R-5.2-rsv-fail", 19},
	{"rsv3 binary", RoleClient, DecoderOptions{}, wire(RoleClient, tframe{fin: true, rsv: Rsv3, op: spec.OpBinary, payload: "\x00\xff"}), nil, 1002, "R-5.2-rsv-fail", 0},
	{"rsv7 close", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{fin: true, rsv: 7, op: spec.OpClose}), nil, 1002, "R-5.2-rsv-fail", 0},
	{"rsv on a continuation", RoleServer, DecoderOptions{}, wire(RoleServer, text(false, "a"), tframe{fin: true, rsv: Rsv1, op: spec.OpContinuation, payload: "b"}), nil, 1002, "R-5.2-rsv-fail", 7},
	// R-5.2-opcode-fail (Autobahn 4.x)
	{"opcode 3", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{fin: true, op: 3}), nil, 1002, "R-5.2-opcode-fail", 0},
	{"opcode 4 with payload", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{fin: true, op: 4, payload: "reserved opcode payload"}), nil, 1002, "R-5.2-opcode-fail", 0},
	{"opcode 5 after a message", RoleServer, DecoderOptions{}, wire(RoleServer, text(true, "Hello, world!"), tframe{fin: true, op: 5}, ping("")),
		[]string{`text "Hello, world!"`}, 1002, "R-5.2-opcode-fail", 19},
	{"opcode 6", RoleClient, DecoderOptions{}, wire(RoleClient, tframe{fin: true, op: 6}), nil, 1002, "R-5.2-opcode-fail", 0},
	{"opcode 7", RoleClient, DecoderOptions{}, wire(RoleClient, tframe{fin: false, op: 7}), nil, 1002, "R-5.2-opcode-fail", 0},
	{"opcode 0xB", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{fin: true, op: 0xB}), nil, 1002, "R-5.2-opcode-fail", 0},
	{"opcode 0xC", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{fin: true, op: 0xC, payload: "reserved opcode payload"}), nil, 1002, "R-5.2-opcode-fail", 0},
	{"opcode 0xD", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{fin: true, op: 0xD}), nil, 1002, "R-5.2-opcode-fail", 0},
	{"opcode 0xE", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{fin: true, op: 0xE}), nil, 1002, "R-5.2-opcode-fail", 0},
	{"opcode 0xF inside a message", RoleServer, DecoderOptions{}, wire(RoleServer, text(false, "a"), tframe{fin: true, op: 0xF}), nil, 1002, "R-5.2-opcode-fail", 7},
	// R-5.4-control-unfragmented (Autobahn 5.1, 5.2)
	{"fragmented ping", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{op: spec.OpPing, payload: "fragment1"}, cont(true, "fragment2")), nil, 1002, "R-5.4-control-unfragmented", 0},
	{"fragmented pong", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{op: spec.OpPong, payload: "fragment1"}, cont(true, "fragment2")), nil, 1002, "R-5.4-control-unfragmented", 0},
	{"fragmented close", RoleClient, DecoderOptions{}, wire(RoleClient, tframe{op: spec.OpClose}), nil, 1002, "R-5.4-control-unfragmented", 0},
	// R-5.5-control-125 (Autobahn 2.5, 7.3.6)
	{"ping of 126 bytes", RoleServer, DecoderOptions{}, wire(RoleServer, ping(strings.Repeat("\xfe", 126))), nil, 1002, "R-5.5-control-125", 1},
	{"pong of 126 bytes", RoleClient, DecoderOptions{}, wire(RoleClient, pong(strings.Repeat("x", 126))), nil, 1002, "R-5.5-control-125", 1},
	{"close reason of 124 bytes", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(1000, strings.Repeat("*", 124))), nil, 1002, "R-5.5-control-125", 1},
	{"ping declaring 2^63-1 bytes", RoleClient, DecoderOptions{}, []byte{0x89, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, nil, 1002, "R-5.5-control-125", 1},
	// R-5.1-server-rejects-unmasked, R-5.1-client-rejects-masked
	{"unmasked frame to a server", RoleServer, DecoderOptions{}, wire(RoleClient, text(true, "Hello")), nil, 1002, "R-5.1-server-rejects-unmasked", 1},
	{"unmasked ping to a server", RoleServer, DecoderOptions{}, wire(RoleClient, ping("")), nil, 1002, "R-5.1-server-rejects-unmasked", 1},
	{"masked frame to a client", RoleClient, DecoderOptions{}, wire(RoleServer, text(true, "Hello")), nil, 1002, "R-5.1-client-rejects-masked", 1},
	{"masked close to a client", RoleClient, DecoderOptions{}, wire(RoleServer, closeFrame(1000, "")), nil, 1002, "R-5.1-client-rejects-masked", 1},
	// R-5.4-orphan-continuation (Autobahn 5.9-5.17)
	{"final continuation first", RoleServer, DecoderOptions{}, wire(RoleServer, cont(true, "non-continuation payload"), text(true, "Hello, world!")), nil, 1002, "R-5.4-orphan-continuation", 0},
	{"non-final continuation first", RoleServer, DecoderOptions{}, wire(RoleServer, cont(false, "non-continuation payload"), text(true, "Hello, world!")), nil, 1002, "R-5.4-orphan-continuation", 0},
	{"continuation after a finished message", RoleServer, DecoderOptions{}, wire(RoleServer, text(false, "fragment1"), cont(true, "fragment2"), cont(false, "fragment3"), text(true, "fragment4")),
		[]string{`text "fragment1fragment2"`}, 1002, "R-5.4-orphan-continuation", 30},
	// R-5.4-nested-start (Autobahn 5.18)
	{"text inside a text message", RoleServer, DecoderOptions{}, wire(RoleServer, text(false, "fragment1"), text(true, "fragment2")), nil, 1002, "R-5.4-nested-start", 15},
	{"binary inside a text message", RoleClient, DecoderOptions{}, wire(RoleClient, text(false, "a"), ping("p"), bin(false, "b")), []string{`ping "p"`}, 1002, "R-5.4-nested-start", 6},
	// R-5.2-len-minimal, R-5.2-len-msb0
	{"length 5 in 16 bits", RoleServer, DecoderOptions{}, []byte{0x82, 0xfe, 0x00, 0x05, 1, 2, 3, 4, 1, 2, 3, 4, 5}, nil, 1002, "R-5.2-len-minimal", 1},
	{"length 124 in 16 bits", RoleClient, DecoderOptions{}, []byte{0x82, 0x7e, 0x00, 0x7c}, nil, 1002, "R-5.2-len-minimal", 1},
	{"length 65535 in 64 bits", RoleClient, DecoderOptions{}, []byte{0x82, 0x7f, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, nil, 1002, "R-5.2-len-minimal", 1},
	{"length top bit set", RoleClient, DecoderOptions{}, []byte{0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0}, nil, 1002, "R-5.2-len-msb0", 2},
	{"length top bit set, lenient", RoleServer, DecoderOptions{AllowNonMinimalLength: true}, []byte{0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4}, nil, 1002, "R-5.2-len-msb0", 2},
	// R-5.5.1-close-body (Autobahn 7.3.2)
	{"close with a 1-byte body", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{fin: true, op: spec.OpClose, payload: "a"}), nil, 1002, "R-5.5.1-close-body", 6},
	// R-5.5.1-reason-utf8 (Autobahn 7.5.1)
	{"close reason not UTF-8", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(1000, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited")), nil, 1007, "R-5.5.1-reason-utf8", 20},
	{"close reason ends inside a code point", RoleClient, DecoderOptions{}, wire(RoleClient, closeFrame(1000, "ok\xe2\x82")), nil, 1007, "R-5.5.1-reason-utf8", 8},
	// R-8.1-utf8-fail (Autobahn 6.x)
	{"invalid text in one frame", RoleServer, DecoderOptions{}, wire(RoleServer, text(true, "\xce\xba\xff")), nil, 1007, "R-8.1-utf8-fail", 8},
	{"surrogate fails fast in a first fragment", RoleServer, DecoderOptions{}, wire(RoleServer, text(false, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0")), nil, 1007, "R-8.1-utf8-fail", 18},
	{"code point broken across fragments", RoleServer, DecoderOptions{}, wire(RoleServer, text(false, "\xce"), ping("x"), cont(true, " ")), []string{`ping "x"`}, 1007, "R-8.1-utf8-fail", 20},
	{"invalid text after a valid one", RoleClient, DecoderOptions{}, wire(RoleClient, text(true, "ok"), text(true, "\xc0\xaf")), []string{`text "ok"`}, 1007, "R-8.1-utf8-fail", 6},
	// R-5.6-text-utf8: the message ends inside a code point (Autobahn 6.6.1, 6.14.6)
	{"text ends inside a code point", RoleServer, DecoderOptions{}, wire(RoleServer, text(true, "\xce")), nil, 1007, "R-5.6-text-utf8", 7},
	{"text ends inside a code point after an empty final fragment", RoleServer, DecoderOptions{}, wire(RoleServer, text(false, "\xe2\x82"), cont(true, "")), nil, 1007, "R-5.6-text-utf8", 14},
	// R-7.4-invalid-recv (Autobahn 7.9.x, 7.13.x)
	{"close code 0", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(0, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	{"close code 999", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(999, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	{"close code 1004", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(1004, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	{"close code 1005", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(1005, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	{"close code 1006", RoleClient, DecoderOptions{}, wire(RoleClient, closeFrame(1006, "")), nil, 1002, "R-7.4-invalid-recv", 2},
	{"close code 1015", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(1015, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	{"close code 1016", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(1016, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	{"close code 1100", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(1100, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	{"close code 2000", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(2000, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	{"close code 2999", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(2999, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	{"close code 5000", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(5000, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	{"close code 65535", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(65535, "")), nil, 1002, "R-7.4-invalid-recv", 6},
	// R-10.4-limits
	{"frame over MaxFramePayload", RoleServer, DecoderOptions{MaxFramePayload: 10}, wire(RoleServer, bin(true, "0123456789a")), nil, 1009, "R-10.4-limits", 1},
	{"message over MaxMessage in one frame", RoleServer, DecoderOptions{MaxMessage: 10}, wire(RoleServer, text(true, "0123456789a")), nil, 1009, "R-10.4-limits", 1},
	{"message over MaxMessage across frames", RoleServer, DecoderOptions{MaxMessage: 10}, wire(RoleServer, text(false, "012345"), ping(""), cont(true, "6789a")), []string{`ping ""`}, 1009, "R-10.4-limits", 19},
	{"empty fragments over MaxFragments", RoleServer, DecoderOptions{MaxFragments: 3}, wire(RoleServer, bin(false, ""), cont(false, ""), cont(false, ""), cont(true, "")), nil, 1009, "R-10.4-limits", 18},
	{"header declaring 2^63-1 bytes", RoleClient, DecoderOptions{}, []byte{0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, nil, 1009, "R-10.4-limits", 1},
	{"masked header declaring 1 TiB", RoleServer, DecoderOptions{}, []byte{0x81, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4, 'a'}, nil, 1009, "R-10.4-limits", 1},
	{"1 TiB continuation", RoleClient, DecoderOptions{MaxFramePayload: math.MaxUint64}, append(wire(RoleClient, text(false, "a")), 0x80, 0x7f, 0, 0, 1, 0, 0, 0, 0, 0), nil, 1009, "R-10.4-limits", 4},
}

func TestDecoderRules(t *testing.T) {
	for _, tt := range ruleTests {
		t.Run(tt.name, func(t *testing.T) {
			for _, sizes := range chunkings {
				opts := tt.opts
				opts.Role = tt.role
				d := newDecoder(t, opts)
				evs, err := feed(t, d, tt.input, sizes...)
				checkProtocolError(t, err, tt.code, tt.req, tt.offset)
				want := tt.before
				if want == nil {
					want = []string{}
				}
				if diff := cmp.Diff(want, messages(evs)); diff != "" {
					t.Errorf("chunks %v: events before the error (-want +got):\n%s", sizes, diff)
				}
			}
		})
	}
}

// validTests are inputs that decode without error, with the exact events
// for the input fed whole.
var validTests = []struct {
	name  string
	role  Role
	opts  DecoderOptions
	input []byte
	want  []string
}{
	{"RFC 6455 5.7 unmasked text", RoleClient, DecoderOptions{}, dehex("81 05 48 65 6c 6c 6f"),
		[]string{"message-start text", `payload "Hello"`, "message-end text"}},
	{"RFC 6455 5.7 masked text", RoleServer, DecoderOptions{}, dehex("81 85 37 fa 21 3d 7f 9f 4d 51 58"),
		[]string{"message-start text", `payload "Hello"`, "message-end text"}},
	{"RFC 6455 5.7 fragmented text", RoleClient, DecoderOptions{}, dehex("01 03 48 65 6c 80 02 6c 6f"),
		[]string{"message-start text", `payload "Hel"`, `payload "lo"`, "message-end text"}},
	{"RFC 6455 5.7 ping and masked pong", RoleServer, DecoderOptions{}, dehex("89 85 37 fa 21 3d 7f 9f 4d 51 58 8a 85 37 fa 21 3d 7f 9f 4d 51 58"),
		[]string{`ping "Hello"`, `pong "Hello"`}},
	{"ping between fragments", RoleServer, DecoderOptions{}, wire(RoleServer, text(false, "fragment1"), ping("ping payload"), cont(true, "fragment2")),
		[]string{"message-start text", `payload "fragment1"`, `ping "ping payload"`, `payload "fragment2"`, "message-end text"}},
	{"code point split by a ping", RoleServer, DecoderOptions{}, wire(RoleServer, text(false, "κ\xcf"), ping(""), cont(true, "\x8cσμε")),
		[]string{"message-start text", `payload "κ\xcf"`, `ping ""`, `payload "\x8cσμε"`, "message-end text"}},
	{"empty messages", RoleClient, DecoderOptions{}, wire(RoleClient, text(true, ""), bin(true, "")),
		[]string{"message-start text", "message-end text", "message-start binary", "message-end binary"}},
	{"empty fragments", RoleServer, DecoderOptions{MaxFragments: 4}, wire(RoleServer, bin(false, ""), cont(false, ""), cont(false, "x"), cont(true, "")),
		[]string{"message-start binary", `payload "x"`, "message-end binary"}},
	{"message just under the limits", RoleServer, DecoderOptions{MaxFramePayload: 6, MaxMessage: 10}, wire(RoleServer, text(false, "012345"), cont(true, "6789")),
		[]string{"message-start text", `payload "012345"`, `payload "6789"`, "message-end text"}},
	{"close with no body", RoleServer, DecoderOptions{}, wire(RoleServer, tframe{fin: true, op: spec.OpClose}),
		[]string{`close 1005 ""`}},
	{"close with a code", RoleClient, DecoderOptions{}, dehex("88 02 03 e8"), []string{`close 1000 ""`}},
	{"close with the longest reason", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(4999, strings.Repeat("*", 123))),
		[]string{`close 4999 "` + strings.Repeat("*", 123) + `"`}},
	{"close 1014 and 3000", RoleClient, DecoderOptions{}, wire(RoleClient, closeFrame(1014, "bad gateway"), closeFrame(3000, "")),
		[]string{`close 1014 "bad gateway"`, `close 3000 ""`}},
	{"frames after a close", RoleServer, DecoderOptions{}, wire(RoleServer, closeFrame(1000, ""), ping(""), text(true, "late")),
		[]string{`close 1000 ""`, `ping ""`, "message-start text", `payload "late"`, "message-end text"}},
	{"unsolicited pong", RoleClient, DecoderOptions{}, wire(RoleClient, pong("unsolicited pong payload")),
		[]string{`pong "unsolicited pong payload"`}},
	{"125-byte ping", RoleServer, DecoderOptions{}, wire(RoleServer, ping(strings.Repeat("\xfe", 125))),
		[]string{fmt.Sprintf("ping %q", strings.Repeat("\xfe", 125))}},
	{"non-minimal length accepted when lenient", RoleServer, DecoderOptions{AllowNonMinimalLength: true}, []byte{0x82, 0xfe, 0x00, 0x02, 0, 0, 0, 0, 'h', 'i'},
		[]string{"message-start binary", `payload "hi"`, "message-end binary"}},
	{"non-minimal 64-bit length accepted when lenient", RoleClient, DecoderOptions{AllowNonMinimalLength: true}, []byte{0x81, 0x7f, 0, 0, 0, 0, 0, 0, 0, 1, 'h'},
		[]string{"message-start text", `payload "h"`, "message-end text"}},
	{"non-characters are valid", RoleClient, DecoderOptions{}, wire(RoleClient, text(true, "\xef\xbf\xbe\xf4\x8f\xbf\xbf")),
		[]string{"message-start text", `payload "\ufffe\U0010ffff"`, "message-end text"}},
}

func TestDecoderValid(t *testing.T) {
	for _, tt := range validTests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Role = tt.role
			evs, err := feed(t, newDecoder(t, opts), tt.input)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, evStrings(evs)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			// Any chunking gives the same events once payload pieces
			// are joined.
			for _, sizes := range chunkings {
				d := newDecoder(t, opts)
				got, err := feed(t, d, tt.input, sizes...)
				if err != nil {
					t.Fatalf("chunks %v: %v", sizes, err)
				}
				if diff := cmp.Diff(merged(evs), merged(got)); diff != "" {
					t.Errorf("chunks %v (-whole +chunked):\n%s", sizes, diff)
				}
				if d.Offset() != int64(len(tt.input)) {
					t.Errorf("chunks %v: Offset = %d, want %d", sizes, d.Offset(), len(tt.input))
				}
			}
		})
	}
}

// TestDecoderEventsWithoutInput checks the events that come with n == 0:
// the end of a message whose last payload was returned by the previous
// call.
func TestDecoderEventsWithoutInput(t *testing.T) {
	d := newDecoder(t, DecoderOptions{Role: RoleClient})
	in := wire(RoleClient, text(true, "hi"))
	ev, n, err := d.Decode(in)
	if err != nil || ev.Kind != EventMessageStart || n != 2 {
		t.Fatalf("first call: %v, %d, %v", ev.Kind, n, err)
	}
	ev, n, err = d.Decode(in[2:])
	if err != nil || ev.Kind != EventPayload || n != 2 || string(ev.Data) != "hi" {
		t.Fatalf("second call: %v, %d, %v", ev.Kind, n, err)
	}
	ev, n, err = d.Decode(nil)
	if err != nil || ev.Kind != EventMessageEnd || n != 0 || ev.Opcode != spec.OpText {
		t.Fatalf("third call: %v, %d, %v", ev.Kind, n, err)
	}
	ev, n, err = d.Decode(nil)
	if err != nil || ev.Kind != EventNone || n != 0 {
		t.Fatalf("fourth call: %v, %d, %v", ev.Kind, n, err)
	}
}

// TestDecoderPayloadAliasesInput checks that payload is unmasked in
// place and returned as a slice of the caller's buffer.
func TestDecoderPayloadAliasesInput(t *testing.T) {
	d := newDecoder(t, DecoderOptions{Role: RoleServer})
	in := dehex("81 85 37 fa 21 3d 7f 9f 4d 51 58")
	d.Decode(in)
	ev, _, err := d.Decode(in[6:])
	if err != nil || ev.Kind != EventPayload {
		t.Fatal(ev.Kind, err)
	}
	if &ev.Data[0] != &in[6] || string(in[6:]) != "Hello" {
		t.Errorf("payload is not the caller's buffer unmasked in place: % x", in)
	}
}

// TestDecoderFailFast feeds an invalid text message byte by byte and
// checks that the error comes with the first byte that makes it invalid,
// before the rest of the frame arrives.
func TestDecoderFailFast(t *testing.T) {
	msg := "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80edited" // Autobahn 6.4.1
	in := wire(RoleServer, text(true, msg))
	d := newDecoder(t, DecoderOptions{Role: RoleServer})
	bad := 6 + strings.Index(msg, "\x90")
	for i := 0; i < len(in); i++ {
		_, err := feed(t, d, in[i:i+1])
		if i < bad && err != nil {
			t.Fatalf("error at byte %d, before the bad byte %d: %v", i, bad, err)
		}
		if i == bad {
			checkProtocolError(t, err, 1007, "R-8.1-utf8-fail", int64(bad))
			return
		}
	}
	t.Fatal("no error")
}

// TestDecoderTruncatedLastPiece: the last piece of a text message that
// ends inside a code point is refused, not delivered before the error, in
// every chunking (R-5.6-text-utf8).
func TestDecoderTruncatedLastPiece(t *testing.T) {
	in := wire(RoleClient, text(false, "ab"), cont(true, "cd\xe2\x82"))
	for _, sizes := range chunkings {
		evs, err := feed(t, newDecoder(t, DecoderOptions{Role: RoleClient}), in, sizes...)
		checkProtocolError(t, err, 1007, "R-5.6-text-utf8", int64(len(in)))
		var got []byte
		for _, ev := range evs {
			got = append(got, ev.Data...)
		}
		if bytes.Contains(got, []byte("\xe2\x82")) {
			t.Errorf("chunks %v: the truncated code point was delivered: %q", sizes, got)
		}
	}
}

func TestDecoderStickyAndReset(t *testing.T) {
	d := newDecoder(t, DecoderOptions{Role: RoleClient, MaxMessage: 100})
	_, err := feed(t, d, wire(RoleClient, text(false, "x"), tframe{fin: true, op: 3}))
	checkProtocolError(t, err, 1002, "R-5.2-opcode-fail", 3)
	if _, _, err2 := d.Decode(wire(RoleClient, text(true, "fine"))); err2 != err {
		t.Fatalf("after an error: %v", err2)
	}
	d.Reset()
	if d.Offset() != 0 {
		t.Errorf("Offset after Reset = %d", d.Offset())
	}
	evs, err := feed(t, d, wire(RoleClient, text(true, "fine")))
	if err != nil || len(evs) != 3 {
		t.Fatalf("after Reset: %v, %v", evStrings(evs), err)
	}
	// Reset keeps the options.
	_, err = feed(t, d, wire(RoleClient, bin(true, strings.Repeat("x", 101))))
	checkProtocolError(t, err, 1009, "R-10.4-limits", 7) // byte 1 of a header at offset 6
}

func TestNewDecoderOptions(t *testing.T) {
	for _, opts := range []DecoderOptions{
		{},
		{Role: 3},
		{Role: RoleServer, MaxFragments: -1},
		{Role: RoleServer, Extension: &xorExtension{bits: 0}},
		{Role: RoleServer, Extension: &xorExtension{bits: 8}},
	} {
		if _, err := NewDecoder(opts); err == nil {
			t.Errorf("NewDecoder(%+v) accepted", opts)
		}
	}
	d := newDecoder(t, DecoderOptions{Role: RoleClient})
	if d.maxFrame != DefaultMaxFramePayload || d.maxMessage != DefaultMaxMessage || d.maxFragments != DefaultMaxFragments {
		t.Errorf("defaults: %d %d %d", d.maxFrame, d.maxMessage, d.maxFragments)
	}
	var zero Decoder
	if _, _, err := zero.Decode([]byte{0x81, 0}); err == nil {
		t.Error("a zero Decoder decoded")
	}
}

// TestDecoderDefaultFragments is Autobahn 9.3.1's shape: a 4 MiB message
// in 64-byte fragments plus an empty final one, 65537 frames, within the
// default limits.
func TestDecoderDefaultFragments(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("4 MiB in 65537 frames is slow in short and race modes")
	}
	enc, _ := NewEncoder(RoleServer, nil)
	var in []byte
	chunk := bytes.Repeat([]byte("*"), 64)
	in, _ = enc.AppendFrame(in, false, spec.OpText, chunk)
	for i := 1; i < 65536; i++ {
		in, _ = enc.AppendFrame(in, false, spec.OpContinuation, chunk)
	}
	in, _ = enc.AppendFrame(in, true, spec.OpContinuation, nil)
	d := newDecoder(t, DecoderOptions{Role: RoleClient})
	size := 0
	for p := in; ; {
		ev, n, err := d.Decode(p)
		if err != nil {
			t.Fatal(err)
		}
		p = p[n:]
		if ev.Kind == EventNone {
			break
		}
		size += len(ev.Data)
	}
	if size != 4<<20 {
		t.Errorf("decoded %d bytes", size)
	}
}

func TestEventKindString(t *testing.T) {
	for k, want := range map[EventKind]string{EventNone: "none", EventMessageStart: "message-start", EventPayload: "payload",
		EventMessageEnd: "message-end", EventPing: "ping", EventPong: "pong", EventClose: "close", EventMessage: "message",
		42: "EventKind(42)"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q, want %q", k, k.String(), want)
		}
	}
	for r, want := range map[Role]string{RoleServer: "server", RoleClient: "client", 0: "Role(0)"} {
		if r.String() != want {
			t.Errorf("Role %d = %q", r, r.String())
		}
	}
}

// TestDecoderNoAllocFromDeclaredLength: a header declaring 2^63-1 bytes,
// accepted because the limits are lifted, costs nothing; the payload that
// follows is handed back in place.
func TestDecoderNoAllocFromDeclaredLength(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	d := newDecoder(t, DecoderOptions{Role: RoleClient, MaxFramePayload: math.MaxUint64, MaxMessage: math.MaxUint64})
	in := append([]byte{0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, make([]byte, 4096)...)
	allocs := testing.AllocsPerRun(50, func() {
		d.Reset()
		drain(t, d, in)
	})
	if allocs != 0 {
		t.Errorf("decoding a huge declared frame allocates %v times", allocs)
	}
}

// TestDecoderAllocs: decoding frames in steady state allocates nothing.
func TestDecoderAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	template := wire(RoleServer, text(true, "hello"), bin(false, "abc"), ping("p"), cont(true, "def"),
		text(true, strings.Repeat("κόσμε", 40)), pong(""), closeFrame(1000, "bye"))
	buf := make([]byte, len(template))
	d := newDecoder(t, DecoderOptions{Role: RoleServer})
	allocs := testing.AllocsPerRun(100, func() {
		copy(buf, template)
		p := buf
		for i := 0; i < 7; i++ { // a chunk boundary inside a header
			ev, n, err := d.Decode(p[:len(p)/2])
			if err != nil {
				t.Fatal(err)
			}
			p = p[n:]
			if ev.Kind == EventNone {
				break
			}
		}
		drain(t, d, p)
	})
	if allocs != 0 {
		t.Errorf("Decode allocates %v times per run, want 0", allocs)
	}
}

// benchFrames returns count masked binary frames of size bytes, as a
// client sends them.
func benchFrames(size, count int) []byte {
	var in []byte
	payload := bytes.Repeat([]byte{0xfe}, size)
	for i := 0; i < count; i++ {
		h := Header{Fin: true, Opcode: spec.OpBinary, Masked: true, Key: [4]byte{1, 2, 3, byte(i)}, Length: uint64(size)}
		in = AppendHeader(in, h)
		start := len(in)
		in = append(in, payload...)
		Mask(h.Key, 0, in[start:])
	}
	return in
}

func BenchmarkDecode(b *testing.B) {
	for _, bc := range []struct {
		name        string
		size, count int
	}{{"Masked16B", 16, 1024}, {"Masked125B", 125, 1024}, {"Masked1MiB", 1 << 20, 1}} {
		b.Run(bc.name, func(b *testing.B) {
			in := benchFrames(bc.size, bc.count)
			buf := make([]byte, len(in))
			d := newDecoder(b, DecoderOptions{Role: RoleServer})
			b.SetBytes(int64(bc.size * bc.count))
			b.ReportAllocs()
			for b.Loop() {
				copy(buf, in) // Decode unmasks in place
				drain(b, d, buf)
			}
		})
	}
}

// BenchmarkDecodeCopy measures the copy that BenchmarkDecode does to
// restore its input, to subtract from it.
func BenchmarkDecodeCopy(b *testing.B) {
	in := benchFrames(1<<20, 1)
	buf := make([]byte, len(in))
	b.SetBytes(1 << 20)
	for b.Loop() {
		copy(buf, in)
	}
}

func BenchmarkDecodeText1MiB(b *testing.B) {
	payload := benchText(true)
	payload = bytes.Repeat(payload, 16)
	enc, _ := NewEncoder(RoleClient, zeroReader{})
	in, _ := enc.AppendMessage(nil, spec.OpText, payload, 0)
	buf := make([]byte, len(in))
	d := newDecoder(b, DecoderOptions{Role: RoleServer})
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, in)
		drain(b, d, buf)
	}
}

// TestDecoderEagerHeaderChecks feeds every first two header bytes, with
// extended lengths from each class, to decoders of both roles, strict and
// lenient, in and out of a message, and checks the eager rule: an error
// reported for a prefix of a header is exactly the error the complete
// header gives (so no chunking can change it), and once every byte but
// the masking key is in, the complete header's error is reported.
func TestDecoderEagerHeaderChecks(t *testing.T) {
	ext16 := [][]byte{{0, 5}, {0, 125}, {0, 126}, {0xff, 0xff}}
	ext64 := [][]byte{
		{0, 0, 0, 0, 0, 0, 0, 5}, {0, 0, 0, 0, 0, 0, 0xff, 0xff}, {0, 0, 0, 0, 0, 1, 0, 0},
		{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {0x80, 0, 0, 0, 0, 0, 0, 0},
	}
	key := []byte{1, 2, 3, 4}
	for _, role := range []Role{RoleServer, RoleClient} {
		for _, lenient := range []bool{false, true} {
			for _, inMessage := range []bool{false, true} {
				opts := DecoderOptions{Role: role, AllowNonMinimalLength: lenient, MaxFramePayload: 1000}
				var pre []byte // a non-final text frame "a"
				if inMessage {
					pre = []byte{0x01, 0x01, 'a'}
					if role == RoleServer {
						pre = []byte{0x01, 0x81, 0, 0, 0, 0, 'a'}
					}
				}
				for b0 := 0; b0 < 256; b0++ {
					for b1 := 0; b1 < 256; b1++ {
						exts := [][]byte{nil}
						switch b1 & 0x7f {
						case 126:
							exts = ext16
						case 127:
							exts = ext64
						}
						for _, ext := range exts {
							hdr := append([]byte{byte(b0), byte(b1)}, ext...)
							keyless := len(hdr)
							if b1&0x80 != 0 {
								hdr = append(hdr, key...)
							}
							in := append(bytes.Clone(pre), hdr...)
							whole := feedErr(t, opts, in, len(in))
							for k := 2; k < len(hdr); k++ {
								got := feedErr(t, opts, in[:len(pre)+k], 1)
								if got == nil && k >= keyless && whole != nil {
									t.Fatalf("%v lenient=%v in=% x: no error, want %v", role, lenient, in[:len(pre)+k], whole)
								}
								if got != nil && (whole == nil || *got != *whole) {
									t.Fatalf("%v lenient=%v in=% x: error %v, complete header gives %v", role, lenient, in[:len(pre)+k], got, whole)
								}
							}
						}
					}
				}
			}
		}
	}
}

// feedErr feeds a copy of in to a new Decoder in chunks of size bytes and
// returns the *ProtocolError it reports, or nil.
func feedErr(t *testing.T, opts DecoderOptions, in []byte, size int) *ProtocolError {
	t.Helper()
	d, err := NewDecoder(opts)
	if err != nil {
		t.Fatal(err)
	}
	buf := bytes.Clone(in)
	for i := 0; i < len(buf); i += size {
		p := buf[i:min(i+size, len(buf))]
		for {
			ev, n, err := d.Decode(p)
			if err != nil {
				var pe *ProtocolError
				if !errors.As(err, &pe) {
					t.Fatalf("error %v is not a *ProtocolError", err)
				}
				return pe
			}
			p = p[n:]
			if ev.Kind == EventNone {
				break
			}
		}
	}
	return nil
}

// TestDecoderAllocsByteByByte: a valid stream fed one byte at a time, so
// that every header is checked while partial (see checkPartialHeader),
// strict and lenient, allocates nothing.
func TestDecoderAllocsByteByByte(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	template := wire(RoleServer, text(true, "hello"), bin(false, strings.Repeat("x", 200)), ping("p"),
		cont(true, strings.Repeat("y", 70000)), pong(""), closeFrame(1000, "bye"))
	buf := make([]byte, len(template))
	for _, lenient := range []bool{false, true} {
		d := newDecoder(t, DecoderOptions{Role: RoleServer, AllowNonMinimalLength: lenient})
		allocs := testing.AllocsPerRun(5, func() {
			copy(buf, template)
			for i := range buf {
				drain(t, d, buf[i:i+1])
			}
		})
		if allocs != 0 {
			t.Errorf("lenient=%v: Decode allocates %v times per run, want 0", lenient, allocs)
		}
	}
}
