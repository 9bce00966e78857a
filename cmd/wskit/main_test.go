package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
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

	// Outside the source tree: the catalogue without coverage, or a
	// usage error when only coverage was asked for.
	outside := t.TempDir()
	code, stdout, stderr = runCmd("reqs", "-dir", outside)
	if code != 0 || !strings.Contains(stderr, "without coverage") || !strings.Contains(stdout, "R-5.3-xor") ||
		!strings.Contains(stdout, fmt.Sprintf("%d requirements", len(spec.Requirements()))) || strings.Contains(stdout, "TESTS") {
		t.Errorf("outside the tree: exit %d, %q\n%s", code, stderr, stdout)
	}
	if code, _, stderr := runCmd("reqs", "-dir", outside, "-uncovered"); code != 2 || !strings.Contains(stderr, "coverage is unknown") {
		t.Errorf("outside the tree with -uncovered: exit %d, %q", code, stderr)
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

// TestConformEndToEnd runs "wskit conform" on the embedded loopback server
// for a sample of every category, and checks the exit status and that the
// four report formats parse.
func TestConformEndToEnd(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCmd("conform", "-cases", "1.1.*,2.*,3.2,4.1.3,5.19,6.4.1,6.12.*,7.*,10.1.1", "-j", "4", "-report", dir)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "total") || !strings.Contains(stderr, "loopback") {
		t.Errorf("no summary or no loopback notice:\n%s\n%s", stdout, stderr)
	}

	var index map[string]map[string]struct {
		Behavior, BehaviorClose string
		Duration                int
		RemoteCloseCode         *int
		Reportfile              string
	}
	readJSON(t, filepath.Join(dir, "index.json"), &index)
	cases := index["wskit-loopback"]
	if len(cases) != 8+11+1+1+1+1+8+37+1 {
		t.Errorf("index.json has %d cases", len(cases))
	}
	for id, c := range cases {
		if c.Behavior != "OK" && c.Behavior != "INFORMATIONAL" {
			t.Errorf("%s: %s", id, c.Behavior)
		}
		var one map[string]any
		readJSON(t, filepath.Join(dir, c.Reportfile), &one)
		if one["id"] != id || one["requirements"] == nil || one["wirelog"] == nil || one["reason"] == nil {
			t.Errorf("%s: per-case report lacks keys: %v", id, keys(one))
		}
	}
	var suites struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Tests int    `xml:"tests,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, &suites); err != nil {
		t.Fatalf("junit.xml: %v", err)
	}
	n := 0
	for _, s := range suites.Suites {
		n += len(s.Cases)
	}
	if n != len(cases) || len(suites.Suites) != 8 {
		t.Errorf("junit.xml: %d suites, %d cases", len(suites.Suites), n)
	}
	html, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for id := range cases {
		if !strings.Contains(string(html), id) {
			t.Errorf("index.html lacks %s", id)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestConformExitStatus(t *testing.T) {
	// A server that is not a WebSocket server: every case FAILED.
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/"
	if code, stdout, _ := runCmd("conform", "-url", url, "-cases", "1.1.1,2.1"); code != 1 || !strings.Contains(stdout, "FAILED") {
		t.Errorf("against a 404 server: exit %d\n%s", code, stdout)
	}
	// Nothing listening.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	if code, _, stderr := runCmd("conform", "-url", "ws://"+addr+"/", "-cases", "1.1.1"); code != 2 || !strings.Contains(stderr, "unreachable") {
		t.Errorf("unreachable: exit %d %s", code, stderr)
	}
	for _, args := range [][]string{
		{"conform", "-cases", "11.*"},                 // matches nothing
		{"conform", "-cases", "1.x"},                  // not a pattern
		{"conform", "-cases", "1.*", "-exclude", "1"}, // leaves nothing
		{"conform", "-url", "http://127.0.0.1:1/"},    // not ws://
		{"conform", "-j", "-1"},                       // bad -j
		{"conform", "extra"},                          // stray argument
	} {
		if code, _, _ := runCmd(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, stdout, _ := runCmd("conform", "-list", "-cases", "6.4")
	if code != 0 || strings.Count(stdout, "\n") != 4 || !strings.HasPrefix(stdout, "6.4.1 ") {
		t.Errorf("-list: exit %d\n%s", code, stdout)
	}
}

func TestDissect(t *testing.T) {
	code, stdout, _ := runCmd("dissect", "-hex", "81 85 37 fa 21 3d 7f 9f 4d 51 58")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"1... .... = Fin: True", ".... 0001 = Opcode: text (1)", "1... .... = Mask: True",
		".000 0101 = Payload length: 5", "Masking-Key: 37fa213d", `Payload (text): "Hello"`, "no protocol error"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	// The RFC's unmasked example received by a server breaks
	// R-5.1-server-rejects-unmasked.
	code, stdout, _ = runCmd("dissect", "-json", "-hex", "810548656c6c6f")
	var d dissection
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatal(err)
	}
	if code != 1 || d.Error == nil || d.Error.Requirement != "R-5.1-server-rejects-unmasked" || d.Error.Code != 1002 || len(d.Frames) != 1 {
		t.Errorf("exit %d, %+v", code, d)
	}
	code, stdout, _ = runCmd("dissect", "-role", "client", "-hex", "827e0100"+strings.Repeat("00", 10))
	if code != 0 || !strings.Contains(stdout, "Extended payload length (16-bit): 256") || !strings.Contains(stdout, "10 of 256 bytes") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	// A truncated header that already breaks a rule: the masked frame
	// fails a client without its key (issue 10).
	if code, stdout, _ := runCmd("dissect", "-role", "client", "-hex", "8180"); code != 1 || !strings.Contains(stdout, "R-5.1-client-rejects-masked") {
		t.Errorf("truncated masked header: exit %d\n%s", code, stdout)
	}
	path := filepath.Join(t.TempDir(), "frames.bin")
	os.WriteFile(path, []byte{0x88, 0x01, 0x03}, 0o644)
	if code, stdout, _ := runCmd("dissect", "-role", "client", path); code != 1 || !strings.Contains(stdout, "R-5.5.1-close-body") {
		t.Errorf("1-byte close: exit %d\n%s", code, stdout)
	}
	for _, args := range [][]string{{"dissect"}, {"dissect", "-hex", "zz"}, {"dissect", "-role", "proxy", "-hex", "00"}, {"dissect", "-hex", "00", "file"}} {
		if code, _, _ := runCmd(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
