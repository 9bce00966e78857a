package deflate

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// zeroReader yields zero masking keys: repeatable frames in tests.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// handshakePair runs an opening handshake offering offers to a server
// with policy so, and returns both ends' Conns.
func handshakePair(t testing.TB, so *ServerOptions, co *ClientOptions, opts codec.ConnOptions) (srv, cli *codec.Conn) {
	t.Helper()
	req, err := handshake.NewRequest("ws://example.com/", [16]byte{1}, handshake.RequestOptions{Extensions: co.Extensions()})
	if err != nil {
		t.Fatal(err)
	}
	parsed, _, err := handshake.ParseRequest(req.Append(nil), 0)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := (&handshake.Server{NegotiateExtensions: so.NegotiateExtensions}).Accept(parsed)
	if err != nil {
		t.Fatal(err)
	}
	srvOpts := opts
	srvOpts.Role = codec.RoleServer
	srv, err = so.NewConn(acc, srvOpts)
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := handshake.ParseResponse(acc.Response, 0)
	if err != nil {
		t.Fatal(err)
	}
	n, err := handshake.VerifyResponse(req, resp)
	if err != nil {
		t.Fatal(err)
	}
	cliOpts := opts
	cliOpts.Role, cliOpts.Rand = codec.RoleClient, zeroReader{}
	cli, err = co.NewConn(req, n, cliOpts)
	if err != nil {
		t.Fatal(err)
	}
	return srv, cli
}

// receiveAll feeds wire to c and returns the messages.
func receiveAll(t testing.TB, c *codec.Conn, wire []byte) ([]string, error) {
	t.Helper()
	var msgs []string
	var cur []byte
	evs, err := c.Receive(bytes.Clone(wire))
	for _, ev := range evs {
		switch ev.Kind {
		case codec.EventMessageStart:
			cur = cur[:0]
		case codec.EventPayload:
			cur = append(cur, ev.Data...)
		case codec.EventMessageEnd:
			msgs = append(msgs, string(cur))
		}
	}
	return msgs, err
}

// frameHeaders parses the headers of a stream of frames.
func frameHeaders(t testing.TB, wire []byte) []codec.Header {
	t.Helper()
	var hs []codec.Header
	for len(wire) > 0 {
		h, n, err := codec.ParseHeader(wire)
		if err != nil || n == 0 {
			t.Fatalf("ParseHeader: %d %v", n, err)
		}
		hs = append(hs, h)
		wire = wire[n+int(h.Length):]
	}
	return hs
}

func testMessages(r *rand.Rand, n int) []string {
	var out []string
	words := []string{"hello", "world", "κόσμε", "websocket", "deflate", " ", "\n", "0123456789"}
	for range n {
		var b strings.Builder
		for range r.IntN(3000) {
			b.WriteString(words[r.IntN(len(words))])
		}
		out = append(out, b.String())
	}
	return out
}

// TestConnRoundTrip sends messages both ways for many parameter sets,
// whole and fragmented, and checks that RSV1 is on first frames only.
func TestConnRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	offers := []Params{
		{}, {ServerNoContextTakeover: true}, {ClientNoContextTakeover: true},
		{ServerMaxWindowBits: 8}, {ServerMaxWindowBits: 12, ClientMaxWindowBits: WindowBitsNoValue},
		{ServerNoContextTakeover: true, ClientNoContextTakeover: true, ServerMaxWindowBits: 9, ClientMaxWindowBits: 9},
	}
	policies := []ServerOptions{{}, {Level: 9, ClientMaxWindowBits: 8}, {ServerNoContextTakeover: true, ClientNoContextTakeover: true, Level: -2}}
	for _, o := range offers {
		for _, so := range policies {
			for _, frag := range []int{0, 100} {
				srv, cli := handshakePair(t, &so, &ClientOptions{Offers: []Params{o}}, codec.ConnOptions{FragmentSize: frag})
				msgs := testMessages(r, 8)
				for _, m := range msgs {
					for dir, pair := range [][2]*codec.Conn{{srv, cli}, {cli, srv}} {
						wire, err := pair[0].SendMessage(spec.OpText, []byte(m))
						if err != nil {
							t.Fatal(err)
						}
						for i, h := range frameHeaders(t, wire) {
							if (h.Rsv == codec.Rsv1) != (i == 0) {
								t.Fatalf("%v %+v: frame %d has RSV %d", o, so, i, h.Rsv)
							}
						}
						got, err := receiveAll(t, pair[1], wire)
						if err != nil || len(got) != 1 || got[0] != m {
							t.Fatalf("%v %+v frag %d dir %d: got %d messages, err %v", o, so, frag, dir, len(got), err)
						}
					}
				}
				// A message streamed frame by frame.
				var wire []byte
				pieces := []string{"Hel", "", "lo, κ", "όσμε"}
				for i, p := range pieces {
					op := spec.OpContinuation
					if i == 0 {
						op = spec.OpText
					}
					b, err := cli.SendFrame(i == len(pieces)-1, op, []byte(p))
					if err != nil {
						t.Fatal(err)
					}
					wire = append(wire, b...)
				}
				got, err := receiveAll(t, srv, wire)
				if err != nil || len(got) != 1 || got[0] != strings.Join(pieces, "") {
					t.Fatalf("streamed: %q %v", got, err)
				}
			}
		}
	}
}

// TestCompressedSmaller: with context takeover a repeated message costs
// a few bytes; window bits below 15 still compress (Huffman only).
func TestCompressedSmaller(t *testing.T) {
	msg := []byte(strings.Repeat("The quick brown fox jumps over the lazy dog. ", 100))
	for _, tt := range []struct {
		offer    Params
		maxFirst int
		maxNext  int
	}{
		{Params{}, 100, 60},
		{Params{ServerNoContextTakeover: true}, 100, 100},
		{Params{ServerMaxWindowBits: 8}, len(msg) * 2 / 3, len(msg) * 2 / 3},
	} {
		srv, cli := handshakePair(t, &ServerOptions{}, &ClientOptions{Offers: []Params{tt.offer}}, codec.ConnOptions{})
		first, _ := srv.SendMessage(spec.OpText, msg)
		first = bytes.Clone(first)
		next, _ := srv.SendMessage(spec.OpText, msg)
		if len(first) > tt.maxFirst || len(next) > tt.maxNext {
			t.Errorf("%v: %d bytes then %d, want at most %d and %d", tt.offer, len(first), len(next), tt.maxFirst, tt.maxNext)
		}
		got, err := receiveAll(t, cli, append(first, next...))
		if err != nil || len(got) != 2 || got[1] != string(msg) {
			t.Errorf("%v: %v", tt.offer, err)
		}
	}
}

// compressedFrame builds a client's RSV1 frame (or frames, fragmented
// at size) carrying payload compressed at level 9.
func compressedFrames(t testing.TB, op spec.Opcode, payload []byte, size int) []byte {
	t.Helper()
	c, err := NewCompressor(9, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	data, err := c.AppendTransform(nil, payload, true)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := codec.NewEncoder(codec.RoleClient, zeroReader{})
	var wire []byte
	rsv := codec.Rsv1
	for first := true; first || len(data) > 0; first = false {
		n := len(data)
		if size > 0 && n > size {
			n = size
		}
		wire, err = enc.AppendFrameRsv(wire, n == len(data), rsv, op, data[:n])
		if err != nil {
			t.Fatal(err)
		}
		data = data[n:]
		op, rsv = spec.OpContinuation, 0
	}
	return wire
}

// TestBomb: 64 MiB of zeros compress to about 64 KiB; inflated under a
// 1 MiB limit they fail with 1009 at the limit, and the Decoder
// allocates nothing on the way (the inflater writes into its window).
func TestBomb(t *testing.T) {
	wire := compressedFrames(t, spec.OpBinary, make([]byte, 64<<20), 0)
	if len(wire) > 100<<10 {
		t.Fatalf("bomb is %d bytes", len(wire))
	}
	d, _ := NewDecompressor(0, false)
	dec, _ := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleServer, Extension: d, MaxMessage: 1 << 20})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var inflated int
	var err error
	for p := wire; ; {
		var ev codec.Event
		var n int
		ev, n, err = dec.Decode(p)
		p = p[n:]
		if err != nil || ev.Kind == codec.EventNone {
			break
		}
		if ev.Kind == codec.EventPayload {
			inflated += len(ev.Data)
		}
	}
	runtime.ReadMemStats(&after)
	if !errors.Is(err, &codec.ProtocolError{Code: spec.CloseMessageTooBig, Requirement: "R-10.4-limits"}) {
		t.Fatalf("err = %v, want 1009", err)
	}
	if inflated > 1<<20 {
		t.Errorf("%d bytes delivered past the limit", inflated)
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > 16<<10 {
		t.Errorf("decoding the bomb allocated %d bytes", a)
	}
	// Through a Conn, which copies the inflated pieces of one Receive
	// into its buffer, what stays allocated is within the limit (plus
	// append's growth).
	srv, _ := handshakePair(t, &ServerOptions{}, &ClientOptions{}, codec.ConnOptions{MaxMessage: 1 << 20})
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = srv.Receive(wire)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(srv)
	if !errors.Is(err, &codec.ProtocolError{Code: spec.CloseMessageTooBig}) {
		t.Fatalf("Conn: err = %v, want 1009", err)
	}
	if a := int64(after.HeapAlloc) - int64(before.HeapAlloc); a > 3<<19 {
		t.Errorf("Conn holds %d more bytes after a bomb under a 1 MiB limit", a)
	}
}

// TestUTF8AfterInflate: text is checked after inflating
// (D-6-utf8-after), fail-fast: a message whose first frame inflates to
// invalid UTF-8 fails before its last frame arrives.
func TestUTF8AfterInflate(t *testing.T) {
	bad := append([]byte(strings.Repeat("a", 5000)), 0xff)
	bad = append(bad, strings.Repeat("b", 50000)...)
	wire := compressedFrames(t, spec.OpText, bad, 64)
	// Only the first half of the frames arrives.
	half := wire[:len(wire)/2]
	d, _ := NewDecompressor(0, false)
	dec, _ := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleServer, Extension: d})
	var err error
	for p := half; ; {
		ev, n, e := dec.Decode(p)
		p = p[n:]
		if err = e; err != nil || ev.Kind == codec.EventNone {
			break
		}
	}
	if !errors.Is(err, &codec.ProtocolError{Code: spec.CloseInvalidPayload, Requirement: "R-8.1-utf8-fail"}) {
		t.Fatalf("err = %v, want 1007 before the message ends", err)
	}
	// Compressed bytes that are not UTF-8 are fine when they inflate to
	// UTF-8, split inside a code point across frames.
	good := []byte(strings.Repeat("κόσμε ", 1000))
	srv, _ := handshakePair(t, &ServerOptions{}, &ClientOptions{}, codec.ConnOptions{})
	got, err := receiveAll(t, srv, compressedFrames(t, spec.OpText, good, 7))
	if err != nil || len(got) != 1 || got[0] != string(good) {
		t.Fatalf("valid text: %v", err)
	}
}

// TestRsv1Placement: RSV1 on a continuation or control frame fails with
// 1002 (D-6-rsv1-placement), and AppendFrameRsv refuses to write one.
func TestRsv1Placement(t *testing.T) {
	enc, _ := codec.NewEncoder(codec.RoleClient, zeroReader{})
	if _, err := enc.AppendFrameRsv(nil, true, codec.Rsv1, spec.OpContinuation, nil); !errors.Is(err, codec.ErrRsvNotAllowed) {
		t.Errorf("AppendFrameRsv(continuation) = %v", err)
	}
	if _, err := enc.AppendFrameRsv(nil, true, codec.Rsv1, spec.OpPing, nil); !errors.Is(err, codec.ErrRsvNotAllowed) {
		t.Errorf("AppendFrameRsv(ping) = %v", err)
	}
	for _, h := range []codec.Header{
		{Fin: true, Rsv: codec.Rsv1, Opcode: spec.OpPing, Masked: true},
		{Fin: true, Rsv: codec.Rsv1, Opcode: spec.OpContinuation, Masked: true},
	} {
		wire := compressedFrames(t, spec.OpText, []byte("Hello"), 3)
		wire = wire[:len(wire)-frameLen(t, wire)] // drop the last frame
		wire = codec.AppendHeader(wire, h)
		srv, _ := handshakePair(t, &ServerOptions{}, &ClientOptions{}, codec.ConnOptions{})
		_, err := srv.Receive(wire)
		if !errors.Is(err, &codec.ProtocolError{Code: spec.CloseProtocolError, Requirement: "D-6-rsv1-placement"}) {
			t.Errorf("%v: err = %v, want 1002 D-6-rsv1-placement", h.Opcode, err)
		}
	}
}

// frameLen returns the size of the last frame of wire.
func frameLen(t *testing.T, wire []byte) int {
	last := 0
	for p := wire; len(p) > 0; {
		h, n, _ := codec.ParseHeader(p)
		last = n + int(h.Length)
		p = p[last:]
	}
	return last
}

// TestZeroAllocs: once buffers have grown, a compressed message costs no
// allocation to send or to receive.
func TestZeroAllocs(t *testing.T) {
	msg := []byte(strings.Repeat("hello, world. ", 300))
	for _, o := range []Params{{}, {ServerNoContextTakeover: true, ClientNoContextTakeover: true}, {ServerMaxWindowBits: 9}} {
		srv, cli := handshakePair(t, &ServerOptions{}, &ClientOptions{Offers: []Params{o}}, codec.ConnOptions{})
		var buf []byte
		round := func() {
			wire, err := srv.SendMessage(spec.OpText, msg)
			if err != nil {
				t.Fatal(err)
			}
			buf = append(buf[:0], wire...)
			evs, err := cli.Receive(buf)
			if err != nil || len(evs) < 3 {
				t.Fatal(err)
			}
		}
		for range 3 {
			round()
		}
		if n := testing.AllocsPerRun(100, round); n != 0 {
			t.Errorf("%v: %v allocations per message", o, n)
		}
	}
}

// TestMinSize: whole messages below MinSize go uncompressed, without
// RSV1 (D-6-optional), between compressed ones that keep their context.
func TestMinSize(t *testing.T) {
	srv, cli := handshakePair(t, &ServerOptions{MinSize: 32}, &ClientOptions{}, codec.ConnOptions{})
	var wire []byte
	for _, m := range []string{strings.Repeat("abc", 20), "tiny", strings.Repeat("abc", 20)} {
		out, err := srv.SendMessage(spec.OpText, []byte(m))
		if err != nil {
			t.Fatal(err)
		}
		h := frameHeaders(t, out)[0]
		if (h.Rsv == codec.Rsv1) != (len(m) >= 32) {
			t.Errorf("%d-byte message: RSV %d", len(m), h.Rsv)
		}
		wire = append(wire, out...)
	}
	got, err := receiveAll(t, cli, wire)
	if err != nil || len(got) != 3 || got[1] != "tiny" || got[2] != strings.Repeat("abc", 20) {
		t.Fatalf("%q %v", got, err)
	}
}
