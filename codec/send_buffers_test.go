package codec

import (
	"bytes"
	"errors"
	"testing"
	"unsafe"

	"github.com/wskit/wskit/spec"
)

// writeLog is an io.Writer that appends what it is given to b, reusing b,
// and records the size of every Write and how many of them were a piece
// of the payload itself, ending where it ends.
type writeLog struct {
	b       []byte
	sizes   []int
	payload []byte // the caller's payload, to tell a Write of it
	aliased int    // Writes that were the payload itself
}

func (w *writeLog) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	w.sizes = append(w.sizes, len(p))
	if len(p) > 0 && len(w.payload) > 0 && &p[len(p)-1] == &w.payload[len(w.payload)-1] {
		w.aliased++
	}
	return len(p), nil
}

// TestAppendFrameHeader: a header from AppendFrameHeader followed by the
// payload through its Masker, in pieces of any size, is the frame
// AppendFrame writes with the same key.
func TestAppendFrameHeader(t *testing.T) {
	for _, role := range []Role{RoleServer, RoleClient} {
		for _, size := range []int{0, 1, 5, 125, 126, 1000, 65535, 65536, 70000} {
			payload := bytes.Repeat([]byte("κόσμε!"), size/8+1)[:size]
			want, err := newEncoder(t, role, &countReader{}).AppendFrame(nil, true, spec.OpBinary, payload)
			if err != nil {
				t.Fatal(err)
			}
			for _, piece := range []int{1, 3, 64, 1 << 20} {
				got, m, err := newEncoder(t, role, &countReader{}).AppendFrameHeader([]byte("x"), true, spec.OpBinary, size)
				if err != nil {
					t.Fatal(err)
				}
				if m.Masked() != (role == RoleClient) {
					t.Errorf("%v: Masked() = %v", role, m.Masked())
				}
				for p := payload; len(p) > 0; {
					k := min(piece, len(p))
					got = m.AppendPayload(got, p[:k])
					p = p[k:]
				}
				if !bytes.Equal(got[1:], want) {
					t.Errorf("%v, %d bytes in pieces of %d: frame differs from AppendFrame's", role, size, piece)
				}
			}
		}
	}
	enc := newEncoder(t, RoleClient, &countReader{})
	for _, c := range []struct {
		fin    bool
		op     spec.Opcode
		length int
		want   error
	}{
		{true, 3, 0, ErrReservedOpcode}, {true, 0x1F, 0, ErrReservedOpcode}, {false, spec.OpPing, 0, ErrControlFragmented},
		{true, spec.OpPong, 126, ErrControlTooLong},
	} {
		dst, _, err := enc.AppendFrameHeader([]byte("x"), c.fin, c.op, c.length)
		if err != c.want || string(dst) != "x" {
			t.Errorf("%+v: %q, %v; want %v and dst unchanged", c, dst, err, c.want)
		}
	}
	if _, _, err := newEncoder(t, RoleClient, failingReader{}).AppendFrameHeader(nil, true, spec.OpText, 1); err == nil {
		t.Error("AppendFrameHeader with a failing key source succeeded")
	}
}

// TestWriteFrame: WriteFrame writes the frame AppendFrame appends; a
// server's large payload goes out as itself, never copied; a client's
// goes through scratch, no Write larger than scratch; the payload is left
// as it was.
func TestWriteFrame(t *testing.T) {
	for _, role := range []Role{RoleServer, RoleClient} {
		for _, size := range []int{0, 10, 50, 100, 4000, 70000} {
			for _, scratchSize := range []int{64, 100, 4096} {
				payload := bytes.Repeat([]byte("abcdefg"), size/7+1)[:size]
				orig := bytes.Clone(payload)
				want, err := newEncoder(t, role, &countReader{}).AppendFrame(nil, true, spec.OpText, payload)
				if err != nil {
					t.Fatal(err)
				}
				w := &writeLog{payload: payload}
				if err := newEncoder(t, role, &countReader{}).WriteFrame(w, make([]byte, 3, scratchSize), true, spec.OpText, payload); err != nil {
					t.Fatal(err)
				}
				name := role.String() + ", "
				if !bytes.Equal(w.b, want) {
					t.Errorf("%s%d bytes, scratch %d: frame differs from AppendFrame's", name, size, scratchSize)
				}
				if !bytes.Equal(payload, orig) {
					t.Errorf("%s%d bytes: payload modified", name, size)
				}
				big := HeaderSize(Header{Length: uint64(size), Masked: role == RoleClient})+size > scratchSize
				switch {
				case role == RoleServer && big:
					if len(w.sizes) != 2 || w.aliased != 1 {
						t.Errorf("%s%d bytes, scratch %d: writes %v, %d of the payload itself; want the header, then the payload", name, size, scratchSize, w.sizes, w.aliased)
					}
				case role == RoleServer:
					if len(w.sizes) != 1 {
						t.Errorf("%s%d bytes, scratch %d: writes %v; want one", name, size, scratchSize, w.sizes)
					}
				default:
					for _, n := range w.sizes {
						if n > scratchSize {
							t.Errorf("%s%d bytes, scratch %d: a write of %d bytes", name, size, scratchSize, n)
						}
					}
					if w.aliased != 0 {
						t.Errorf("%s%d bytes: the payload went out unmasked", name, size)
					}
				}
			}
		}
	}
	enc := newEncoder(t, RoleServer, nil)
	if err := enc.WriteFrame(&writeLog{}, make([]byte, 64), false, spec.OpClose, nil); err != ErrControlFragmented {
		t.Errorf("a fragmented Close: %v", err)
	}
	errWrite := errors.New("broken pipe")
	for _, role := range []Role{RoleServer, RoleClient} {
		if err := newEncoder(t, role, zeroReader{}).WriteFrame(failingWriter{errWrite}, make([]byte, 64), true, spec.OpBinary, make([]byte, 1000)); err != errWrite {
			t.Errorf("%v: a failing writer: %v", role, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("WriteFrame with a scratch of 63 bytes did not panic")
		}
	}()
	enc.WriteFrame(&writeLog{}, make([]byte, 63), true, spec.OpBinary, nil)
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// TestSendBuffers: head and body together are what SendMessage and
// SendFrame return; a server's payload of 2 KiB or more is body itself;
// anything else comes whole in head.
func TestSendBuffers(t *testing.T) {
	small, large := []byte("hello"), bytes.Repeat([]byte("x"), 3000)
	for _, c := range []struct {
		name    string
		opts    ConnOptions
		payload []byte
		aliased bool
	}{
		{"server, large", ConnOptions{Role: RoleServer}, large, true},
		{"server, small", ConnOptions{Role: RoleServer}, small, false},
		{"client, large", ConnOptions{Role: RoleClient, Rand: &countReader{}}, large, false},
		{"server, fragmented", ConnOptions{Role: RoleServer, FragmentSize: 1000}, large, false},
		{"server, fragment size above", ConnOptions{Role: RoleServer, FragmentSize: 5000}, large, true},
		{"server, transformed", ConnOptions{Role: RoleServer, SendExtension: &xorSend{mask: 1}}, large, false},
		{"server, declined by the extension", ConnOptions{Role: RoleServer, SendExtension: &xorSend{mask: 1, minSize: 5000}}, large, true},
	} {
		twin := func() *Conn {
			opts := c.opts
			if opts.Rand != nil {
				opts.Rand = &countReader{}
			}
			if x, ok := opts.SendExtension.(*xorSend); ok {
				opts.SendExtension = &xorSend{mask: x.mask, minSize: x.minSize}
			}
			conn := newConn(t, opts.Role, opts)
			// An answer owed comes first in head.
			if _, err := conn.Receive(wire(opts.Role, ping("p"))); err != nil {
				t.Fatal(err)
			}
			return conn
		}
		ref, got := twin(), twin()
		want, err := ref.SendMessage(spec.OpBinary, c.payload)
		if err != nil {
			t.Fatal(err)
		}
		want = bytes.Clone(want)
		frames, err := ref.SendFrame(false, spec.OpText, c.payload)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, frames...)
		frames, err = ref.SendFrame(true, spec.OpContinuation, c.payload)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, frames...)

		var all []byte
		head, body, err := got.SendMessageBuffers(spec.OpBinary, c.payload)
		if err != nil {
			t.Fatal(err)
		}
		if (body != nil) != c.aliased || body != nil && unsafe.SliceData(body) != unsafe.SliceData(c.payload) {
			t.Errorf("%s: SendMessageBuffers: body of %d bytes; want the payload itself: %v", c.name, len(body), c.aliased)
		}
		all = append(append(all, head...), body...)
		for _, fin := range []bool{false, true} {
			op := spec.OpText
			if fin {
				op = spec.OpContinuation
			}
			head, body, err := got.SendFrameBuffers(fin, op, c.payload)
			if err != nil {
				t.Fatal(err)
			}
			// Frames are never fragmented further; a SendExtension
			// transforms every streamed frame.
			aliased := c.opts.Role == RoleServer && len(c.payload) >= sendBuffersMin && c.opts.SendExtension == nil
			if (body != nil) != aliased {
				t.Errorf("%s: SendFrameBuffers: body of %d bytes; want the payload itself: %v", c.name, len(body), aliased)
			}
			all = append(append(all, head...), body...)
		}
		if !bytes.Equal(all, want) {
			t.Errorf("%s: head and body differ from what SendMessage and SendFrame return", c.name)
		}
	}

	// The rules are SendMessage's and SendFrame's.
	conn := newConn(t, RoleServer, ConnOptions{})
	if _, _, err := conn.SendMessageBuffers(spec.OpText, append(bytes.Clone(large), 0xff)); err != ErrTextNotUTF8 {
		t.Errorf("invalid text: %v", err)
	}
	if _, _, err := conn.SendMessageBuffers(spec.OpPing, large); err != ErrReservedOpcode {
		t.Errorf("a ping: %v", err)
	}
	if _, _, err := conn.SendFrameBuffers(true, spec.OpContinuation, large); err != ErrFrameOrder {
		t.Errorf("an orphan continuation: %v", err)
	}
	if _, _, err := conn.SendFrameBuffers(false, spec.OpBinary, large); err != nil {
		t.Fatal(err)
	}
	if _, _, err := conn.SendMessageBuffers(spec.OpBinary, large); err != ErrFrameOrder {
		t.Errorf("a message inside a streamed one: %v", err)
	}
	if _, _, err := conn.SendFrameBuffers(true, spec.OpClose, large); err != ErrReservedOpcode {
		t.Errorf("a close frame: %v", err)
	}
	if _, err := conn.SendClose(spec.CloseNormal, ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := conn.SendMessageBuffers(spec.OpBinary, large); err != ErrCloseSent {
		t.Errorf("after our Close: %v", err)
	}
	if _, _, err := conn.SendFrameBuffers(true, spec.OpContinuation, large); err != ErrCloseSent {
		t.Errorf("after our Close: %v", err)
	}
}

// TestSendBuffersAllocs: the zero-copy send paths allocate nothing in
// steady state.
func TestSendBuffersAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	payload := bytes.Repeat([]byte("κόσμε"), 1000)
	scratch := make([]byte, 4096)
	for _, role := range []Role{RoleServer, RoleClient} {
		enc := newEncoder(t, role, zeroReader{})
		w := &writeLog{b: make([]byte, 0, 1<<16), sizes: make([]int, 0, 16)}
		hdr := make([]byte, 0, MaxHeaderSize)
		allocs := testing.AllocsPerRun(100, func() {
			w.b, w.sizes = w.b[:0], w.sizes[:0]
			if err := enc.WriteFrame(w, scratch, true, spec.OpBinary, payload); err != nil {
				t.Fatal(err)
			}
			h, m, err := enc.AppendFrameHeader(hdr[:0], true, spec.OpBinary, len(payload))
			if err != nil {
				t.Fatal(err)
			}
			m.AppendPayload(scratch[len(h):len(h)], payload[:100])
		})
		if allocs != 0 {
			t.Errorf("%v: WriteFrame and AppendFrameHeader allocate %v times per run, want 0", role, allocs)
		}
	}
	conn := newConn(t, RoleServer, ConnOptions{})
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := conn.SendMessageBuffers(spec.OpText, payload); err != nil {
			t.Fatal(err)
		}
		if _, _, err := conn.SendFrameBuffers(false, spec.OpBinary, payload); err != nil {
			t.Fatal(err)
		}
		if _, _, err := conn.SendFrameBuffers(true, spec.OpContinuation, payload[:10]); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("SendMessageBuffers and SendFrameBuffers allocate %v times per run, want 0", allocs)
	}
}

func BenchmarkWriteFrame(b *testing.B) {
	for _, role := range []Role{RoleServer, RoleClient} {
		b.Run(role.String()+"/1MiB", func(b *testing.B) {
			enc := newEncoder(b, role, zeroReader{})
			payload := bytes.Repeat([]byte{0xfe}, 1<<20)
			w := &writeLog{b: make([]byte, 0, 2<<20), sizes: make([]int, 0, 64)}
			scratch := make([]byte, 32<<10)
			b.SetBytes(1 << 20)
			b.ReportAllocs()
			for b.Loop() {
				w.b, w.sizes = w.b[:0], w.sizes[:0]
				if err := enc.WriteFrame(w, scratch, true, spec.OpBinary, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
