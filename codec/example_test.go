package codec_test

import (
	"errors"
	"fmt"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// Parse the masked "Hello" frame of RFC 6455 section 5.7 and unmask its
// payload in place.
func ExampleParseHeader() {
	frame := []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}
	h, n, err := codec.ParseHeader(frame)
	if err != nil {
		panic(err)
	}
	payload := frame[n : n+int(h.Length)]
	codec.Mask(h.Key, 0, payload)
	fmt.Printf("fin=%v opcode=%v masked=%v length=%d header=%d bytes\n", h.Fin, h.Opcode, h.Masked, h.Length, n)
	fmt.Printf("%s\n", payload)
	// Output:
	// fin=true opcode=text masked=true length=5 header=6 bytes
	// Hello
}

// A header cut short asks for more bytes and consumes nothing.
func ExampleParseHeader_needMore() {
	_, n, err := codec.ParseHeader([]byte{0x82, 0x7e, 0x01}) // 16-bit length, 1 of 2 bytes
	fmt.Println(n, err)
	// Output:
	// 0 <nil>
}

// A length in a longer form than needed is an error that names the rule.
func ExampleParseHeader_nonMinimal() {
	_, _, err := codec.ParseHeader([]byte{0x82, 0x7e, 0x00, 0x7c}) // 124 in 16 bits
	var pe *codec.ProtocolError
	if errors.As(err, &pe) {
		fmt.Println(pe.Code, pe.Requirement)
	}
	// Output:
	// 1002 (protocol error) R-5.2-len-minimal
}

// AppendHeader writes exactly what it is given, so a test can build a
// frame that breaks the rules: here a fragmented Ping with RSV1 set.
func ExampleAppendHeader() {
	h := codec.Header{Fin: false, Rsv: codec.Rsv1, Opcode: spec.OpPing, Length: 4}
	wire := codec.AppendHeader(nil, h)
	wire = append(wire, "ping"...)
	fmt.Printf("% x\n", wire)
	// Output:
	// 49 04 70 69 6e 67
}

// Unmask a payload that arrives in pieces, resuming at the returned key
// offset.
func ExampleMask() {
	key := [4]byte{0x37, 0xfa, 0x21, 0x3d}
	pieces := [][]byte{{0x7f, 0x9f}, {0x4d}, {0x51, 0x58}}
	pos := 0
	for _, p := range pieces {
		pos = codec.Mask(key, pos, p)
		fmt.Printf("%s", p)
	}
	fmt.Println()
	// Output:
	// Hello
}
