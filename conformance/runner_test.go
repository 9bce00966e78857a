package conformance

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

// run runs the named cases against a target and returns results by ID.
func runIDs(t *testing.T, tg *Target, ids ...string) map[string]*Result {
	t.Helper()
	cases, err := Select(ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Target: tg, Cases: cases, Parallel: len(cases)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*Result{}
	for _, r := range res {
		out[r.ID] = r
	}
	return out
}

// verdicts is "behavior/behaviorClose".
func verdicts(r *Result) string { return string(r.Behavior) + "/" + string(r.BehaviorClose) }

// TestVerdictsAgainstFlawedServers runs cases against fixture servers with
// one deliberate bug each and checks the runner reports it: the verdict
// logic is itself under test.
func TestVerdictsAgainstFlawedServers(t *testing.T) {
	tests := []struct {
		name string
		flaw flaw
		want map[string]string // case ID -> behavior/behaviorClose
	}{
		{"strict", flawNone, map[string]string{
			"1.1.1": "OK/OK", "2.1": "OK/OK", "3.1": "OK/OK", "3.2": "OK/OK", "5.15": "OK/OK",
			"6.3.1": "OK/OK", "6.4.1": "OK/OK", "6.4.3": "NON-STRICT/OK", "7.7.1": "OK/OK",
			"7.9.1": "OK/OK", "7.1.6": "INFORMATIONAL/INFORMATIONAL", "7.13.1": "INFORMATIONAL/INFORMATIONAL",
		}},
		{"no UTF-8 check", flawNoUTF8, map[string]string{
			"6.3.1": "FAILED/FAILED", "6.12.1": "FAILED/FAILED", "6.2.1": "OK/OK",
		}},
		{"UTF-8 checked at message end", flawUTF8AtEnd, map[string]string{
			"6.4.1": "NON-STRICT/OK", "6.4.2": "NON-STRICT/OK", "6.3.1": "OK/OK",
		}},
		{"no pong", flawNoPong, map[string]string{
			"2.1": "FAILED/OK", "5.6": "FAILED/OK", "1.1.1": "OK/OK",
		}},
		{"accepts RSV", flawAcceptRSV, map[string]string{
			"3.1": "FAILED/FAILED", "3.5": "FAILED/FAILED",
		}},
		{"wrong close code", flawWrongCode, map[string]string{
			"7.7.1": "FAILED/WRONG CODE", "1.1.1": "OK/WRONG CODE", "3.1": "OK/WRONG CODE",
		}},
		// The server answers the runner's Close but keeps TCP open: the
		// runner waits a second, then drops it. Where the case's own
		// killAfter timer fires first, that drop is the runner's
		// (FAILED BY CLIENT); otherwise the drop timeout makes the
		// close unclean.
		{"never closes TCP", flawNeverCloses, map[string]string{
			"1.1.1": "OK/FAILED BY CLIENT", "7.7.1": "OK/FAILED BY CLIENT", "2.1": "OK/UNCLEAN",
		}},
		// Dropping TCP instead of sending a Close is an acceptable way
		// to fail the connection (R-10.7-drop), but not to close it.
		{"drops TCP", flawDropsTCP, map[string]string{
			"1.1.1": "OK/UNCLEAN", "3.1": "OK/OK", "7.3.1": "OK/UNCLEAN",
		}},
		{"hangs", flawHangs, map[string]string{
			"1.1.1": "FAILED/UNCLEAN", "3.1": "OK/FAILED", "6.3.1": "FAILED/FAILED",
		}},
		{"fails before echoing", flawFailFirst, map[string]string{
			"3.2": "NON-STRICT/OK", "4.1.3": "NON-STRICT/OK", "5.15": "NON-STRICT/OK",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tg := startFixture(t, tt.flaw)
			var ids []string
			for id := range tt.want {
				ids = append(ids, id)
			}
			got := runIDs(t, tg, ids...)
			for id, want := range tt.want {
				r := got[id]
				if r == nil {
					t.Errorf("%s: no result", id)
					continue
				}
				if verdicts(r) != want {
					t.Errorf("%s: %s, want %s (%s)", id, verdicts(r), want, r.Reason)
				}
				if r.Reason == "" || r.Result == "" || r.ResultClose == "" {
					t.Errorf("%s: verdict texts missing: %q %q %q", id, r.Reason, r.Result, r.ResultClose)
				}
			}
		})
	}
}

// TestResultRecord checks what a result records besides the verdicts,
// on one echo case against the strict fixture.
func TestResultRecord(t *testing.T) {
	tg := startFixture(t, flawNone)
	r := runIDs(t, tg, "1.1.2")["1.1.2"]
	if r.Index != 2 || r.Agent == "" || len(r.Requirements) == 0 {
		t.Errorf("index %d, agent %q, requirements %v", r.Index, r.Agent, r.Requirements)
	}
	if !strings.HasPrefix(r.HTTPRequest, "GET / HTTP/1.1\r\n") || !strings.HasPrefix(r.HTTPResponse, "HTTP/1.1 101 ") {
		t.Errorf("handshake not recorded:\n%s\n%s", r.HTTPRequest, r.HTTPResponse)
	}
	if !r.ClosedByMe || r.FailedByMe || r.DroppedByMe || !r.WasClean || r.WasNotCleanReason != "" {
		t.Errorf("flags: closedByMe %v failedByMe %v droppedByMe %v wasClean %v (%s)", r.ClosedByMe, r.FailedByMe, r.DroppedByMe, r.WasClean, r.WasNotCleanReason)
	}
	if !r.HasLocalCloseCode || r.LocalCloseCode != 1000 || !r.HasRemoteCloseCode || r.RemoteCloseCode != 1000 {
		t.Errorf("close codes: local %v %d, remote %v %d", r.HasLocalCloseCode, r.LocalCloseCode, r.HasRemoteCloseCode, r.RemoteCloseCode)
	}
	if len(r.Received) != 1 || len(r.Received[0].Payload) != 125 {
		t.Errorf("received %v", r.Received)
	}
	// Text frame and Close out; text frame and Close in.
	if r.TxFrameStats[1] != 1 || r.TxFrameStats[8] != 1 || r.RxFrameStats[1] != 1 || r.RxFrameStats[8] != 1 {
		t.Errorf("frame stats: tx %v rx %v", r.TxFrameStats, r.RxFrameStats)
	}
	kinds := map[WireKind]int{}
	for _, e := range r.WireLog {
		kinds[e.Kind]++
		if len(e.Data) > WirePreviewLen {
			t.Errorf("%s entry keeps %d bytes", e.Kind, len(e.Data))
		}
	}
	for _, k := range []WireKind{WireRead, WireWrite, WireFrameIn, WireFrameOut, WireKill} {
		if kinds[k] == 0 {
			t.Errorf("no %s entry in the wire log", k)
		}
	}
}

// TestRemoteCloseCodeZero checks that an echoed close code 0 is reported
// as code 0, not as "no code", and fails 7.9.1 as a wrong code.
func TestRemoteCloseCodeZero(t *testing.T) {
	tg := startFixture(t, flawNoUTF8) // validates close codes, echoes valid ones
	r := runIDs(t, tg, "7.9.1")["7.9.1"]
	if !r.HasLocalCloseCode || r.LocalCloseCode != 0 {
		t.Errorf("local close code %v %d, want 0", r.HasLocalCloseCode, r.LocalCloseCode)
	}
	if verdicts(r) != "OK/OK" {
		t.Errorf("7.9.1: %s (%s)", verdicts(r), r.Reason)
	}
}

func TestRunErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	tg, err := NewTarget("ws://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := Lookup("1.1.1")
	if _, err := Run(context.Background(), Options{Target: tg, Cases: []*Case{c}}); !errors.Is(err, ErrUnreachable) {
		t.Errorf("unreachable server: %v", err)
	}
	if _, err := Run(context.Background(), Options{Target: tg}); !errors.Is(err, ErrNoCases) {
		t.Errorf("no cases: %v", err)
	}
	for _, bad := range []string{"http://x/", "ws://x/#f", "ws://", "ws://u@x/"} {
		if _, err := NewTarget(bad); err == nil {
			t.Errorf("NewTarget(%q) accepted", bad)
		}
	}
}

// TestHandshakeFailure runs a case against a server that answers the
// opening handshake with 404: the connection never opens.
func TestHandshakeFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				c.Read(buf)
				fmt.Fprint(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
			}()
		}
	}()
	tg, _ := NewTarget("ws://" + ln.Addr().String() + "/")
	r := runIDs(t, tg, "1.1.1")["1.1.1"]
	if verdicts(r) != "FAILED/FAILED" || r.ResultClose != textNeverOpened || r.Expected != nil || r.ExpectedClose != nil {
		t.Errorf("%s %q expected=%v", verdicts(r), r.ResultClose, r.Expected)
	}
	if !strings.Contains(r.Reason, "404") {
		t.Errorf("reason %q does not name the status", r.Reason)
	}
}

// TestRunLeaksNothing checks that a run leaves no goroutine behind, even
// when cases end by the runner's own timers (a hanging server) or when the
// run is cancelled.
func TestRunLeaksNothing(t *testing.T) {
	tg := startFixture(t, flawHangs)
	before := runtime.NumGoroutine()
	runIDs(t, tg, "1.1.1", "2.1", "3.1")
	ctx, cancel := context.WithCancel(context.Background())
	cases, _ := Select([]string{"5.19", "6.4.1"}, nil)
	go func() {
		time.Sleep(200 * time.Millisecond)
		cancel()
	}()
	if _, err := Run(ctx, Options{Target: tg, Cases: cases}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

// TestOneConnecting: however many cases run in parallel, the runner has at
// most one connection to the server in the CONNECTING state
// (H-4.1-one-connecting). The fixture answers each handshake after a
// pause, so that unserialised handshakes would overlap.
func TestOneConnecting(t *testing.T) {
	tg, fx := startFixtureServer(t, &fixture{handshakeDelay: 20 * time.Millisecond})
	got := runIDs(t, tg, "1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2", "1.2.3", "2.1", "2.2")
	for id, r := range got {
		if verdicts(r) != "OK/OK" {
			t.Errorf("%s: %s", id, verdicts(r))
		}
	}
	fx.mu.Lock()
	defer fx.mu.Unlock()
	if fx.connectMax != 1 {
		t.Errorf("%d connections were connecting at once, want 1", fx.connectMax)
	}
}
