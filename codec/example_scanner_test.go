package codec_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/wskit/wskit/codec"
)

// Follow what a client sends, as a conformance runner does: the scanner
// sees each read first and the Decoder gets exactly the bytes the scanner
// consumed, so the Close frame's body is at hand even though the Decoder
// rejects its code.
func ExampleFrameScanner() {
	stream := []byte{
		0x81, 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2, // masked text "hi"
		0x88, 0x82, 0, 0, 0, 0, 0x03, 0xec, // masked Close with code 1004
	}
	dec, _ := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleServer})
	s := codec.NewFrameScanner(64)
	for _, p := range [][]byte{stream[:5], stream[5:]} {
		for len(p) > 0 {
			n, done, _ := s.Scan(p)
			for q := p[:n]; ; {
				ev, m, err := dec.Decode(q)
				q = q[m:]
				var pe *codec.ProtocolError
				if errors.As(err, &pe) {
					fmt.Println("decoder:", pe.Code, pe.Requirement, "at offset", pe.Offset)
					break
				}
				if ev.Kind == codec.EventNone {
					break
				}
			}
			p = p[n:]
			if done {
				f := s.Frame()
				fmt.Printf("frame: %v fin=%v preview=%q control=% x\n", f.Header.Opcode, f.Header.Fin, f.Preview, f.Control)
			}
		}
	}
	// Output:
	// frame: text fin=true preview="hi" control=
	// decoder: 1002 (protocol error) R-7.4-invalid-recv at offset 14
	// frame: close fin=true preview="\x03\xec" control=03 ec
}

// The scanner judges nothing: it follows frames whose RSV bits, opcode
// and masking break the rules, and stops only at a 64-bit length with its
// top bit set, where the framing is lost.
func ExampleFrameScanner_Scan() {
	stream := []byte{
		0x73, 0x01, 'x', // RSV1-3 set, reserved opcode 3, unmasked
		0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0, // top length bit
		0x81, 0x00, // never seen
	}
	s := codec.NewFrameScanner(8)
	for p := stream; len(p) > 0; {
		n, done, err := s.Scan(p)
		p = p[n:]
		if done {
			f := s.Frame()
			fmt.Printf("rsv=%d opcode=%v masked=%v preview=%q\n", f.Header.Rsv, f.Header.Opcode, f.Header.Masked, f.Preview)
		}
		var pe *codec.ProtocolError
		if errors.As(err, &pe) {
			fmt.Println(pe.Code, pe.Requirement, "at offset", pe.Offset)
			fmt.Println("bytes left:", len(p))
		}
	}
	// Output:
	// rsv=7 opcode=reserved-0x3 masked=false preview="x"
	// 1002 (protocol error) R-5.2-len-msb0 at offset 5
	// bytes left: 0
}

// A control frame's payload is kept whole up to 125 bytes, so an oversize
// Ping (which breaks R-5.5-control-125) is cut there, while Preview has
// the preview length asked for. Both alias the scanner's buffer until the
// next Scan: keep a copy.
func ExampleFrameScanner_Frame() {
	ping := append([]byte{0x89, 0x7e, 0x00, 0xc8}, bytes.Repeat([]byte("p"), 200)...) // 200 bytes
	s := codec.NewFrameScanner(4)
	n, done, _ := s.Scan(ping[:100])
	fmt.Println(n, done, s.Frame().Control == nil) // nothing finished yet
	_, done, _ = s.Scan(ping[n:])
	f := s.Frame()
	kept := bytes.Clone(f.Control)
	fmt.Println(done, f.Header.Length, len(f.Preview), len(f.Control), len(kept))
	// Output:
	// 100 false true
	// true 200 4 125 125
}

// Reset makes a scanner ready for a new stream, even after it lost the
// framing of the last one.
func ExampleFrameScanner_Reset() {
	s := codec.NewFrameScanner(8)
	_, _, err := s.Scan([]byte{0x82, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	fmt.Println(err != nil)
	s.Reset()
	_, done, err := s.Scan([]byte{0x81, 0x02, 'o', 'k'})
	fmt.Printf("%v %v %q\n", done, err, s.Frame().Preview)
	// Output:
	// true
	// true <nil> "ok"
}
