package spec

import (
	"strings"
	"testing"
)

func TestOpcodes(t *testing.T) {
	// One row per opcode value, laid out as RFC 6455 section 5.2 lists them.
	tests := []struct {
		op                      Opcode
		name                    string
		control, data, reserved bool
	}{
		{0x0, "continuation", false, true, false},
		{0x1, "text", false, true, false},
		{0x2, "binary", false, true, false},
		{0x3, "reserved-0x3", false, false, true},
		{0x4, "reserved-0x4", false, false, true},
		{0x5, "reserved-0x5", false, false, true},
		{0x6, "reserved-0x6", false, false, true},
		{0x7, "reserved-0x7", false, false, true},
		{0x8, "close", true, false, false},
		{0x9, "ping", true, false, false},
		{0xA, "pong", true, false, false},
		{0xB, "reserved-0xb", true, false, true},
		{0xC, "reserved-0xc", true, false, true},
		{0xD, "reserved-0xd", true, false, true},
		{0xE, "reserved-0xe", true, false, true},
		{0xF, "reserved-0xf", true, false, true},
		{0x10, "invalid-0x10", false, false, false},
		{0xFF, "invalid-0xff", false, false, false},
	}
	for _, tt := range tests {
		if got := tt.op.String(); got != tt.name {
			t.Errorf("Opcode(%#x).String() = %q, want %q", uint8(tt.op), got, tt.name)
		}
		if got := tt.op.IsControl(); got != tt.control {
			t.Errorf("Opcode(%#x).IsControl() = %v, want %v", uint8(tt.op), got, tt.control)
		}
		if got := tt.op.IsData(); got != tt.data {
			t.Errorf("Opcode(%#x).IsData() = %v, want %v", uint8(tt.op), got, tt.data)
		}
		if got := tt.op.IsReserved(); got != tt.reserved {
			t.Errorf("Opcode(%#x).IsReserved() = %v, want %v", uint8(tt.op), got, tt.reserved)
		}
	}
}

// TestCloseRanges checks that the close-code table partitions 0-65535:
// rows are ordered, contiguous, and end at 65535 (R-7.4.2-ranges).
func TestCloseRanges(t *testing.T) {
	next := 0
	for i, r := range closeRanges {
		if int(r.lo) != next {
			t.Fatalf("row %d starts at %d, want %d", i, r.lo, next)
		}
		if r.hi < r.lo {
			t.Fatalf("row %d ends at %d before it starts at %d", i, r.hi, r.lo)
		}
		next = int(r.hi) + 1
	}
	if next != 65536 {
		t.Fatalf("table ends at %d, want 65535", next-1)
	}
}

func TestCloseCodes(t *testing.T) {
	// Row by row as RFC 6455 section 7.4 and the IANA registry give them
	// (R-7.4-invalid-recv, R-7.4.1-reserved-never-sent, R-7.4.2-ranges).
	tests := []struct {
		code  CloseCode
		class CloseClass
		valid bool
		name  string
	}{
		{0, ClassUnused, false, "0 (unused)"},
		{999, ClassUnused, false, "999 (unused)"},
		{1000, ClassDefined, true, "1000 (normal closure)"},
		{1001, ClassDefined, true, "1001 (going away)"},
		{1002, ClassDefined, true, "1002 (protocol error)"},
		{1003, ClassDefined, true, "1003 (unsupported data)"},
		{1004, ClassReserved, false, "1004 (reserved)"},
		{1005, ClassLocalOnly, false, "1005 (no status received)"},
		{1006, ClassLocalOnly, false, "1006 (abnormal closure)"},
		{1007, ClassDefined, true, "1007 (invalid frame payload data)"},
		{1008, ClassDefined, true, "1008 (policy violation)"},
		{1009, ClassDefined, true, "1009 (message too big)"},
		{1010, ClassDefined, true, "1010 (mandatory extension)"},
		{1011, ClassDefined, true, "1011 (internal error)"},
		{1012, ClassDefined, true, "1012 (service restart)"},
		{1013, ClassDefined, true, "1013 (try again later)"},
		{1014, ClassDefined, true, "1014 (bad gateway)"},
		{1015, ClassLocalOnly, false, "1015 (TLS handshake)"},
		{1016, ClassUnassigned, false, "1016 (unassigned)"},
		{1100, ClassUnassigned, false, "1100 (unassigned)"},
		{2000, ClassUnassigned, false, "2000 (unassigned)"},
		{2999, ClassUnassigned, false, "2999 (unassigned)"},
		{3000, ClassRegistered, true, "3000 (registered)"},
		{3999, ClassRegistered, true, "3999 (registered)"},
		{4000, ClassPrivate, true, "4000 (private)"},
		{4999, ClassPrivate, true, "4999 (private)"},
		{5000, ClassOutOfRange, false, "5000 (out-of-range)"},
		{65535, ClassOutOfRange, false, "65535 (out-of-range)"},
	}
	for _, tt := range tests {
		if got := tt.code.Class(); got != tt.class {
			t.Errorf("CloseCode(%d).Class() = %v, want %v", tt.code, got, tt.class)
		}
		if got := tt.code.IsValidReceived(); got != tt.valid {
			t.Errorf("CloseCode(%d).IsValidReceived() = %v, want %v", tt.code, got, tt.valid)
		}
		if got := tt.code.IsSendable(); got != tt.valid {
			t.Errorf("CloseCode(%d).IsSendable() = %v, want %v", tt.code, got, tt.valid)
		}
		if got := tt.code.String(); got != tt.name {
			t.Errorf("CloseCode(%d).String() = %q, want %q", tt.code, got, tt.name)
		}
	}
}

// TestCloseCodePredicatesAgree pins the documented equality of the send
// and receive sets over the whole code space, and that the API-only codes
// are never sendable (R-7.4.1-reserved-never-sent).
func TestCloseCodePredicatesAgree(t *testing.T) {
	for c := 0; c <= 65535; c++ {
		code := CloseCode(c)
		if code.IsSendable() != code.IsValidReceived() {
			t.Fatalf("code %d: IsSendable %v, IsValidReceived %v", c, code.IsSendable(), code.IsValidReceived())
		}
	}
	for _, c := range []CloseCode{CloseNoStatus, CloseAbnormal, CloseTLSHandshake, CloseReserved1004} {
		if c.IsSendable() {
			t.Errorf("%v is sendable", c)
		}
	}
}

func TestCloseClassString(t *testing.T) {
	if got := CloseClass(200).String(); got != "CloseClass(200)" {
		t.Errorf("unknown class prints %q", got)
	}
}

func TestCatalogue(t *testing.T) {
	reqs := Requirements()
	// 148 IDs: the 146 numbered rules of the reference notes, where rule
	// 65 also names R-5.4-type-from-first and rule 76 names two IDs.
	if len(reqs) != 148 {
		t.Errorf("catalogue has %d requirements, want 148", len(reqs))
	}
	seen := map[string]bool{}
	count := map[byte]int{}
	for _, r := range reqs {
		if seen[r.ID] {
			t.Errorf("duplicate ID %s", r.ID)
		}
		seen[r.ID] = true
		count[r.ID[0]]++
		if !IsWellFormedID(r.ID) {
			t.Errorf("malformed ID %q", r.ID)
		}
		if r.RFC != 6455 && r.RFC != 7692 {
			t.Errorf("%s: RFC %d", r.ID, r.RFC)
		}
		if !strings.HasPrefix(r.ID[2:], r.Section+"-") {
			t.Errorf("%s: section %q does not match the ID", r.ID, r.Section)
		}
		switch r.Level {
		case Must, MustNot, Should, ShouldNot, May, Definition:
		default:
			t.Errorf("%s: level %q", r.ID, r.Level)
		}
		switch r.Role {
		case RoleClient, RoleServer, RoleEither, RoleIntermediary:
		default:
			t.Errorf("%s: role %q", r.ID, r.Role)
		}
		if r.Summary == "" || strings.Contains(r.Summary, "\n") {
			t.Errorf("%s: summary %q is not one line", r.ID, r.Summary)
		}
	}
	// 50 handshake rules (47 numbered plus 3 umbrella rules), 76 framing
	// rules (71 numbered plus 3 close-code rules plus the two extra IDs)
	// and 22 permessage-deflate rules.
	if count['H'] != 50 || count['R'] != 76 || count['D'] != 22 {
		t.Errorf("H/R/D counts = %d/%d/%d, want 50/76/22", count['H'], count['R'], count['D'])
	}
}

func TestRequirementsIsACopy(t *testing.T) {
	a := Requirements()
	a[0].ID = "changed"
	if b := Requirements(); b[0].ID == "changed" {
		t.Fatal("Requirements returned the catalogue itself")
	}
}

func TestLookup(t *testing.T) {
	r, ok := Lookup("R-5.1-client-masks")
	if !ok {
		t.Fatal("Lookup(R-5.1-client-masks) not found")
	}
	want := Requirement{ID: "R-5.1-client-masks", RFC: 6455, Section: "5.1", Level: Must, Role: RoleClient, Summary: r.Summary}
	if r != want {
		t.Errorf("Lookup = %+v, want %+v", r, want)
	}
	if r, ok := Lookup("D-7.1.2.1-server_max_window_bits"); !ok || r.RFC != 7692 || r.Section != "7.1.2.1" {
		t.Errorf("Lookup(D-7.1.2.1-...) = %+v, %v", r, ok)
	}
	if r, ok := Lookup("R-7.4-invalid-recv"); !ok || !r.Derived {
		t.Errorf("R-7.4-invalid-recv should be derived: %+v", r)
	}
	for _, id := range []string{"", "R-5.1-client-mask", "r-5.1-client-masks", "R-5.1-client-masks "} { // citation:ignore
		if _, ok := Lookup(id); ok {
			t.Errorf("Lookup(%q) found something", id)
		}
	}
}

func TestIsWellFormedID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"R-5.1-client-masks", true},
		{"H-4.2.2-auth/redirect", true},
		{"D-7.1.1.1-server_no_context_takeover", true},
		{"H-3-uri-valid", true},
		{"X-5.1-client-masks", false},
		{"R-5.1", false},
		{"R-5.1-", false},
		{"R--client", false},
		{"R-5..1-x", false},
		{"R-5.a-x", false},
		{"R-5.1-bad slug", false},  // citation:ignore
		{"R-5.1-trailing-", false}, // citation:ignore
		{"R-5.1-/lead", false},
		{"R-+5-x", false},
	}
	for _, tt := range tests {
		if got := IsWellFormedID(tt.id); got != tt.want {
			t.Errorf("IsWellFormedID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}
