package citation

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
)

// TestEveryCitationExists fails when any test, vector, fuzz target,
// conformance case or code in the repository cites a requirement ID that
// is not in the catalogue.
func TestEveryCitationExists(t *testing.T) {
	root, ok := FindRoot(".")
	if !ok {
		t.Fatal("module root not found")
	}
	cites, err := Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(cites) < 100 {
		t.Fatalf("found only %d citations; is the scanner broken?", len(cites))
	}
	for _, c := range cites {
		if _, ok := spec.Lookup(c.ID); !ok {
			t.Errorf("%s:%d: %s cites unknown requirement %q", c.File, c.Line, c.Kind, c.ID)
		}
	}
}

// TestScanClassifies runs the scanner over a fixture tree with one file of
// each kind, an unknown ID, and the catalogue file that must be skipped.
func TestScanClassifies(t *testing.T) {
	got, err := Scan("testdata/tree")
	if err != nil {
		t.Fatal(err)
	}
	want := []Citation{
		{ID: "R-5.2-rsv-fail", Kind: Code, File: "codec/check.go", Line: 3},
		{ID: "R-5.5.1-close-body", Kind: Test, File: "codec/check_test.go", Line: 5},
		{ID: "R-5.5.2-pong", Kind: Conformance, File: "conformance/autobahn/cases.go", Line: 3},
		{ID: "R-5.5.2-pong", Kind: Code, File: "conformance/loopback.go", Line: 3},
		{ID: "H-4.2.2-auth/redirect", Kind: Fuzz, File: "fuzz/fuzz_test.go", Line: 4},
		{ID: "R-9.9-no-such-rule", Kind: Fuzz, File: "fuzz/fuzz_test.go", Line: 4}, // citation:ignore
		{ID: "D-7.1.1.1-server_no_context_takeover", Kind: Vector, File: "vectors/v.json", Line: 2},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scan mismatch (-want +got):\n%s", diff)
	}
	if _, ok := spec.Lookup("R-9.9-no-such-rule"); ok { // citation:ignore
		t.Fatal("fixture's unknown ID exists")
	}
}
