package clienttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/clienttest"
	"github.com/wskit/wskit/conformance/clienttest/echoclient"
	"github.com/wskit/wskit/conformance/config"
)

// rawRequest writes a request head and returns the status line of the
// answer.
func rawRequest(t *testing.T, base, head string) string {
	t.Helper()
	nc, err := net.Dial("tcp", strings.TrimPrefix(base, "ws://"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	nc.Write([]byte(head))
	b, _ := io.ReadAll(nc)
	line, _, _ := strings.Cut(string(b), "\r\n")
	return line
}

const upgrade = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

// TestAPIErrors: requests the API cannot serve are refused with an HTTP
// status, before any case starts.
func TestAPIErrors(t *testing.T) {
	t.Parallel()
	_, base := start(t, clienttest.Config{Cases: lookup(t, "1.1.1", "1.1.2")})
	for target, want := range map[string]string{
		"/runCase?case=3&agent=a":        "400",
		"/runCase?case=0&agent=a":        "400",
		"/runCase?case=1":                "400",
		"/runCase?casetuple=9.9&agent=a": "400",
		"/getCaseInfo?case=x":            "400",
		"/getCaseStatus?case=1":          "400",
		"/updateReports":                 "400",
		"/nothing":                       "404",
	} {
		if got := rawRequest(t, base, "GET "+target+" HTTP/1.1\r\n"+upgrade); !strings.Contains(got, " "+want+" ") {
			t.Errorf("%s: %q, want %s", target, got, want)
		}
	}
	if got := rawRequest(t, base, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"); !strings.Contains(got, " 404 ") {
		t.Errorf("plain GET /nothing: %q", got)
	}
	if got := rawRequest(t, base, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); !strings.Contains(got, " 200 ") {
		t.Errorf("plain GET /: %q", got)
	}
}

// TestRunCaseBadHandshake: a client asked to run a case whose opening
// handshake breaks the rules (version 8) is refused with 426, and the
// case is FAILED, its connection never opened.
func TestRunCaseBadHandshake(t *testing.T) {
	t.Parallel()
	srv, base := start(t, clienttest.Config{Cases: lookup(t, "1.1.1")})
	head := "GET /runCase?case=1&agent=old HTTP/1.1\r\n" + strings.Replace(upgrade, "Version: 13", "Version: 8", 1)
	if got := rawRequest(t, base, head); !strings.Contains(got, " 426 ") {
		t.Errorf("status %q", got)
	}
	r, err := srv.Wait(context.Background(), "old", "1.1.1")
	if err != nil || r.Behavior != conformance.Failed || r.BehaviorClose != conformance.Failed || r.OpenError == nil || !strings.HasPrefix(r.HTTPRequest, "GET /runCase") {
		t.Errorf("%+v %v", r, err)
	}
}

// TestCaseStatusWaits: /getCaseStatus answers once the case has a
// result, so a harness can open it next to /runCase.
func TestCaseStatusWaits(t *testing.T) {
	t.Parallel()
	_, base := start(t, clienttest.Config{Cases: lookup(t, "1.1.1", "2.1")})
	status := make(chan []string, 1)
	go func() {
		texts, _ := echoclient.ReadText(context.Background(), base+"/getCaseStatus?case=2&agent=a", echoclient.Config{})
		status <- texts
	}()
	select {
	case s := <-status:
		t.Fatalf("answered before the case ran: %q", s)
	case <-time.After(100 * time.Millisecond):
	}
	echoclient.Run(context.Background(), base+"/runCase?case=2&agent=a", echoclient.Config{})
	if s := <-status; len(s) != 1 || s[0] != `{"behavior": "OK"}` {
		t.Errorf("status %q", s)
	}
}

// TestExcludeAgentCases: a case excluded for an agent by the spec file's
// "exclude-agent-cases" still connects, is closed at once and records
// nothing; other agents run it, numbered in the selection.
func TestExcludeAgentCases(t *testing.T) {
	t.Parallel()
	all := lookup(t, "1.1.1", "1.1.2", "2.1", "2.2")
	cases, excludeFor, unknown, err := clienttest.Select(all, config.Selection{
		Cases:             []string{"1.*", "2.1", "12.1.1"},
		ExcludeCases:      []string{"1.1.2"},
		ExcludeAgentCases: map[string][]string{"skip*": {"2.*"}},
	})
	if err != nil || len(cases) != 2 || cases[1].ID != "2.1" || fmt.Sprint(unknown) != "[12.1.1]" {
		t.Fatalf("Select: %v %v %v", cases, unknown, err)
	}
	srv, base := start(t, clienttest.Config{Cases: cases, ExcludeFor: excludeFor})
	for _, agent := range []string{"skipper", "runner"} {
		if err := echoclient.Run(context.Background(), base+"/runCase?case=2&agent="+agent, echoclient.Config{}); err != nil {
			t.Errorf("%s: %v", agent, err)
		}
	}
	if _, ok := srv.Result("skipper", "2.1"); ok {
		t.Error("a result for the excluded agent")
	}
	r, err := srv.Wait(context.Background(), "runner", "2.1")
	if err != nil || r.Behavior != conformance.OK || r.Index != 2 {
		t.Errorf("%+v %v", r, err)
	}
	resp, err := http.Get("http" + strings.TrimPrefix(base, "ws") + "/results")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var all2 struct{ Agents []clienttest.AgentReport }
	if err := json.NewDecoder(resp.Body).Decode(&all2); err != nil || len(all2.Agents) != 1 || all2.Agents[0].Agent != "runner" || all2.Agents[0].Run != 1 {
		t.Errorf("/results: %+v %v", all2, err)
	}
}

// TestSuiteCategories: the client suite is Autobahn's categories 1-7, 9,
// 10, 12 and 13 (517 cases, Autobahn's whole count) and wskit's own 0, 8
// and 14 in their forms against clients: every case of 8 (19) and 14
// (22), and the 25 of 0 whose field has a response-side rule (not Host,
// 0.2, nor Sec-WebSocket-Version, 0.5), with the same IDs.
func TestSuiteCategories(t *testing.T) {
	suite := clienttest.Suite(autobahn.Cases())
	if want := 517 + 25 + 19 + 22; len(suite) != want {
		t.Errorf("%d cases, want %d", len(suite), want)
	}
	for _, c := range autobahn.Cases() {
		sub := autobahn.SubcategoryOf(c.ID)
		want := sub != "0.2" && sub != "0.5"
		if got := clienttest.Runnable(c); got != want {
			t.Errorf("Runnable(%s) = %v", c.ID, got)
		}
	}
	for _, c := range suite {
		if c.Opening != nil || c.ForClients != nil || c.Open == nil {
			t.Errorf("%s: not in its form against clients", c.ID)
		}
		if orig, _ := autobahn.Lookup(c.ID); c.Index != orig.Index {
			t.Errorf("%s: index %d, the catalogue's %d", c.ID, c.Index, orig.Index)
		}
	}
}

// TestMaxConns: connections beyond the limit get 503 at once.
func TestMaxConns(t *testing.T) {
	t.Parallel()
	_, base := start(t, clienttest.Config{Cases: lookup(t, "1.1.1"), MaxConns: 1})
	hold, err := net.Dial("tcp", strings.TrimPrefix(base, "ws://"))
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	hold.Write([]byte("GET")) // an unfinished head holds the one slot
	time.Sleep(50 * time.Millisecond)
	if got := rawRequest(t, base, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); !strings.Contains(got, " 503 ") {
		t.Errorf("status %q", got)
	}
}
