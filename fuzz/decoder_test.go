package fuzz

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/wskit/wskit/internal/utf8verdict"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
)

// Small limits, so that the fuzzer reaches them with short inputs.
const (
	fuzzMaxFrame     = 200
	fuzzMaxMessage   = 300
	fuzzMaxFragments = 6
	fuzzMaxInput     = 4096 // longer inputs only slow minimisation down
)

// streamSeeds returns every byte stream of the vectors: decoder.json
// inputs, conn.json received bytes and frames.json inputs.
func streamSeeds(f *testing.F) [][]byte {
	f.Helper()
	var out [][]byte
	dec, err := vectors.Decoder()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range dec {
		out = append(out, v.Input)
	}
	conn, err := vectors.Conn()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range conn {
		var all []byte
		for _, st := range v.Steps {
			if st.Action == "receive" {
				out = append(out, st.Data)
				all = append(all, st.Data...)
			}
		}
		out = append(out, all)
	}
	for _, v := range frameSeeds(f) {
		out = append(out, v.Input)
	}
	return out
}

// chunkSizes derives read sizes from the input itself, so that every
// input is also tried in an awkward chunking of its own.
func chunkSizes(in []byte) []int {
	h := uint32(2166136261)
	for _, b := range in {
		h = (h ^ uint32(b)) * 16777619
	}
	sizes := make([]int, 8)
	for i := range sizes {
		h = h*1664525 + 1013904223
		sizes[i] = int(h>>28)%7 + 1
	}
	return sizes
}

// decodeRun is what a Decoder made of an input in one chunking.
type decodeRun struct {
	events []string // payload pieces joined, as in merged events
	err    *codec.ProtocolError
}

// runDecoder decodes a copy of in with d in the given read sizes (the last
// repeats) and checks the per-call invariants: n in range, EventNone
// consumes everything, payload aliases the caller's buffer, control
// payloads fit in 125 bytes, messages and fragments stay within the
// limits, complete text is valid UTF-8, errors are typed and sticky. With
// whole, it decodes with DecodeWhole and records an EventMessage as the
// EventMessageStart, EventPayload (if any) and EventMessageEnd that Decode
// gives.
func runDecoder(t *testing.T, d *codec.Decoder, in []byte, sizes []int, whole bool) decodeRun {
	buf := bytes.Clone(in)
	var run decodeRun
	var payload []byte
	inPayload := false
	var msg []byte
	var msgOp spec.Opcode
	flush := func() {
		if inPayload {
			run.events = append(run.events, fmt.Sprintf("payload %x", payload))
			payload, inPayload = nil, false
		}
	}
	pos := 0
	for i := 0; pos < len(buf) || i == 0; i++ {
		end := min(pos+sizes[min(i, len(sizes)-1)], len(buf))
		p := buf[pos:end]
		decode := d.Decode
		if whole {
			decode = d.DecodeWhole
		}
		for {
			ev, n, err := decode(p)
			if n < 0 || n > len(p) {
				t.Fatalf("n = %d for %d bytes", n, len(p))
			}
			if err != nil {
				var pe *codec.ProtocolError
				if !errors.As(err, &pe) {
					t.Fatalf("error %v is not a *ProtocolError", err)
				}
				switch pe.Code {
				case spec.CloseProtocolError, spec.CloseInvalidPayload, spec.CloseMessageTooBig:
				default:
					t.Fatalf("error with close code %v", pe.Code)
				}
				if _, ok := spec.Lookup(pe.Requirement); !ok {
					t.Fatalf("error cites unknown requirement %q", pe.Requirement)
				}
				if pe.Offset < 0 || pe.Offset > int64(len(in)) {
					t.Fatalf("error offset %d outside the %d-byte input", pe.Offset, len(in))
				}
				if _, n2, err2 := decode(p); n != 0 || n2 != 0 || err2 != err {
					t.Fatalf("error not sticky: n = %d, then %d, %v", n, n2, err2)
				}
				flush()
				run.err = pe
				return run
			}
			if ev.Kind == codec.EventNone {
				if n != len(p) {
					t.Fatalf("EventNone after %d of %d bytes", n, len(p))
				}
				break
			}
			evs := []codec.Event{ev}
			if ev.Kind == codec.EventMessage {
				evs = []codec.Event{{Kind: codec.EventMessageStart, Opcode: ev.Opcode}}
				if len(ev.Data) > 0 {
					evs = append(evs, codec.Event{Kind: codec.EventPayload, Opcode: ev.Opcode, Data: ev.Data})
				}
				evs = append(evs, codec.Event{Kind: codec.EventMessageEnd, Opcode: ev.Opcode})
			}
			for _, ev := range evs {
				switch ev.Kind {
				case codec.EventMessageStart:
					msg, msgOp = msg[:0], ev.Opcode
				case codec.EventPayload:
					// Payload is unmasked in place: it must be a slice of
					// the caller's buffer, never a copy.
					start := uintptr(unsafe.Pointer(unsafe.SliceData(ev.Data)))
					base := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
					if len(ev.Data) == 0 || start < base || start+uintptr(len(ev.Data)) > base+uintptr(len(buf)) {
						t.Fatalf("payload of %d bytes is not a slice of the input", len(ev.Data))
					}
					msg = append(msg, ev.Data...)
					if len(msg) > fuzzMaxMessage {
						t.Fatalf("message of %d bytes delivered, over the limit of %d", len(msg), fuzzMaxMessage)
					}
				case codec.EventMessageEnd:
					if ev.Opcode == spec.OpText && !utf8.Valid(msg) {
						t.Fatalf("invalid text delivered: %q", msg)
					}
					if ev.Opcode != msgOp {
						t.Fatalf("message started as %v ended as %v", msgOp, ev.Opcode)
					}
				case codec.EventPing, codec.EventPong, codec.EventClose:
					if len(ev.Data) > spec.MaxControlPayload {
						t.Fatalf("control payload of %d bytes", len(ev.Data))
					}
					if ev.Kind == codec.EventClose && (!ev.Code.IsValidReceived() && ev.Code != spec.CloseNoStatus || !utf8.Valid(ev.Data)) {
						t.Fatalf("invalid close delivered: %v %q", ev.Code, ev.Data)
					}
				}
				if ev.Kind == codec.EventPayload {
					payload = append(payload, ev.Data...)
					inPayload = true
				} else {
					flush()
					run.events = append(run.events, fmt.Sprintf("%v %v %x %d", ev.Kind, ev.Opcode, ev.Data, ev.Code))
				}
			}
			p = p[n:]
		}
		pos = end
	}
	flush()
	if d.Offset() != int64(len(in)) {
		t.Fatalf("Offset = %d after %d bytes", d.Offset(), len(in))
	}
	return run
}

// withoutTrailingPayload drops the payload after the last other event:
// for a failing stream, how much of the failing message was delivered
// depends on the chunking (an invalid UTF-8 piece is refused whole).
func withoutTrailingPayload(events []string) []string {
	i := len(events)
	for i > 0 && len(events[i-1]) > 8 && events[i-1][:8] == "payload " {
		i--
	}
	return events[:i]
}

// withoutTrailingStart drops a message start left last (and returns nil
// for no events).
func withoutTrailingStart(events []string) []string {
	if n := len(events); n > 0 && strings.HasPrefix(events[n-1], codec.EventMessageStart.String()+" ") {
		events = events[:n-1]
	}
	if len(events) == 0 {
		return nil
	}
	return events
}

func fuzzDecoder(f *testing.F, role codec.Role) {
	for _, s := range streamSeeds(f) {
		f.Add(s)
	}
	opts := codec.DecoderOptions{Role: role, MaxFramePayload: fuzzMaxFrame, MaxMessage: fuzzMaxMessage, MaxFragments: fuzzMaxFragments}
	pool, err := codec.NewDecoder(opts)
	if err != nil {
		f.Fatal(err)
	}
	scratch := make([]byte, fuzzMaxInput)
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMaxInput {
			return
		}
		d, err := codec.NewDecoder(opts)
		if err != nil {
			t.Fatal(err)
		}
		whole := runDecoder(t, d, in, []int{len(in) + 1}, false)
		// DecodeWhole, which gives a message whole when it can, agrees
		// with Decode too, except that a message it refuses whole gives
		// no start before the error.
		for _, run := range []struct {
			sizes []int
			whole bool
		}{{[]int{1}, false}, {chunkSizes(in), false}, {[]int{len(in) + 1}, true}, {chunkSizes(in), true}} {
			d, _ := codec.NewDecoder(opts)
			got := runDecoder(t, d, in, run.sizes, run.whole)
			if (got.err == nil) != (whole.err == nil) {
				t.Fatalf("chunks %v (DecodeWhole: %v): error %v, whole: %v", run.sizes, run.whole, got.err, whole.err)
			}
			a, b := whole.events, got.events
			if got.err != nil {
				if got.err.Code != whole.err.Code || got.err.Requirement != whole.err.Requirement || got.err.Offset != whole.err.Offset {
					t.Fatalf("chunks %v (DecodeWhole: %v): error %v, whole: %v", run.sizes, run.whole, got.err, whole.err)
				}
				a, b = withoutTrailingPayload(a), withoutTrailingPayload(b)
				if run.whole {
					a, b = withoutTrailingStart(a), withoutTrailingStart(b)
				}
			}
			if diff := cmp.Diff(a, b); diff != "" {
				t.Fatalf("chunks %v (DecodeWhole: %v): events differ (-whole +chunked):\n%s", run.sizes, run.whole, diff)
			}
		}
		// Bounded memory: decoding allocates nothing whatever the input
		// declares, except the error value it may return.
		if !raceDetector {
			failed := false
			for _, decode := range []func([]byte) (codec.Event, int, error){pool.Decode, pool.DecodeWhole} {
				allocs := testing.AllocsPerRun(1, func() {
					pool.Reset()
					p := scratch[:copy(scratch, in)]
					for {
						ev, n, err := decode(p)
						if err != nil {
							failed = true
							return
						}
						if ev.Kind == codec.EventNone {
							return
						}
						p = p[n:]
					}
				})
				// A few allocations build the error value and its
				// detail text; nothing else, and nothing sized by the
				// input.
				if limit := map[bool]float64{false: 0, true: 5}[failed]; allocs > limit {
					t.Fatalf("decoding allocates %v times (error: %v)", allocs, failed)
				}
			}
		}
	})
}

// FuzzDecoderServer decodes any input as a server would (frames must be
// masked). It checks, for every input: no panic; either events or a
// *ProtocolError with code 1002, 1007 or 1009, a catalogued requirement
// and an offset inside the input; the same events and error whether the
// input comes whole, byte by byte or in chunks derived from it; payload
// handed back in place; messages within the limits and text valid UTF-8;
// no allocation beyond the error; and the same from DecodeWhole, whole
// one-frame messages aside.
func FuzzDecoderServer(f *testing.F) { fuzzDecoder(f, codec.RoleServer) }

// FuzzDecoderClient is FuzzDecoderServer for a client (frames must not be
// masked).
func FuzzDecoderClient(f *testing.F) { fuzzDecoder(f, codec.RoleClient) }

// FuzzConn feeds any input to a Conn, in chunks derived from it, taking
// what it owes after each read. The first byte picks the role. It checks:
// what the Conn sends is valid for its peer and only pongs and Closes
// (nothing is sent that the application did not ask for, except
// answers); one pong per ping delivered, with the same payload, in
// order; at most one Close, and nothing after it; a received Close is
// echoed with its code (an empty one with an empty one); a violation
// fails the connection with the error's code, stops all processing and
// leaves the Conn closed; no event after a Close; and a Conn never closes
// on its own without cause (R-7.1.7-client-no-spontaneous-close).
func FuzzConn(f *testing.F) {
	for _, s := range streamSeeds(f) {
		f.Add(append([]byte{0}, s...))
		f.Add(append([]byte{1}, s...))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 || len(in) > fuzzMaxInput {
			return
		}
		role := codec.RoleServer
		if in[0]&1 == 1 {
			role = codec.RoleClient
		}
		in = bytes.Clone(in[1:])
		c, err := codec.NewConn(codec.ConnOptions{Role: role, Rand: bytes.NewReader(make([]byte, 4*len(in)+64)),
			MaxFramePayload: fuzzMaxFrame, MaxMessage: fuzzMaxMessage, MaxFragments: fuzzMaxFragments})
		if err != nil {
			t.Fatal(err)
		}
		var pings [][]byte
		var closeEv *codec.Event
		var failure *codec.ProtocolError
		var sent []byte
		sizes := chunkSizes(in)
		for i, pos := 0, 0; pos < len(in); i++ {
			end := min(pos+sizes[i%len(sizes)], len(in))
			evs, err := c.Receive(in[pos:end])
			pos = end
			for _, ev := range evs {
				if closeEv != nil {
					t.Fatalf("%v event after the Close", ev.Kind)
				}
				switch ev.Kind {
				case codec.EventPing:
					pings = append(pings, bytes.Clone(ev.Data))
				case codec.EventClose:
					ev.Data = bytes.Clone(ev.Data)
					closeEv = &ev
				}
			}
			if err != nil {
				if failure != nil && err != error(failure) {
					t.Fatalf("a second error %v after %v", err, failure)
				}
				if failure == nil && !errors.As(err, &failure) {
					t.Fatalf("error %v is not a *ProtocolError", err)
				}
			} else if failure != nil {
				t.Fatalf("Receive succeeded after failing with %v", failure)
			}
			sent = append(sent, c.Outgoing()...)
		}

		// Decode what the Conn sent, as its peer would.
		peer := codec.RoleClient
		if role == codec.RoleClient {
			peer = codec.RoleServer
		}
		d, err := codec.NewDecoder(codec.DecoderOptions{Role: peer})
		if err != nil {
			t.Fatal(err)
		}
		var pongs [][]byte
		var closes []codec.Event
		for p := sent; ; {
			ev, n, err := d.Decode(p)
			if err != nil {
				t.Fatalf("the Conn sent bytes its peer rejects: %v", err)
			}
			p = p[n:]
			if ev.Kind == codec.EventNone {
				break
			}
			if len(closes) > 0 {
				t.Fatalf("%v sent after the Close", ev.Kind)
			}
			switch ev.Kind {
			case codec.EventPong:
				pongs = append(pongs, bytes.Clone(ev.Data))
			case codec.EventClose:
				closes = append(closes, ev)
			default:
				t.Fatalf("the Conn sent %v on its own", ev.Kind)
			}
		}
		if diff := cmp.Diff(pings, pongs); diff != "" {
			t.Fatalf("pongs do not answer the pings (-pings +pongs):\n%s", diff)
		}
		switch {
		case failure != nil:
			if len(closes) != 1 || closes[0].Code != failure.Code {
				t.Fatalf("failed with %v, sent closes %v", failure, closes)
			}
			if c.State() != codec.StateClosed || !c.ShouldCloseTransport() {
				t.Fatalf("after failing: %v, close transport %v", c.State(), c.ShouldCloseTransport())
			}
		case closeEv != nil:
			if len(closes) != 1 || closes[0].Code != closeEv.Code {
				t.Fatalf("received close %v, echoed %v", closeEv.Code, closes)
			}
			if c.State() != codec.StateClosed || c.ShouldCloseTransport() != (role == codec.RoleServer) {
				t.Fatalf("after the echo: %v, close transport %v", c.State(), c.ShouldCloseTransport())
			}
		default:
			if len(closes) != 0 || c.State() != codec.StateOpen {
				t.Fatalf("sent %d closes, state %v, with no reason to", len(closes), c.State())
			}
		}
	})
}

// FuzzUTF8 checks the streaming validator against unicode/utf8: the
// verdict equals utf8.Valid, the failure offset is the first byte after
// which no continuation can make the input valid (computed with
// utf8.FullRune), a valid prefix that ends inside a code point is
// reported only by Done, and none of it depends on how the input is cut.
// The first byte of the input picks the chunk sizes.
func FuzzUTF8(f *testing.F) {
	dec, err := vectors.Decoder()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range dec {
		for _, ev := range v.Events {
			if ev.Kind == "text" || ev.Kind == "close" {
				f.Add(append([]byte{3}, ev.Data...))
			}
		}
		f.Add(append([]byte{1}, v.Input...))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) == 0 {
			return
		}
		step := int(in[0]%16) + 1
		p := in[1:]
		wantOff, wantValid, wantTrunc := utf8verdict.Of(p)
		if wantValid != utf8.Valid(p) {
			t.Fatalf("reference disagrees with utf8.Valid on %x", p)
		}
		for _, size := range []int{len(p) + 1, step, 1} {
			var v codec.UTF8Validator
			off, valid, trunc := -1, true, false
			for pos := 0; pos < len(p); pos += size {
				chunk := p[pos:min(pos+size, len(p))]
				n, err := v.Write(chunk)
				if err != nil {
					var ue *codec.InvalidUTF8Error
					if !errors.As(err, &ue) || ue.Truncated || ue.Offset != int64(pos+n) {
						t.Fatalf("Write error %v with n = %d at %d", err, n, pos)
					}
					off, valid = int(ue.Offset), false
					break
				}
				if n != len(chunk) {
					t.Fatalf("short write %d of %d without an error", n, len(chunk))
				}
			}
			if valid {
				if err := v.Done(); err != nil {
					var ue *codec.InvalidUTF8Error
					if !errors.As(err, &ue) || !ue.Truncated || ue.Offset != int64(len(p)) {
						t.Fatalf("Done = %v", err)
					}
					off, valid, trunc = len(p), false, true
				}
			}
			if valid != wantValid || trunc != wantTrunc || (!valid && off != wantOff) {
				t.Fatalf("%x in chunks of %d: (%d, %v, %v), want (%d, %v, %v)", p, size, off, valid, trunc, wantOff, wantValid, wantTrunc)
			}
		}
	})
}
