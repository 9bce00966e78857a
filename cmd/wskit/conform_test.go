package main

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"

	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/internal/fixture"
)

// startFlawed starts a fixture server with one flaw and returns its URL.
func startFlawed(t *testing.T, flaw fixture.Flaw) string {
	t.Helper()
	fx, err := fixture.Start(flaw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fx.Close)
	return fx.URL()
}

// TestConformPolicy: a server that never answers the runner's Close
// breaks a MUST (RFC 6455 section 5.5.1); the default policy fails the run
// for it, Autobahn's reading (-fail-on FAILED) does not.
func TestConformPolicy(t *testing.T) {
	url := startFlawed(t, fixture.NoCloseReply)
	code, stdout, stderr := runCmd("conform", "-url", url, "-cases", "1.1.1,1.1.2")
	if code != 1 {
		t.Fatalf("default policy: exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"failing the run under fail-on FAILED,UNCLEAN,WRONG CODE (2):", "1.1.1 OK/UNCLEAN (close UNCLEAN): ", "1.1.2 OK/UNCLEAN (close UNCLEAN): "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("default policy: output lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = runCmd("conform", "-url", url, "-cases", "1.1.1", "-fail-on", "FAILED")
	if code != 0 || strings.Contains(stdout, "failing the run") {
		t.Errorf("-fail-on FAILED: exit %d, want 0\n%s", code, stdout)
	}
	code, stdout, _ = runCmd("conform", "-url", url, "-cases", "1.1.1", "-fail-on", "failed,unclean")
	if code != 1 {
		t.Errorf("-fail-on failed,unclean: exit %d, want 1\n%s", code, stdout)
	}
	for _, bad := range []string{"", "SORT OF", "OK"} {
		if code, _, stderr := runCmd("conform", "-cases", "1.1.1", "-fail-on", bad); bad != "" && (code != 2 || !strings.Contains(stderr, "-fail-on")) {
			t.Errorf("-fail-on %q: exit %d %s", bad, code, stderr)
		}
	}
}

// TestConformExpect checks baselines: a run equal to its baseline passes
// although it has NON-STRICT cases; a changed verdict fails it and is
// printed.
func TestConformExpect(t *testing.T) {
	url := startFlawed(t, fixture.UTF8AtEnd) // NON-STRICT on 6.4.1-6.4.4
	dir := t.TempDir()
	code, stdout, _ := runCmd("conform", "-url", url, "-cases", "6.4.*,1.1.1", "-report", dir, "-fail-on", "FAILED,NON-STRICT")
	if code != 1 || !strings.Contains(stdout, "6.4.1 NON-STRICT/OK (behaviour NON-STRICT)") {
		t.Fatalf("-fail-on NON-STRICT: exit %d\n%s", code, stdout)
	}
	index := filepath.Join(dir, "index.json")
	code, stdout, _ = runCmd("conform", "-url", url, "-cases", "6.4.*,1.1.1", "-expect", index)
	if code != 0 || !strings.Contains(stdout, "every verdict equals the baseline") {
		t.Errorf("same verdicts as the baseline: exit %d\n%s", code, stdout)
	}
	// A hand-written baseline that expects OK everywhere.
	strict := filepath.Join(dir, "expected.json")
	if err := os.WriteFile(strict, []byte(`{"1.1.1": {"behavior": "OK"}, "6.4.1": {"behavior": "OK", "behaviorClose": "OK"}, "6.4.2": {"behavior": "NON-STRICT"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = runCmd("conform", "-url", url, "-cases", "6.4.*,1.1.1", "-expect", strict)
	for _, want := range []string{"3 verdicts differ from the baseline", "6.4.1: OK/OK -> NON-STRICT/OK", "6.4.3: (not in the baseline) -> NON-STRICT/OK"} {
		if code != 1 || !strings.Contains(stdout, want) {
			t.Errorf("changed verdicts: exit %d, output lacks %q:\n%s", code, want, stdout)
		}
	}
	if code, _, stderr := runCmd("conform", "-cases", "1.1.1", "-expect", filepath.Join(dir, "missing.json")); code != 2 || !strings.Contains(stderr, "-expect") {
		t.Errorf("missing baseline: exit %d %s", code, stderr)
	}
}

// specFile writes testdata/fuzzingclient.json, with the servers' addresses
// and the report directory filled in, and with extra agent exclusions.
func specFile(t *testing.T, strict, flawed, outdir string, excludeForFlawed []string) string {
	t.Helper()
	tmpl, err := template.ParseFiles(filepath.Join("testdata", "fuzzingclient.json"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	host := func(u string) string { return strings.TrimSuffix(strings.TrimPrefix(u, "ws://"), "/") }
	if err := tmpl.Execute(&b, map[string]string{"Strict": host(strict), "Flawed": host(flawed)}); err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(b.String(), `"./reports/servers"`, `"`+outdir+`"`, 1)
	if excludeForFlawed != nil {
		text = strings.Replace(text, `["6.*", "7.*", "1.2.*", "5.1[0-9]"]`, `["`+strings.Join(excludeForFlawed, `", "`)+`"]`, 1)
	}
	path := filepath.Join(t.TempDir(), "fuzzingclient.json")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readIndex runs testdata/read_index.py, a reader of Autobahn's reports in
// the manner of projects' CI scripts, on a report directory.
func readIndex(t *testing.T, outdir string) (code int, out string) {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is needed to read the reports as CI scripts do (.ci/run installs it)")
	}
	cmd := exec.Command(python, filepath.Join("testdata", "read_index.py"), outdir)
	b, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(b)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(b)
}

// TestConformSpec runs "wskit conform -spec" on a fuzzingclient.json in
// the style projects write them (two servers, regular-expression
// patterns, a per-agent exclusion, engine options). Autobahn turns "." into
// a literal dot in agent keys too, so the key is "flawed*", not
// "flawed.*". and reads the reports
// with a script that knows only Autobahn's format.
func TestConformSpec(t *testing.T) {
	strictAddr, shutdown, err := startLoopback()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(shutdown)
	strict := "ws://" + strictAddr + "/"
	flawed := startFlawed(t, fixture.NoUTF8) // fails the UTF-8 cases of 6.* and 7.5.1

	outdir := filepath.Join(t.TempDir(), "reports", "servers")
	code, stdout, stderr := runCmd("conform", "-spec", specFile(t, strict, flawed, outdir, nil), "-j", "8")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if strings.Contains(stderr, "ignored") {
		t.Errorf("warnings for a file with only known keys and options:\n%s", stderr)
	}
	var index map[string]map[string]any
	readJSON(t, filepath.Join(outdir, "index.json"), &index)
	if agents := slices.Sorted(maps.Keys(index)); !slices.Equal(agents, []string{"flawed/echo-1.0", "wskit-strict"}) {
		t.Fatalf("agents %v", agents)
	}
	// "*" less "9.*" and "1[1-4].*" (a regular expression: 11-14, not 1)
	// is every case wskit has but categories 9 and 11-14; the flawed agent also loses
	// 6.*, 7.*, 1.2.* and 5.10-5.19 (anchored at both ends: not 5.1 or
	// 5.20).
	all := 0
	for _, c := range autobahn.Cases() {
		if !slices.Contains([]string{"9", "11", "12", "13", "14"}, autobahn.CategoryOf(c.ID)) {
			all++
		}
	}
	if n := len(index["wskit-strict"]); n != all {
		t.Errorf("wskit-strict ran %d cases, want %d", n, all)
	}
	flawedCases := index["flawed/echo-1.0"]
	wantFlawed := 0
	for _, c := range autobahn.Cases() {
		id := c.ID
		excluded := slices.Contains([]string{"9", "11", "12", "13", "14", "6", "7"}, autobahn.CategoryOf(id)) || strings.HasPrefix(id, "1.2.") ||
			strings.HasPrefix(id, "5.1") && len(id) == 4
		if _, ran := flawedCases[id]; ran == excluded {
			t.Errorf("flawed agent: case %s ran=%v", id, ran)
		}
		if !excluded {
			wantFlawed++
		}
	}
	if len(flawedCases) != wantFlawed {
		t.Errorf("flawed agent ran %d cases, want %d", len(flawedCases), wantFlawed)
	}
	for _, name := range []string{"index.html", "junit.xml", "wskit_strict_case_1_1_1.json", "flawed_echo_1_0_case_5_20.json"} {
		if _, err := os.Stat(filepath.Join(outdir, name)); err != nil {
			t.Errorf("report file: %v", err)
		}
	}
	code, out := readIndex(t, outdir)
	if code != 0 || !strings.Contains(out, "wskit-strict: "+strconv.Itoa(all)+" cases, 0 failed") {
		t.Errorf("read_index.py: exit %d\n%s", code, out)
	}

	// Without the agent exclusion of 6.*, the flawed server's UTF-8
	// failures fail the run, and the script sees them too.
	outdir2 := filepath.Join(t.TempDir(), "out")
	code, stdout, _ = runCmd("conform", "-spec", specFile(t, strict, flawed, outdir2, []string{"7.*"}), "-j", "8")
	if code != 1 || !strings.Contains(stdout, "6.3.1 FAILED/FAILED") {
		t.Errorf("flawed server with 6.*: exit %d\n%s", code, stdout)
	}
	code, out = readIndex(t, outdir2)
	if code != 1 || !strings.Contains(out, "  6.3.1 FAILED/FAILED") || !strings.Contains(out, "wskit-strict: ") {
		t.Errorf("read_index.py on failures: exit %d\n%s", code, out)
	}
}

// TestConformSpecErrors: what a spec file cannot say, or says wrong.
func TestConformSpecErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `{"servers": [{"url": "ws://127.0.0.1:1/", "agent": "a"}], "cases": ["1.1.1"], "outdir": "x", "bogus": 1}`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-spec", good, "-url", "ws://127.0.0.1:1/"}, "leave out -url"},
		{[]string{"-spec", filepath.Join(dir, "none.json")}, "-spec"},
		{[]string{"-spec", write("syntax.json", `{"servers": [`)}, "-spec"},
		{[]string{"-spec", write("noserver.json", `{"cases": ["*"]}`)}, "-spec"},
		{[]string{"-spec", write("badre.json", `{"servers": [{"url": "ws://127.0.0.1:1/"}], "cases": ["1[.*"]}`)}, "-spec"},
		{[]string{"-spec", write("nothing.json", `{"servers": [{"url": "ws://127.0.0.1:1/"}], "cases": ["99.*"]}`)}, "no case to run"},
	} {
		code, _, stderr := runCmd(append([]string{"conform"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, want 2 with %q:\n%s", tc.args, code, tc.want, stderr)
		}
	}
	// Unknown keys are warnings; -list shows what would run.
	code, stdout, stderr := runCmd("conform", "-spec", good, "-list")
	if code != 0 || !strings.Contains(stderr, `"bogus"`) || !strings.HasPrefix(stdout, "1.1.1 ") {
		t.Errorf("-list: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
