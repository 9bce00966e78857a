package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var dump = flag.String("report.dump", "", "write the report fixtures as JSON to this file for testdata/autobahn_golden.py, and skip TestReportGolden")

// TestReportGolden compares the JSON reports of the fixtures with the
// files Python's json module wrote for them (testdata/golden, made
// by testdata/autobahn_golden.py, whose comment says how to
// regenerate them): an independent check of key order, indentation,
// escaping, nulls, previews and statistics order.
func TestReportGolden(t *testing.T) {
	if *dump != "" {
		b, err := json.MarshalIndent(repSorted(), "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*dump, b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Skipf("fixtures written to %s", *dump)
	}
	dir := filepath.Join("testdata", "golden")
	check := func(name string, got []byte) {
		t.Helper()
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the golden file\n got: %s\nwant: %s", name, got, want)
		}
	}
	var index bytes.Buffer
	if err := WriteIndexJSON(&index, repResults()); err != nil {
		t.Fatal(err)
	}
	check("index.json", index.Bytes())
	for _, r := range repResults() {
		var b bytes.Buffer
		if err := WriteCaseJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		check(CaseReportFile(r.Agent, r.ID), b.Bytes())
	}
}
