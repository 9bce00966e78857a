package codec_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// Decode the fragmented text message of RFC 6455 section 5.7 with a ping
// between its fragments, as a client receives it, fed in two reads that
// split a header.
func ExampleDecoder() {
	d, err := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleClient})
	if err != nil {
		panic(err)
	}
	stream := []byte{
		0x01, 0x03, 'H', 'e', 'l', // text, FIN=0
		0x89, 0x00, // ping
		0x80, 0x02, 'l', 'o', // continuation, FIN=1
	}
	for _, p := range [][]byte{stream[:6], stream[6:]} {
		for {
			ev, n, err := d.Decode(p)
			p = p[n:]
			if err != nil {
				panic(err)
			}
			if ev.Kind == codec.EventNone {
				break // all of p consumed; read more
			}
			fmt.Printf("%v %v %q\n", ev.Kind, ev.Opcode, ev.Data)
		}
	}
	// Output:
	// message-start text ""
	// payload text "Hel"
	// ping ping ""
	// payload text "lo"
	// message-end text ""
}

// Every violation is a *codec.ProtocolError naming the close code and the
// rule; here a server receives an unmasked frame.
func ExampleDecoder_Decode_violation() {
	d, _ := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleServer})
	_, _, err := d.Decode([]byte{0x81, 0x05, 'H', 'e', 'l', 'l', 'o'})
	var pe *codec.ProtocolError
	if errors.As(err, &pe) {
		fmt.Println(pe.Code, pe.Requirement, "at offset", pe.Offset)
	}
	fmt.Println(errors.Is(err, &codec.ProtocolError{Code: spec.CloseProtocolError}))
	// Output:
	// 1002 (protocol error) R-5.1-server-rejects-unmasked at offset 1
	// true
}

// Limits fail on the declared length, before any payload is read or
// allocated: this header claims 2^63-1 bytes.
func ExampleDecoderOptions() {
	d, _ := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleClient, MaxMessage: 1 << 20})
	_, _, err := d.Decode([]byte{0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	fmt.Println(err)
	// Output:
	// websocket: protocol error: close 1009 (R-10.4-limits) at offset 1: frame payload of 9223372036854775807 bytes exceeds the limit of 16777216
}

// A client Encoder masks every frame with a fresh key from its source;
// with the RFC's key it rebuilds the masked "Hello" of RFC 6455 section
// 5.7. Real clients pass crypto/rand.Reader.
func ExampleEncoder() {
	key := bytes.NewReader([]byte{0x37, 0xfa, 0x21, 0x3d})
	client, _ := codec.NewEncoder(codec.RoleClient, key)
	frame, _ := client.AppendMessage(nil, spec.OpText, []byte("Hello"), 0)
	fmt.Printf("% x\n", frame)

	server, _ := codec.NewEncoder(codec.RoleServer, nil)
	frames, _ := server.AppendMessage(nil, spec.OpText, []byte("Hello"), 3) // fragments of 3 bytes
	fmt.Printf("% x\n", frames)
	frames, _ = server.AppendClose(frames[:0], spec.CloseNormal, "bye")
	fmt.Printf("% x\n", frames)

	_, err := server.AppendClose(nil, spec.CloseNoStatus, "reason")
	fmt.Println(err)
	// Output:
	// 81 85 37 fa 21 3d 7f 9f 4d 51 58
	// 01 03 48 65 6c 80 02 6c 6f
	// 88 05 03 e8 62 79 65
	// codec: close code may not be sent
}

// Validate text that arrives in pieces split inside code points; the
// failure offset counts from the start of the stream.
func ExampleUTF8Validator() {
	var v codec.UTF8Validator
	for _, piece := range []string{"κό", "\xcf", "\x83με"} {
		if _, err := v.Write([]byte(piece)); err != nil {
			panic(err)
		}
		fmt.Println(v.Len(), v.Incomplete())
	}
	fmt.Println(v.Done())

	v.Reset()
	_, err := v.Write([]byte("ok\xed\xa0\x80")) // a surrogate: fails at its second byte
	fmt.Println(err)
	// Output:
	// 4 false
	// 5 true
	// 10 false
	// <nil>
	// invalid UTF-8 at byte 3
}
