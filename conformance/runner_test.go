package conformance_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/internal/fixture"
)

// startFixture starts a fixture server with the flaw; the test's cleanup
// stops it.
func startFixture(t *testing.T, flaw fixture.Flaw) (*conformance.Target, *fixture.Server) {
	t.Helper()
	fx, err := fixture.Start(flaw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fx.Close)
	tg, err := conformance.NewTarget(fx.URL())
	if err != nil {
		t.Fatal(err)
	}
	return tg, fx
}

// runIDs runs the named cases against a target and returns results by ID.
func runIDs(t *testing.T, tg *conformance.Target, ids ...string) map[string]*conformance.Result {
	t.Helper()
	cases, err := autobahn.Select(ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: cases, Parallel: len(cases)})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*conformance.Result{}
	for _, r := range res {
		out[r.ID] = r
	}
	return out
}

// rawServer serves every connection on 127.0.0.1 with handle, which need
// not speak WebSocket, and closes it when handle returns.
func rawServer(t *testing.T, handle func(net.Conn)) *conformance.Target {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				handle(c)
			}()
		}
	}()
	tg, err := conformance.NewTarget("ws://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// verdicts is "behavior/behaviorClose".
func verdicts(r *conformance.Result) string {
	return string(r.Behavior) + "/" + string(r.BehaviorClose)
}

// TestResultRecord checks what a result records besides the verdicts,
// on one echo case against the strict fixture.
func TestResultRecord(t *testing.T) {
	tg, _ := startFixture(t, fixture.None)
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
	// The 125-byte echo is kept as its first 64 bytes and its length.
	if len(r.Received) != 1 || r.Received[0].Len() != 125 || len(r.Received[0].Payload) != conformance.WirePreviewLen {
		t.Errorf("received %v", r.Received)
	}
	// Text frame and Close out; text frame and Close in.
	if r.TxFrameStats[1] != 1 || r.TxFrameStats[8] != 1 || r.RxFrameStats[1] != 1 || r.RxFrameStats[8] != 1 {
		t.Errorf("frame stats: tx %v rx %v", r.TxFrameStats, r.RxFrameStats)
	}
	kinds := map[conformance.WireKind]int{}
	for _, e := range r.WireLog {
		kinds[e.Kind]++
		if len(e.Data) > conformance.WirePreviewLen {
			t.Errorf("%s entry keeps %d bytes", e.Kind, len(e.Data))
		}
	}
	for _, k := range []conformance.WireKind{conformance.WireRead, conformance.WireWrite, conformance.WireFrameIn, conformance.WireFrameOut, conformance.WireKill} {
		if kinds[k] == 0 {
			t.Errorf("no %s entry in the wire log", k)
		}
	}
}

// TestRemoteCloseCodeZero checks that an echoed close code 0 is reported
// as code 0, not as "no code", and fails 7.9.1 as a wrong code.
func TestRemoteCloseCodeZero(t *testing.T) {
	tg, _ := startFixture(t, fixture.NoUTF8) // validates close codes, echoes valid ones
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
	tg, err := conformance.NewTarget("ws://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := autobahn.Lookup("1.1.1")
	if _, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: []*conformance.Case{c}}); !errors.Is(err, conformance.ErrUnreachable) {
		t.Errorf("unreachable server: %v", err)
	}
	if _, err := conformance.Run(context.Background(), conformance.Options{Target: tg}); !errors.Is(err, conformance.ErrNoCases) {
		t.Errorf("no cases: %v", err)
	}
	for _, bad := range []string{"http://x/", "ws://x/#f", "ws://", "ws://u@x/"} {
		if _, err := conformance.NewTarget(bad); err == nil {
			t.Errorf("NewTarget(%q) accepted", bad)
		}
	}
}

// TestHandshakeFailure runs a case against a server that answers the
// opening handshake with 404: the connection never opens.
func TestHandshakeFailure(t *testing.T) {
	tg := rawServer(t, func(c net.Conn) {
		c.Read(make([]byte, 4096))
		fmt.Fprint(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
	})
	r := runIDs(t, tg, "1.1.1")["1.1.1"]
	if verdicts(r) != "FAILED/FAILED" || r.ResultClose != "The WebSocket opening handshake was never completed!" || r.Expected != nil || r.ExpectedClose != nil {
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
	tg, _ := startFixture(t, fixture.Hangs)
	before := runtime.NumGoroutine()
	runIDs(t, tg, "1.1.1", "2.1", "3.1")
	ctx, cancel := context.WithCancel(context.Background())
	cases, _ := autobahn.Select([]string{"5.19", "6.4.1"}, nil)
	go func() {
		time.Sleep(200 * time.Millisecond)
		cancel()
	}()
	if _, err := conformance.Run(ctx, conformance.Options{Target: tg, Cases: cases}); !errors.Is(err, context.Canceled) {
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
	fx, err := fixture.Start(fixture.None)
	if err != nil {
		t.Fatal(err)
	}
	fx.HandshakeDelay = 20 * time.Millisecond
	t.Cleanup(fx.Close)
	tg, err := conformance.NewTarget(fx.URL())
	if err != nil {
		t.Fatal(err)
	}
	got := runIDs(t, tg, "1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2", "1.2.3", "2.1", "2.2")
	for id, r := range got {
		if verdicts(r) != "OK/OK" {
			t.Errorf("%s: %s", id, verdicts(r))
		}
	}
	if n := fx.MaxConnecting(); n != 1 {
		t.Errorf("%d connections were connecting at once, want 1", n)
	}
}

// TestRunRandFailure: a failing Options.Rand ends the run with its error
// instead of a panic.
func TestRunRandFailure(t *testing.T) {
	tg, _ := startFixture(t, fixture.None)
	cases, _ := autobahn.Select([]string{"1.1.1", "1.1.2"}, nil)
	_, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: cases, Rand: failingReader{}})
	if err == nil || !strings.Contains(err.Error(), "no entropy") {
		t.Errorf("Run with a failing Rand: %v", err)
	}
}

// TestOpenErrorChain: how the opening handshake failed is kept as an
// error chain, not flattened to a string.
func TestOpenErrorChain(t *testing.T) {
	tg := rawServer(t, func(c net.Conn) {
		c.Read(make([]byte, 4096)) // then hang up on the request
	})
	r := runIDs(t, tg, "1.1.1")["1.1.1"]
	if !errors.Is(r.OpenError, io.EOF) || !strings.Contains(r.Reason, "closed the connection during the opening handshake") {
		t.Errorf("OpenError %v, reason %q", r.OpenError, r.Reason)
	}
}

// TestSetWireLog: a case that switches the wire log off (as Autobahn's
// performance cases do) records the switch, and no read, write or frame
// rows while it is off; timer rows are kept. Its ReportTime reaches the
// result.
func TestSetWireLog(t *testing.T) {
	tg, _ := startFixture(t, fixture.None)
	c := &conformance.Case{
		ID: "99.1", Description: "d", Expectation: "e", Requirements: []string{"R-5.6-text-utf8"}, ReportTime: true,
		Expected: map[conformance.Verdict][]conformance.Event{conformance.OK: {conformance.Message([]byte("hi"), false)}},
		Close:    conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
		Open: func(s *conformance.Session) {
			s.SetWireLog(false)
			s.SendFrame(conformance.Frame{Opcode: 1, Fin: true, Payload: []byte("hi")})
			s.KillAfter(1)
		},
	}
	rs, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: []*conformance.Case{c}})
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	if r.Behavior != conformance.OK || r.CreateWirelog || !r.ReportTime {
		t.Fatalf("%s, createWirelog %v, reportTime %v", r.Behavior, r.CreateWirelog, r.ReportTime)
	}
	off := false
	for _, e := range r.WireLog {
		switch e.Kind {
		case conformance.WireLogging:
			off = !e.Enabled
		case conformance.WireRead, conformance.WireWrite, conformance.WireFrameIn, conformance.WireFrameOut:
			if off {
				t.Errorf("%s row while the wire log is off", e.Kind)
			}
		}
	}
	if !off {
		t.Error("no WLM row")
	}
}

// TestHandleMessages: a case that takes its messages itself sees every one
// of them, whole, records none (so 1,100 of them pass a budget of 100
// events and 64 KiB), and its own verdict stands when no list matches. The silent
// wire-log switch writes no WLM row.
func TestHandleMessages(t *testing.T) {
	tg, _ := startFixture(t, fixture.None)
	const n, size = 1100, 4<<10 + 3
	c := &conformance.Case{
		ID: "99.3", Description: "d", Expectation: "e", Requirements: []string{"R-5.4-unfragmented"},
		Expected: map[conformance.Verdict][]conformance.Event{},
		Close:    conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
		Open: func(s *conformance.Session) {
			s.SetWireLogSilent(false)
			s.SetBehavior(conformance.Failed, "not yet")
			pattern := []byte{0xfe, 1, 2, 3, 4, 5, 6}
			payload := bytes.Repeat(pattern, size/len(pattern)+1)[:size]
			got := 0
			s.HandleMessages(func(p []byte, binary bool) {
				if !bytes.Equal(p, payload) || !binary {
					s.SetBehavior(conformance.Failed, fmt.Sprintf("message %d: %d octets, binary %v", got, len(p), binary))
					s.Close(1000, "")
					return
				}
				if got++; got < n {
					s.SendFrame(conformance.Frame{Opcode: 2, Fin: true, Payload: pattern, RepeatLength: size})
					return
				}
				s.SetBehavior(conformance.OK, "all back")
				s.SetWireLogSilent(true)
				s.Close(1000, "")
			})
			s.SendFrame(conformance.Frame{Opcode: 2, Fin: true, Payload: pattern, RepeatLength: size})
			s.CloseAfter(20)
		},
	}
	rs, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: []*conformance.Case{c}, Budget: conformance.Budget{Events: 100, EventBytes: 64 << 10}})
	if err != nil {
		t.Fatal(err)
	}
	r := rs[0]
	if verdicts(r) != "OK/OK" || r.Result != "all back" || len(r.Received) != 0 || r.Truncated != "" || !r.CreateWirelog {
		t.Fatalf("%s %q, %d events, truncated %q, createWirelog %v", verdicts(r), r.Result, len(r.Received), r.Truncated, r.CreateWirelog)
	}
	if !strings.HasPrefix(r.Reason, "OK: all back; ") {
		t.Errorf("reason %q", r.Reason)
	}
	frames := 0
	for _, e := range r.WireLog {
		switch e.Kind {
		case conformance.WireLogging:
			t.Errorf("WLM row from the silent switch")
		case conformance.WireFrameIn, conformance.WireFrameOut:
			frames++
			if e.Opcode != 8 {
				t.Errorf("%s row of opcode %d while the wire log was off", e.Kind, e.Opcode)
			}
		}
	}
	if frames != 2 {
		t.Errorf("%d Close frame rows, want 2 (ours and the echo)", frames)
	}
}

// TestReplyBeforeLateTimer: a reply the reader got before a timer fell
// due is handled before that timer, even when the loop gets to both
// late. The case's own step keeps the loop busy past the
// close-handshake timer while the strict fixture answers the Close at
// once; with both ready, the loop once chose between them at random and
// judged a prompt reply 'peer did not respond (in time)' (seen as 8.6.2
// OK/UNCLEAN under -race on a loaded machine).
func TestReplyBeforeLateTimer(t *testing.T) {
	tg, _ := startFixture(t, fixture.None)
	var cases []*conformance.Case
	for i := range 8 {
		cases = append(cases, &conformance.Case{
			ID: fmt.Sprintf("99.%d", i+1), Description: "d", Expectation: "e", Requirements: []string{"R-7.1.1-close-tcp-cleanly"},
			Expected: map[conformance.Verdict][]conformance.Event{conformance.OK: {}},
			Close:    conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
			Open: func(s *conformance.Session) {
				s.Close(1000, "") // leaves at the end of this step
				s.ContinueLater(0, "", func() {
					time.Sleep(1300 * time.Millisecond) // past the 1 s close-handshake timer
				})
			},
		})
	}
	rs, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: cases, Parallel: len(cases)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if verdicts(r) != "OK/OK" || !r.WasClean || r.DroppedByMe {
			t.Errorf("%s: %s, clean %v, dropped %v (%s)", r.ID, verdicts(r), r.WasClean, r.DroppedByMe, r.WasNotCleanReason)
		}
	}
}
