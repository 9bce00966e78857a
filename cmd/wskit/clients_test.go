package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wskit/wskit/conformance/clienttest"
	"github.com/wskit/wskit/conformance/clienttest/echoclient"
)

// runMainEnv makes the test binary act as the wskit command: a child
// started with it set runs run(os.Args[1:]) instead of the tests, so
// that -exec can start "wskit echo-client {url}" without a build.
const runMainEnv = "WSKIT_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestConformClientExec runs conform-client with the reference echo
// client (this binary as "wskit echo-client {url}"): every case passes,
// and a client that exits without connecting fails the run.
func TestConformClientExec(t *testing.T) {
	t.Setenv(runMainEnv, "1")
	dir := t.TempDir()
	self := os.Args[0]
	code, stdout, stderr := runCmd("conform-client", "-exec", self+" echo-client {url}", "-agent", "echo", "-cases", "1.*,2.*,5.*,6.4.*,7.*", "-j", "8", "-report", dir)
	if code != 0 || !strings.Contains(stdout, `agent "echo"`) || !strings.Contains(stdout, "FAILED") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, f := range []string{"index.json", "index.html", "junit.xml", "echo_case_7_1_1.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	code, stdout, stderr = runCmd("conform-client", "-exec", "sh -c 'exit 3' {url}", "-cases", "1.1.1,1.1.2", "-j", "2", "-v")
	if code != 1 || !strings.Contains(stdout, "1.1.1 FAILED/FAILED") || !strings.Contains(stdout, "did not connect") || !strings.Contains(stderr, "exit status 3") {
		t.Errorf("a client that never connects: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, args := range [][]string{
		{"-cases", "1.1.1"},                // no -exec
		{"-exec", "x 'y", "-cases", "1"},   // bad quoting
		{"-exec", "x", "-j", "0"},          // -j
		{"-exec", "x", "-cases", "99.*"},   // no case
		{"-exec", "x", "-fail-on", "nope"}, // policy
	} {
		if code, _, _ := runCmd(append([]string{"conform-client"}, args...)...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	if code, stdout, _ := runCmd("conform-client", "-list", "-cases", "6.4.*"); code != 0 || strings.Count(stdout, "\n") != 4 {
		t.Errorf("-list: exit %d\n%s", code, stdout)
	}
}

// TestServeCases drives serve-cases the way Autobahn's documentation
// shows (getCaseCount, runCase for each case, updateReports), reads
// /results in between, and checks that the command stops after the
// report with -exit-on-report and exits by the policy.
func TestServeCases(t *testing.T) {
	dir := t.TempDir()
	addrs := make(chan string, 1)
	serveCasesListening = func(addr string) { addrs <- addr }
	defer func() { serveCasesListening = nil }()
	type outcome struct {
		code           int
		stdout, stderr string
	}
	done := make(chan outcome, 1)
	go func() {
		code, stdout, stderr := runCmd("serve-cases", "-addr", "127.0.0.1:0", "-cases", "1.1.*,5.1,6.4.1", "-report", dir, "-exit-on-report")
		done <- outcome{code, stdout, stderr}
	}()
	var base string
	select {
	case addr := <-addrs:
		base = "ws://" + addr
	case o := <-done:
		t.Fatalf("serve-cases ended: %d\n%s\n%s", o.code, o.stdout, o.stderr)
	}
	ctx := context.Background()
	texts, err := echoclient.ReadText(ctx, base+"/getCaseCount", echoclient.Config{})
	if err != nil || len(texts) != 1 || texts[0] != "10" {
		t.Fatalf("getCaseCount: %q %v", texts, err)
	}
	texts, err = echoclient.ReadText(ctx, base+"/getCaseInfo?case=10", echoclient.Config{})
	if err != nil || len(texts) != 1 || !strings.HasPrefix(texts[0], `{"id": "6.4.1", "description": `) {
		t.Fatalf("getCaseInfo: %q %v", texts, err)
	}
	for n := 1; n <= 10; n++ {
		echoclient.Run(ctx, fmt.Sprintf("%s/runCase?case=%d&agent=cli", base, n), echoclient.Config{})
	}
	// The last case is stored a moment after its client saw the
	// connection close: getCaseStatus waits for it.
	for _, q := range []string{"case=10", "casetuple=5.1"} {
		texts, err = echoclient.ReadText(ctx, base+"/getCaseStatus?"+q+"&agent=cli", echoclient.Config{})
		if err != nil || len(texts) != 1 || texts[0] != `{"behavior": "OK"}` {
			t.Errorf("getCaseStatus?%s: %q %v", q, texts, err)
		}
	}
	resp, err := http.Get("http" + strings.TrimPrefix(base, "ws") + "/results?agent=cli")
	if err != nil {
		t.Fatal(err)
	}
	var rep clienttest.AgentReport
	err = json.NewDecoder(resp.Body).Decode(&rep)
	resp.Body.Close()
	if err != nil || rep.Run != 10 || rep.Selected != 10 || !rep.Passed || rep.Results[9].ID != "6.4.1" || rep.Results[9].Case != 10 {
		t.Errorf("results: %+v %v", rep, err)
	}
	if _, err := echoclient.ReadText(ctx, base+"/updateReports?agent=cli", echoclient.Config{}); err != nil {
		t.Fatal(err)
	}
	o := <-done
	if o.code != 0 || !strings.Contains(o.stdout, "10 cases in") || !strings.Contains(o.stderr, "running case 6.4.1 for agent cli") {
		t.Errorf("exit %d\n%s\n%s", o.code, o.stdout, o.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "cli_case_6_4_1.json")); err != nil {
		t.Error(err)
	}
}

func TestServeCasesUsage(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "fuzzingserver.json")
	os.WriteFile(spec, []byte(`{"url": "ws://127.0.0.1:9001", "cases": []}`), 0o644)
	for _, args := range [][]string{
		{"-cases", "99"},
		{"-spec", spec},
		{"-spec", spec, "-cases", "1.*"},
		{"-spec", filepath.Join(t.TempDir(), "missing.json")},
		{"-cert", "c.pem"},
		{"-max-events", "0"},
	} {
		if code, _, _ := runCmd(append([]string{"serve-cases"}, args...)...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	for _, args := range [][]string{{}, {"a", "b"}, {"-j", "0", "ws://x/"}} {
		if code, _, _ := runCmd(append([]string{"echo-client"}, args...)...); code != 2 {
			t.Errorf("echo-client %q: exit %d, want 2", args, code)
		}
	}
	if code, _, stderr := runCmd("echo-client", "ws://127.0.0.1:1/"); code != 1 || !strings.Contains(stderr, "did not open") {
		t.Errorf("echo-client to a closed port: exit %d %s", code, stderr)
	}
}
