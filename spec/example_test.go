package spec_test

import (
	"fmt"

	"github.com/wskit/wskit/spec"
)

func ExampleLookup() {
	r, ok := spec.Lookup("R-5.2-len-msb0")
	fmt.Println(ok, r.RFC, r.Section, r.Level, r.Role)
	fmt.Println(r.Summary)
	// Output:
	// true 6455 5.2 MUST either
	// the most significant bit of the 64-bit length is 0; a set bit is a protocol error
}

func ExampleCloseCode() {
	for _, c := range []spec.CloseCode{1000, 1005, 1014, 2999, 4000, 5000} {
		fmt.Printf("%v: valid received %v, sendable %v\n", c, c.IsValidReceived(), c.IsSendable())
	}
	// Output:
	// 1000 (normal closure): valid received true, sendable true
	// 1005 (no status received): valid received false, sendable false
	// 1014 (bad gateway): valid received true, sendable true
	// 2999 (unassigned): valid received false, sendable false
	// 4000 (private): valid received true, sendable true
	// 5000 (out-of-range): valid received false, sendable false
}

func ExampleOpcode() {
	for _, op := range []spec.Opcode{spec.OpText, spec.OpPing, 0x3, 0xB} {
		fmt.Println(op, op.IsControl(), op.IsReserved())
	}
	// Output:
	// text false false
	// ping true false
	// reserved-0x3 false true
	// reserved-0xb true true
}
