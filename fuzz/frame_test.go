package fuzz

import (
	"bytes"
	"errors"
	"testing"
	"unsafe"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// FuzzParseHeader checks ParseHeader on any input:
//   - need-more (n == 0) comes with no error and only when fewer than
//     MaxHeaderSize bytes are given;
//   - an error is a *ProtocolError with close code 1002 and a known
//     requirement ID;
//   - a header accepted without error is canonical: AppendHeader gives
//     back exactly the bytes parsed, and every proper prefix of them asks
//     for more.
func FuzzParseHeader(f *testing.F) {
	for _, v := range frameSeeds(f) {
		f.Add([]byte(v.Input))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		h, n, err := codec.ParseHeader(p)
		if n == 0 {
			if err != nil || h != (codec.Header{}) {
				t.Fatalf("need-more with header %+v, error %v", h, err)
			}
			if len(p) >= codec.MaxHeaderSize {
				t.Fatalf("need-more on %d bytes", len(p))
			}
			return
		}
		if n > len(p) {
			t.Fatalf("n = %d for %d bytes", n, len(p))
		}
		if err != nil {
			var pe *codec.ProtocolError
			if !errors.As(err, &pe) || pe.Code != spec.CloseProtocolError {
				t.Fatalf("error %v is not a 1002 *ProtocolError", err)
			}
			if _, ok := spec.Lookup(pe.Requirement); !ok {
				t.Fatalf("error cites unknown requirement %q", pe.Requirement)
			}
			return
		}
		if n != codec.HeaderSize(h) {
			t.Fatalf("n = %d, HeaderSize = %d", n, codec.HeaderSize(h))
		}
		if back := codec.AppendHeader(nil, h); !bytes.Equal(back, p[:n]) {
			t.Fatalf("ParseHeader(% x) = %+v; AppendHeader gives % x", p[:n], h, back)
		}
		for i := 0; i < n; i++ {
			if _, m, err := codec.ParseHeader(p[:i]); m != 0 || err != nil {
				t.Fatalf("prefix of %d bytes: n = %d, err = %v", i, m, err)
			}
		}
	})
}

// FuzzMask checks Mask against a byte loop written from RFC 6455 section
// 5.3, at any key, key offset, length and address alignment, and that
// masking twice restores the input without touching the bytes around it.
// The input is the 4-byte key, one byte whose value is the key offset and
// whose upper six bits are also the payload's address mod 64, then the
// payload. (This fuzzes the implementation Mask dispatches to on this
// machine; codec's own FuzzMaskImpls runs every implementation.)
func FuzzMask(f *testing.F) {
	for _, v := range frameSeeds(f) {
		for _, fr := range v.Frames {
			if fr.Masked {
				f.Add(append(append(bytes.Clone(fr.Key), 0), fr.Payload...))
			}
		}
	}
	f.Add(append([]byte{0x37, 0xfa, 0x21, 0x3d, 3}, bytes.Repeat([]byte("wskit"), 40)...))
	f.Add(append([]byte{0x37, 0xfa, 0x21, 0x3d, 31<<2 | 1}, bytes.Repeat([]byte("wskit"), 100)...))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < 5 || len(in) > 512 {
			// 512 bytes reach every path of Mask (the Go word loop
			// below 64 bytes; the assembly's alignment head, 256-byte
			// loop, 32-byte steps and tail; the portable 32- and
			// 8-byte word loops) many times over; longer inputs only
			// make the fuzzer's minimisation of new inputs slow enough
			// to stall a short run.
			return
		}
		key, pos := [4]byte(in[:4]), int(in[4])
		// The payload, at the address alignment the input asks for,
		// between 64 guard bytes on either side.
		n := len(in) - 5
		buf := make([]byte, n+3*64)
		off := 64 + (int(in[4]>>2)-int(uintptr(unsafe.Pointer(&buf[0]))))&63
		for i := range buf {
			buf[i] = byte(i)
		}
		p := buf[off : off+n : off+n]
		copy(p, in[5:])
		orig := bytes.Clone(buf)
		want := bytes.Clone(buf)
		for i := range n {
			want[off+i] ^= key[(pos+i)%4]
		}
		if got := codec.Mask(key, pos, p); got != (pos+n)%4 {
			t.Fatalf("Mask returned offset %d, want %d", got, (pos+n)%4)
		}
		if !bytes.Equal(buf, want) {
			t.Fatalf("Mask differs from the byte loop")
		}
		codec.Mask(key, pos, p)
		if !bytes.Equal(buf, orig) {
			t.Fatalf("masking twice did not restore the input")
		}
	})
}
