package bench

// Frame header parse and append, for a masked binary frame whose length
// takes each of the three forms of RFC 6455 section 5.2: 7-bit (125),
// 16-bit (1000) and 64-bit (1 MiB).
//
// Parse: wskit's codec.ParseHeader reads from a byte slice; gobwas reads
// from an io.Reader, here a bytes.Reader reset to the same bytes each
// iteration, with ws.ReadHeader (which makes its own 12-byte scratch
// buffer) and with ws.ReadHeaderBuffer (the caller's buffer). wskit also
// checks that the length is in its minimal form (R-5.2-len-minimal);
// gobwas does not.
//
// Append: wskit's codec.AppendHeader appends to a reused slice; gobwas's
// ws.WriteHeader (its own 14-byte buffer) and ws.WriteHeaderBuffer (the
// caller's) write to an io.Writer that appends to a reused slice.

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/gobwas/ws"
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

var headerLengths = []struct {
	name   string
	length uint64
}{
	{"7bit", 125}, {"16bit", 1000}, {"64bit", 1 << 20},
}

// benchHeader returns the header of a final, masked binary frame.
func benchHeader(length uint64) codec.Header {
	return codec.Header{Fin: true, Opcode: spec.OpBinary, Masked: true, Key: maskKey, Length: length}
}

// gobwasHeader converts h to gobwas's representation.
func gobwasHeader(h codec.Header) ws.Header {
	return ws.Header{Fin: h.Fin, Rsv: h.Rsv, OpCode: ws.OpCode(h.Opcode), Masked: h.Masked, Mask: h.Key, Length: int64(h.Length)}
}

// A headerParser parses the header at the front of wire.
type headerParser struct {
	lib   string
	parse func(wire []byte) (codec.Header, error)
}

// headerParsers returns the parsers, each with its own reusable state.
func headerParsers() []headerParser {
	var r bytes.Reader
	scratch := make([]byte, ws.MaxHeaderSize)
	fromGobwas := func(h ws.Header, err error) (codec.Header, error) {
		return codec.Header{Fin: h.Fin, Rsv: h.Rsv, Opcode: spec.Opcode(h.OpCode), Masked: h.Masked, Key: h.Mask, Length: uint64(h.Length)}, err
	}
	return []headerParser{
		{"wskit", func(wire []byte) (codec.Header, error) {
			h, _, err := codec.ParseHeader(wire)
			return h, err
		}},
		{"gobwas", func(wire []byte) (codec.Header, error) {
			r.Reset(wire)
			return fromGobwas(ws.ReadHeader(&r))
		}},
		{"gobwas-buf", func(wire []byte) (codec.Header, error) {
			r.Reset(wire)
			return fromGobwas(ws.ReadHeaderBuffer(&r, scratch))
		}},
	}
}

// A headerAppender appends the wire form of h to dst.
type headerAppender struct {
	lib    string
	append func(dst []byte, h codec.Header) ([]byte, error)
}

func headerAppenders() []headerAppender {
	var w sink
	scratch := make([]byte, ws.MaxHeaderSize)
	return []headerAppender{
		{"wskit", func(dst []byte, h codec.Header) ([]byte, error) {
			return codec.AppendHeader(dst, h), nil
		}},
		{"gobwas", func(dst []byte, h codec.Header) ([]byte, error) {
			w.b = dst
			err := ws.WriteHeader(&w, gobwasHeader(h))
			return w.b, err
		}},
		{"gobwas-buf", func(dst []byte, h codec.Header) ([]byte, error) {
			w.b = dst
			err := ws.WriteHeaderBuffer(&w, gobwasHeader(h), scratch)
			return w.b, err
		}},
	}
}

// checkParse reports whether p parses wire, the header of h, into h.
func checkParse(p headerParser, h codec.Header, wire []byte) error {
	got, err := p.parse(wire)
	if err != nil {
		return fmt.Errorf("%s: parsing % x: %v", p.lib, wire, err)
	}
	if got != h {
		return fmt.Errorf("%s: parsing % x gave %+v, want %+v", p.lib, wire, got, h)
	}
	return nil
}

// checkAppend reports whether a appends the same bytes as AppendHeader,
// after a non-empty prefix.
func checkAppend(a headerAppender, h codec.Header) error {
	prefix := []byte{0xAA}
	want := codec.AppendHeader(bytes.Clone(prefix), h)
	got, err := a.append(bytes.Clone(prefix), h)
	if err != nil {
		return fmt.Errorf("%s: appending %+v: %v", a.lib, h, err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s: appending %+v gave % x, want % x", a.lib, h, got, want)
	}
	return nil
}

// TestHeaderAgree checks that every parser and appender agrees with wskit
// on each length form, masked and unmasked, at both ends of each form.
func TestHeaderAgree(t *testing.T) {
	for _, length := range []uint64{0, 125, 126, 65535, 65536, 1 << 20, 1<<63 - 1} {
		for _, masked := range []bool{false, true} {
			h := benchHeader(length)
			h.Masked = masked
			if !masked {
				h.Key = [4]byte{}
			}
			wire := codec.AppendHeader(nil, h)
			for _, p := range headerParsers() {
				if err := checkParse(p, h, wire); err != nil {
					t.Error(err)
				}
			}
			for _, a := range headerAppenders() {
				if err := checkAppend(a, h); err != nil {
					t.Error(err)
				}
			}
		}
	}
}

func BenchmarkHeader(b *testing.B) {
	for _, l := range headerLengths {
		h := benchHeader(l.length)
		wire := codec.AppendHeader(nil, h)
		for _, p := range headerParsers() {
			b.Run(fmt.Sprintf("op=parse/len=%s/lib=%s", l.name, p.lib), func(b *testing.B) {
				if err := checkParse(p, h, wire); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(wire)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := p.parse(wire); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	for _, l := range headerLengths {
		h := benchHeader(l.length)
		for _, a := range headerAppenders() {
			b.Run(fmt.Sprintf("op=append/len=%s/lib=%s", l.name, a.lib), func(b *testing.B) {
				if err := checkAppend(a, h); err != nil {
					b.Fatal(err)
				}
				dst := make([]byte, 0, codec.MaxHeaderSize)
				b.SetBytes(int64(codec.HeaderSize(h)))
				b.ReportAllocs()
				for b.Loop() {
					var err error
					if dst, err = a.append(dst[:0], h); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
