package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	if code, _, stderr := runCmd(); code != 2 || !strings.Contains(stderr, "usage: wskit") {
		t.Errorf("no arguments: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := runCmd("nope"); code != 2 || !strings.Contains(stderr, `unknown command "nope"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, stderr)
	}
	for name := range commands {
		if code, _, stderr := runCmd(name, "-h"); code != 0 || !strings.Contains(stderr, "usage: wskit "+name) {
			t.Errorf("%s -h: exit %d, stderr %q", name, code, stderr)
		}
		if code, _, _ := runCmd(name, "-no-such-flag"); code != 2 {
			t.Errorf("%s -no-such-flag: exit %d, want 2", name, code)
		}
	}
}

func TestReqs(t *testing.T) {
	code, stdout, stderr := runCmd("reqs")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, r := range spec.Requirements() {
		if !strings.Contains(stdout, r.ID+" ") {
			t.Errorf("output lacks %s", r.ID)
		}
	}
	if !strings.Contains(stdout, "148 requirements, ") {
		t.Errorf("output lacks the summary line:\n%s", stdout[len(stdout)-300:])
	}

	code, stdout, stderr = runCmd("reqs", "-json", "-v")
	if code != 0 {
		t.Fatalf("-json: exit %d: %s", code, stderr)
	}
	var rows []struct {
		ID     string         `json:"ID"`
		Counts map[string]int `json:"counts"`
		Where  []string       `json:"where"`
	}
	if err := json.Unmarshal([]byte(stdout), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 148 {
		t.Fatalf("%d rows", len(rows))
	}
	// The RFC 6455 section 5.7 masked example cites R-5.3-xor in
	// frames.json, and the codec's mask tests cite it too.
	for _, r := range rows {
		if r.ID == "R-5.3-xor" && (r.Counts["vector"] == 0 || r.Counts["test"] == 0) {
			t.Errorf("R-5.3-xor coverage = %v", r.Counts)
		}
	}

	if code, _, stderr := runCmd("reqs", "-dir", t.TempDir()); code != 2 || !strings.Contains(stderr, "not inside the wskit source tree") {
		t.Errorf("outside the tree: exit %d, %q", code, stderr)
	}
}

func TestVectorsCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCmd("vectors"); code != 2 || !strings.Contains(stderr, "-out is required") {
		t.Errorf("without -out: exit %d, %q", code, stderr)
	}
	code, stdout, stderr := runCmd("vectors", "-out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range append(vectors.Names(), "SCHEMA.md") {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := vectors.ReadFile(name)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the embedded copy", name)
		}
		if !strings.Contains(stdout, name) {
			t.Errorf("output does not list %s", name)
		}
	}
}
