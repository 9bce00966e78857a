package fuzz

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"testing"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
)

// fuzzInflateLimit is FuzzDeflateMessage's MaxMessage: small, so that
// short inputs reach it.
const fuzzInflateLimit = 1 << 14

// deflatePayloads returns the compressed payload of the first message of
// every deflate decoder vector, unmasked and joined across frames.
func deflatePayloads(f *testing.F) [][]byte {
	f.Helper()
	df, err := vectors.Deflate()
	if err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	for _, v := range df.Decoder {
		var payload []byte
		for p := v.Input; len(p) > 0; {
			h, n, err := codec.ParseHeader(p)
			if err != nil || n == 0 || uint64(len(p)-n) < h.Length {
				break
			}
			b := bytes.Clone(p[n : n+int(h.Length)])
			p = p[n+int(h.Length):]
			if h.Opcode.IsControl() {
				continue
			}
			if h.Masked {
				codec.Mask(h.Key, 0, b)
			}
			payload = append(payload, b...)
			if h.Fin {
				break
			}
		}
		out = append(out, payload)
	}
	return out
}

// inflated is what one compressed message gave.
type inflated struct {
	out []byte
	err *codec.ProtocolError
}

// inflateMessage sends payload as one compressed binary message, split
// into two frames at cut (when 0 < cut < len), to a client Decoder with
// a Decompressor of the given window, under fuzzInflateLimit.
func inflateMessage(t *testing.T, payload []byte, cut, bits int) inflated {
	t.Helper()
	var wire []byte
	if cut > 0 && cut < len(payload) {
		wire = codec.AppendHeader(wire, codec.Header{Rsv: codec.Rsv1, Opcode: spec.OpBinary, Length: uint64(cut)})
		wire = append(wire, payload[:cut]...)
		wire = codec.AppendHeader(wire, codec.Header{Fin: true, Opcode: spec.OpContinuation, Length: uint64(len(payload) - cut)})
		wire = append(wire, payload[cut:]...)
	} else {
		wire = codec.AppendHeader(wire, codec.Header{Fin: true, Rsv: codec.Rsv1, Opcode: spec.OpBinary, Length: uint64(len(payload))})
		wire = append(wire, payload...)
	}
	d, err := deflate.NewDecompressor(bits, false)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleClient, Extension: d, MaxMessage: fuzzInflateLimit})
	if err != nil {
		t.Fatal(err)
	}
	var r inflated
	for p := wire; ; {
		ev, n, err := dec.Decode(p)
		p = p[n:]
		if err != nil {
			var pe *codec.ProtocolError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ProtocolError", err)
			}
			r.err = pe
			return r
		}
		if ev.Kind == codec.EventNone {
			return r
		}
		if ev.Kind == codec.EventPayload {
			r.out = append(r.out, ev.Data...)
		}
	}
}

// FuzzDeflateMessage inflates arbitrary bytes as the payload of one
// compressed message (RSV1), under a 16 KiB limit. It checks, for every
// input:
//   - the result is the inflated bytes, at most the limit, or a
//     *ProtocolError: 1007 citing D-7.2.2-decompress, or 1009 citing
//     R-10.4-limits;
//   - it does not depend on where the message is split into frames;
//   - compress/flate agrees: what it inflates from the same bytes with
//     00 00 ff ff appended is a prefix of wskit's output, all of it
//     unless compress/flate stopped at a final block (it reads nothing
//     after one), and it finds no corruption in data wskit accepted;
//   - a smaller window never accepts what the 32 KiB one refuses;
//   - the bytes taken as plaintext and compressed by compress/flate at
//     any level inflate back to themselves;
//   - inflating allocates nothing but an error value, whatever the
//     bytes claim (the window is allocated once, up front).
func FuzzDeflateMessage(f *testing.F) {
	for _, p := range deflatePayloads(f) {
		f.Add(p, uint16(len(p)/2), uint8(15))
	}
	f.Add([]byte{0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}, uint16(3), uint8(8))
	f.Fuzz(func(t *testing.T, payload []byte, cut uint16, bits uint8) {
		if len(payload) > fuzzMaxInput {
			return
		}
		wbits := 8 + int(bits)%8
		whole := inflateMessage(t, payload, 0, 15)
		if e := whole.err; e != nil {
			switch {
			case e.Code == spec.CloseInvalidPayload && e.Requirement == "D-7.2.2-decompress":
			case e.Code == spec.CloseMessageTooBig && e.Requirement == "R-10.4-limits":
			default:
				t.Fatalf("error %v: want 1007 D-7.2.2-decompress or 1009 R-10.4-limits", e)
			}
		}
		if len(whole.out) > fuzzInflateLimit {
			t.Fatalf("%d bytes delivered past the %d-byte limit", len(whole.out), fuzzInflateLimit)
		}
		split := inflateMessage(t, payload, int(cut), 15)
		if (split.err == nil) != (whole.err == nil) || split.err != nil && (split.err.Code != whole.err.Code || split.err.Requirement != whole.err.Requirement) {
			t.Fatalf("split at %d: error %v, whole: %v", cut, split.err, whole.err)
		}
		if whole.err == nil && !bytes.Equal(split.out, whole.out) {
			t.Fatalf("split at %d: %d bytes, whole: %d", cut, len(split.out), len(whole.out))
		}
		if small := inflateMessage(t, payload, int(cut), wbits); small.err == nil && whole.err != nil {
			t.Fatalf("window bits %d accept what 15 refuses (%v)", wbits, whole.err)
		}
		if whole.err == nil {
			r := flate.NewReader(bytes.NewReader(append(bytes.Clone(payload), 0, 0, 0xff, 0xff)))
			ref, err := io.ReadAll(io.LimitReader(r, fuzzInflateLimit+1))
			var ce flate.CorruptInputError
			if errors.As(err, &ce) {
				t.Fatalf("compress/flate finds corrupt input at %d where wskit inflated %d bytes", int64(ce), len(whole.out))
			}
			if !bytes.HasPrefix(whole.out, ref) || err == io.ErrUnexpectedEOF && len(ref) != len(whole.out) {
				t.Fatalf("compress/flate inflates %d bytes (%v), wskit %d", len(ref), err, len(whole.out))
			}
		}
		// The same bytes as plaintext: what compress/flate makes of them
		// at any level inflates back to them, in any split.
		level := int(bits)%11 - 2
		var comp bytes.Buffer
		w, _ := flate.NewWriter(&comp, level)
		w.Write(payload)
		w.Flush()
		back := inflateMessage(t, comp.Bytes()[:comp.Len()-4], int(cut), 15)
		if back.err != nil || !bytes.Equal(back.out, payload) {
			t.Fatalf("level %d round trip: %d bytes back of %d (%v)", level, len(back.out), len(payload), back.err)
		}
		if !raceDetector {
			var failed bool
			allocs := testing.AllocsPerRun(1, func() { failed = inflateMessage(t, payload, 0, 15).err != nil })
			// The Decoder, the Decompressor and its 32 KiB window, the
			// frame, the output copy and, on failure, the error.
			if allocs > 40 {
				t.Fatalf("inflating allocates %v times (error: %v)", allocs, failed)
			}
		}
	})
}

// FuzzExtensionOffer parses any Sec-WebSocket-Extensions value as the
// offers a server receives. It checks, for every input:
//   - ParseOffer and ParseResponse return Params or a *NegotiationError
//     citing D-7-server-decline or D-7-client-fail;
//   - a valid element written back with Params.Extension parses to the
//     same Params;
//   - the server's answer, when it accepts, answers the first valid
//     offer, and the client's VerifyResponse accepts it with the same
//     parameters (D-5-use-agreed);
//   - with none valid the server declines, never failing.
func FuzzExtensionOffer(f *testing.F) {
	if df, err := vectors.Deflate(); err == nil {
		for _, v := range df.Offers {
			f.Add(v.Offers)
		}
		for _, v := range df.Responses {
			f.Add(v.Offers)
			f.Add(v.Response)
		}
	}
	f.Fuzz(func(t *testing.T, value string) {
		offers, err := handshake.ParseExtensions(value)
		if err != nil {
			return
		}
		firstValid := -1
		for i, e := range offers {
			p, err := deflate.ParseOffer(e)
			if err != nil {
				var ne *deflate.NegotiationError
				if !errors.As(err, &ne) || ne.Requirement != "D-7-server-decline" {
					t.Fatalf("ParseOffer(%v) = %v", e, err)
				}
				continue
			}
			if firstValid < 0 {
				firstValid = i
			}
			again, err := deflate.ParseOffer(p.Extension())
			if err != nil || again != p {
				t.Fatalf("%v: %+v written as %v parses to %+v, %v", e, p, p.Extension(), again, err)
			}
			if _, err := deflate.ParseResponse(e); err != nil {
				var ne *deflate.NegotiationError
				if !errors.As(err, &ne) || ne.Requirement != "D-7-client-fail" {
					t.Fatalf("ParseResponse(%v) = %v", e, err)
				}
			}
		}
		for _, so := range []deflate.ServerOptions{{}, {ServerNoContextTakeover: true, ClientMaxWindowBits: 9}} {
			resp, agreed, ok := so.Negotiate(offers)
			if ok != (firstValid >= 0) {
				t.Fatalf("Negotiate ok %v, first valid offer %d", ok, firstValid)
			}
			if !ok {
				continue
			}
			first, _ := deflate.ParseOffer(offers[firstValid])
			if first.ServerMaxWindowBits != 0 && (agreed.ServerMaxWindowBits == 0 || agreed.ServerMaxWindowBits > first.ServerMaxWindowBits) {
				t.Fatalf("offer %+v answered with %+v", first, agreed)
			}
			p, ok, err := deflate.VerifyResponse(offers, []handshake.Extension{resp})
			if err != nil || !ok {
				t.Fatalf("the client refuses the answer %v to %q: %v", resp, value, err)
			}
			if p.ServerNoContextTakeover != agreed.ServerNoContextTakeover || p.ClientNoContextTakeover != agreed.ClientNoContextTakeover ||
				p.ServerMaxWindowBits != agreed.ServerMaxWindowBits {
				t.Fatalf("the client reads %+v, the server agreed %+v", p, agreed)
			}
		}
	})
}
