package vectorgen

import (
	"encoding/binary"
	"fmt"

	"github.com/wskit/wskit/vectors"
)

// Opcodes and RSV values, spelled out here from RFC 6455 section 5.2 so the
// generator does not lean on the code it checks.
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opPing         = 0x9
	opPong         = 0xA
)

// frame describes one frame to build.
type frame struct {
	fin     bool
	rsv     uint8
	opcode  uint8
	key     []byte // nil: unmasked
	length  uint64 // declared length
	payload []byte // unmasked payload; nil for header-only vectors
}

// wire returns the frame's bytes, written from RFC 6455 section 5.2: the
// minimal length form, the key, and the payload XORed with the key.
func (f frame) wire() []byte {
	b0 := f.rsv<<4 | f.opcode
	if f.fin {
		b0 |= 0x80
	}
	var b1 byte
	if f.key != nil {
		b1 = 0x80
	}
	out := []byte{b0}
	switch {
	case f.length < 126:
		out = append(out, b1|byte(f.length))
	case f.length < 1<<16:
		out = append(out, b1|126)
		out = binary.BigEndian.AppendUint16(out, uint16(f.length))
	default:
		out = append(out, b1|127)
		out = binary.BigEndian.AppendUint64(out, f.length)
	}
	out = append(out, f.key...)
	for i, c := range f.payload {
		if f.key != nil {
			c ^= f.key[i%4]
		}
		out = append(out, c)
	}
	return out
}

// expect returns the JSON description of the frame.
func (f frame) expect() vectors.Frame {
	size := 2
	switch {
	case f.length >= 1<<16:
		size += 8
	case f.length >= 126:
		size += 2
	}
	if f.key != nil {
		size += 4
	}
	return vectors.Frame{
		Fin: f.fin, Rsv: f.rsv, Opcode: f.opcode, Masked: f.key != nil,
		Key: f.key, Length: f.length, HeaderSize: size, Payload: f.payload,
	}
}

// frameVector builds a vector from whole frames received by role.
func frameVector(id, desc, source, role string, reqs []string, frames ...frame) vectors.FrameVector {
	v := vectors.FrameVector{
		Common: vectors.Common{ID: id, Description: desc, Source: source, Requirements: reqs},
		Role:   role,
	}
	for _, f := range frames {
		v.Input = append(v.Input, f.wire()...)
		v.Frames = append(v.Frames, f.expect())
	}
	return v
}

// rfcKey is the masking key of every masked example in RFC 6455 section 5.7.
var rfcKey = []byte{0x37, 0xfa, 0x21, 0x3d}

// rfcVectors are the examples of RFC 6455 section 5.7. Their input bytes
// are written out as the RFC prints them (frameVector then checks that
// the generator's own encoder agrees, see checkRFC).
func rfcVectors() []vectors.FrameVector {
	hello := []byte("Hello")
	type rfc struct {
		v    vectors.FrameVector
		want string // the bytes as printed in RFC 6455 section 5.7
	}
	list := []rfc{
		{frameVector("rfc6455-5.7-unmasked-text", `A single-frame unmasked text message containing "Hello"`, "RFC6455 5.7", "client",
			[]string{"R-5.2-len-encoding", "R-5.4-unfragmented", "R-5.1-server-never-masks"},
			frame{fin: true, opcode: opText, length: 5, payload: hello}),
			"810548656c6c6f"},
		{frameVector("rfc6455-5.7-masked-text", `A single-frame masked text message containing "Hello"`, "RFC6455 5.7", "server",
			[]string{"R-5.3-xor", "R-5.3-mask-bit", "R-5.1-client-masks", "R-6.2-server-unmask"},
			frame{fin: true, opcode: opText, key: rfcKey, length: 5, payload: hello}),
			"818537fa213d7f9f4d5158"},
		{frameVector("rfc6455-5.7-fragmented-text", `A fragmented unmasked text message: "Hel" (FIN=0, text), then "lo" (FIN=1, continuation)`, "RFC6455 5.7", "client",
			[]string{"R-5.4-fragmented", "R-5.4-type-from-first", "R-6.1-first-opcode", "R-6.1-last-fin"},
			frame{opcode: opText, length: 3, payload: []byte("Hel")},
			frame{fin: true, opcode: opContinuation, length: 2, payload: []byte("lo")}),
			"010348656c" + "80026c6f"},
		{frameVector("rfc6455-5.7-unmasked-ping", `An unmasked Ping request with a body of "Hello"`, "RFC6455 5.7", "client",
			[]string{"R-5.5.2-ping-any-time", "R-5.5-control-125"},
			frame{fin: true, opcode: opPing, length: 5, payload: hello}),
			"890548656c6c6f"},
		{frameVector("rfc6455-5.7-masked-pong", `A masked Pong response with a body of "Hello", matching the body of the Ping (the RFC's caption says "masked Ping response"; the opcode 0xA is a Pong)`, "RFC6455 5.7", "server",
			[]string{"R-5.5.3-pong-echo", "R-5.3-xor"},
			frame{fin: true, opcode: opPong, key: rfcKey, length: 5, payload: hello}),
			"8a8537fa213d7f9f4d5158"},
		{headerVector("rfc6455-5.7-256-bytes", "The header of a 256-byte binary message in a single unmasked frame; the RFC gives the length as 0x0100", "RFC6455 5.7",
			[]string{"R-5.2-len-encoding", "R-5.2-len-minimal"},
			frame{fin: true, opcode: opBinary, length: 256}),
			"827e0100"},
		{headerVector("rfc6455-5.7-64KiB", "The header of a 64 KiB binary message in a single unmasked frame; the RFC gives the length as 0x0000000000010000", "RFC6455 5.7",
			[]string{"R-5.2-len-encoding", "R-5.2-len-minimal", "R-5.2-len-msb0"},
			frame{fin: true, opcode: opBinary, length: 65536}),
			"827f0000000000010000"},
	}
	out := make([]vectors.FrameVector, len(list))
	for i, r := range list {
		if got := fmt.Sprintf("%x", []byte(r.v.Input)); got != r.want {
			panic(fmt.Sprintf("vectorgen: %s: built %s, RFC prints %s", r.v.ID, got, r.want))
		}
		out[i] = r.v
	}
	return out
}

// headerVector builds a header-only vector.
func headerVector(id, desc, source string, reqs []string, f frame) vectors.FrameVector {
	f.payload = nil
	v := frameVector(id, desc, source, "", reqs, f)
	v.HeaderOnly = true
	return v
}

// lengthVectors cover every boundary of the length encoding, masked and
// unmasked. Frames up to 127 bytes carry their payload; longer ones are
// header-only.
func lengthVectors() []vectors.FrameVector {
	lengths := []struct {
		n    uint64
		name string
	}{
		{0, "0"}, {1, "1"}, {125, "125"}, {126, "126"}, {127, "127"},
		{65535, "65535"}, {65536, "65536"}, {1 << 32, "2^32"}, {1<<63 - 1, "2^63-1"},
	}
	var out []vectors.FrameVector
	for _, l := range lengths {
		for _, masked := range []bool{false, true} {
			id := "length-" + l.name
			role, maskWord := "client", "unmasked"
			reqs := []string{"R-5.2-len-encoding", "R-5.2-len-minimal"}
			f := frame{fin: true, opcode: opBinary, length: l.n}
			if masked {
				id += "-masked"
				role, maskWord = "server", "masked"
				f.key = derive(id+" key", 4)
				reqs = append(reqs, "R-5.3-xor", "R-5.3-mask-bit")
			}
			if l.n > 65535 {
				reqs = append(reqs, "R-5.2-len-msb0")
			}
			desc := fmt.Sprintf("A %s binary frame of length %s, in the %s length form", maskWord, l.name, lengthForm(l.n))
			if l.n <= 127 {
				f.payload = derive(id+" payload", int(l.n))
				out = append(out, frameVector(id, desc, "generated", role, reqs, f))
			} else {
				out = append(out, headerVector(id, desc+" (header only)", "generated", reqs, f))
			}
		}
	}
	return out
}

func lengthForm(n uint64) string {
	switch {
	case n < 126:
		return "7-bit"
	case n < 1<<16:
		return "16-bit"
	}
	return "64-bit"
}

// headerErrorVectors are headers every strict receiver rejects with 1002.
func headerErrorVectors() []vectors.FrameVector {
	e := func(id, desc, source, input, req string) vectors.FrameVector {
		var in []byte
		if _, err := fmt.Sscanf(input, "%x", &in); err != nil {
			panic(err)
		}
		return vectors.FrameVector{
			Common:     vectors.Common{ID: id, Description: desc, Source: source, Requirements: []string{req}},
			Input:      in,
			HeaderOnly: true,
			Error:      &vectors.Error{CloseCode: 1002, Requirement: req},
		}
	}
	return []vectors.FrameVector{
		e("error-length-msb-set", "A 64-bit payload length with its most significant bit set", "RFC6455 5.2", "827f8000000000000000", "R-5.2-len-msb0"),
		e("error-length-msb-set-masked", "A masked frame whose 64-bit length has every bit set", "generated", "82ffffffffffffffffff01020304", "R-5.2-len-msb0"),
		e("error-length-124-16bit", "Length 124 written in the 16-bit form, the RFC's own counter-example", "RFC6455 5.2", "827e007c", "R-5.2-len-minimal"),
		e("error-length-0-16bit", "Length 0 written in the 16-bit form", "generated", "827e0000", "R-5.2-len-minimal"),
		e("error-length-125-16bit-masked", "Length 125 written in the 16-bit form, masked", "generated", "82fe007d01020304", "R-5.2-len-minimal"),
		e("error-length-65535-64bit", "Length 65535 written in the 64-bit form", "generated", "827f000000000000ffff", "R-5.2-len-minimal"),
		e("error-length-125-64bit", "Length 125 written in the 64-bit form", "generated", "827f000000000000007d", "R-5.2-len-minimal"),
		e("error-length-0-64bit-masked", "Length 0 written in the 64-bit form, masked", "generated", "82ff000000000000000001020304", "R-5.2-len-minimal"),
	}
}

func init() { register("frames.json", func() (any, error) { return framesFile() }) }

func framesFile() (*vectors.FramesFile, error) {
	f := &vectors.FramesFile{Generated: generatedNote}
	f.Vectors = append(f.Vectors, rfcVectors()...)
	f.Vectors = append(f.Vectors, lengthVectors()...)
	f.Vectors = append(f.Vectors, headerErrorVectors()...)
	return f, nil
}
