package codec_test

import (
	"errors"
	"fmt"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// A test server that keeps track of nothing but whether a data message is
// in progress judges each header with the Decoder's own rules.
func ExampleCheckHeader() {
	inMessage := false
	for _, h := range []codec.Header{
		{Opcode: spec.OpText, Masked: true, Length: 3},              // first fragment
		{Fin: true, Opcode: spec.OpPing, Masked: true},              // a ping between fragments
		{Fin: true, Opcode: spec.OpBinary, Masked: true, Length: 2}, // a new message inside the first
	} {
		err := codec.CheckHeader(h, nil, codec.HeaderState{Role: codec.RoleServer, InMessage: inMessage})
		var pe *codec.ProtocolError
		if errors.As(err, &pe) {
			fmt.Println(h.Opcode, pe.Code, pe.Requirement, "at offset", pe.Offset)
			continue
		}
		fmt.Println(h.Opcode, "ok")
		if !h.Opcode.IsControl() {
			inMessage = !h.Fin
		}
	}
	// Output:
	// text ok
	// ping ok
	// binary 1002 (protocol error) R-5.4-nested-start at offset 0
}

// The error ParseHeader gave comes first, unless it is a non-minimal
// length the state allows.
func ExampleCheckHeader_parseError() {
	wire := []byte{0x82, 0x7e, 0x00, 0x05} // 5 written in the 16-bit form, unmasked
	h, _, perr := codec.ParseHeader(wire)
	err := codec.CheckHeader(h, perr, codec.HeaderState{Role: codec.RoleClient})
	fmt.Println(err == perr, errors.Is(err, &codec.ProtocolError{Code: spec.CloseProtocolError, Requirement: "R-5.2-len-minimal"}))
	fmt.Println(codec.CheckHeader(h, perr, codec.HeaderState{Role: codec.RoleClient, AllowNonMinimalLength: true}))
	// Output:
	// true true
	// <nil>
}

// The limits and the message so far: a continuation that takes a message
// past MaxMessage fails with 1009, unless the message is one the extension
// transforms, whose size is limited after the transformation instead.
func ExampleHeaderState() {
	h := codec.Header{Opcode: spec.OpContinuation, Length: 600}
	st := codec.HeaderState{
		Role:             codec.RoleClient,
		ExtensionRsv:     codec.Rsv1, // permessage-deflate
		InMessage:        true,
		MessageLength:    500,
		MessageFragments: 1,
		MaxMessage:       1000,
	}
	var pe *codec.ProtocolError
	if errors.As(codec.CheckHeader(h, nil, st), &pe) {
		fmt.Println(pe.Code, pe.Requirement)
	}
	st.MessageTransformed = true
	fmt.Println(codec.CheckHeader(h, nil, st))
	// Output:
	// 1009 (message too big) R-10.4-limits
	// <nil>
}
