package autobahn_test

import (
	"context"
	"testing"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/internal/fixture"
)

// runFlawed runs the cases named by the keys of want, all at once,
// against a fixture server with the flaw, and returns the results by ID.
func runFlawed(t *testing.T, flaw fixture.Flaw, want map[string]string) map[string]*conformance.Result {
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
	var ids []string
	for id := range want {
		ids = append(ids, id)
	}
	cases, err := autobahn.Select(ids, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: cases, Parallel: len(cases)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*conformance.Result{}
	for _, r := range res {
		got[r.ID] = r
	}
	return got
}

// checkVerdicts checks that every case of want got its behavior/close
// behavior pair, with the texts that explain it.
func checkVerdicts(t *testing.T, got map[string]*conformance.Result, want map[string]string) {
	t.Helper()
	for id, w := range want {
		r := got[id]
		if r == nil {
			t.Errorf("%s: no result", id)
			continue
		}
		if v := string(r.Behavior) + "/" + string(r.BehaviorClose); v != w {
			t.Errorf("%s: %s, want %s (%s; %s)", id, v, w, r.Result, r.Reason)
		}
		if r.Reason == "" || r.Result == "" || r.ResultClose == "" {
			t.Errorf("%s: verdict texts missing: %q %q %q", id, r.Reason, r.Result, r.ResultClose)
		}
	}
}

// TestVerdictsAgainstFlawedServers runs cases against fixture servers with
// one deliberate bug each and checks the runner reports it: the verdict
// logic is itself under test.
func TestVerdictsAgainstFlawedServers(t *testing.T) {
	tests := []struct {
		name string
		flaw fixture.Flaw
		want map[string]string // case ID -> behavior/behaviorClose
	}{
		{"strict", fixture.None, map[string]string{
			"1.1.1": "OK/OK", "2.1": "OK/OK", "3.1": "OK/OK", "3.2": "OK/OK", "5.15": "OK/OK",
			"6.3.1": "OK/OK", "6.4.1": "OK/OK", "6.4.3": "NON-STRICT/OK", "7.7.1": "OK/OK",
			"7.9.1": "OK/OK", "7.1.6": "INFORMATIONAL/INFORMATIONAL", "7.13.1": "INFORMATIONAL/INFORMATIONAL",
			"9.1.1": "OK/OK", "9.2.2": "OK/OK", "9.4.8": "OK/OK", "9.6.6": "OK/OK", "9.7.1": "OK/OK", "9.8.6": "OK/OK",
		}},
		// A server whose message limit (64 KiB) is below what category 9
		// sends fails the connection with 1009: the echo never comes.
		{"64 KiB message limit", fixture.SmallLimit, map[string]string{
			"9.1.1": "OK/OK", "9.1.2": "FAILED/FAILED", "9.3.9": "FAILED/FAILED", "9.6.6": "FAILED/FAILED", "9.8.6": "OK/OK",
		}},
		// Unrequested messages are judged by the category-9 cases
		// themselves, as wrong lengths.
		{"message flood", fixture.MessageFlood, map[string]string{
			"9.7.1": "FAILED/OK", "9.8.1": "FAILED/OK",
		}},
		{"swaps text and binary", fixture.SwapsType, map[string]string{
			"9.1.1": "FAILED/OK", "9.3.8": "FAILED/OK", "9.4.2": "FAILED/OK", "9.5.6": "FAILED/OK", "9.7.1": "FAILED/OK", "9.8.1": "FAILED/OK",
		}},
		{"no UTF-8 check", fixture.NoUTF8, map[string]string{
			"6.3.1": "FAILED/FAILED", "6.12.1": "FAILED/FAILED", "6.2.1": "OK/OK",
		}},
		{"UTF-8 checked at message end", fixture.UTF8AtEnd, map[string]string{
			"6.4.1": "NON-STRICT/OK", "6.4.2": "NON-STRICT/OK", "6.3.1": "OK/OK",
		}},
		{"no pong", fixture.NoPong, map[string]string{
			"2.1": "FAILED/OK", "5.6": "FAILED/OK", "1.1.1": "OK/OK", "9.1.1": "OK/OK",
		}},
		{"accepts RSV", fixture.AcceptRSV, map[string]string{
			"3.1": "FAILED/FAILED", "3.5": "FAILED/FAILED",
		}},
		{"wrong close code", fixture.WrongCode, map[string]string{
			"7.7.1": "FAILED/WRONG CODE", "1.1.1": "OK/WRONG CODE", "3.1": "OK/WRONG CODE",
		}},
		// The server answers the runner's Close but keeps TCP open: the
		// runner waits a second, then drops it. Where the case's own
		// killAfter timer fires first, that drop is the runner's
		// (FAILED BY CLIENT); otherwise the drop timeout makes the
		// close unclean.
		{"never closes TCP", fixture.NeverCloses, map[string]string{
			"1.1.1": "OK/FAILED BY CLIENT", "7.7.1": "OK/FAILED BY CLIENT", "2.1": "OK/UNCLEAN",
		}},
		// Dropping TCP instead of sending a Close is an acceptable way
		// to fail the connection (R-10.7-drop), but not to close it.
		{"drops TCP", fixture.DropsTCP, map[string]string{
			"1.1.1": "OK/UNCLEAN", "3.1": "OK/OK", "7.3.1": "OK/UNCLEAN",
		}},
		{"hangs", fixture.Hangs, map[string]string{
			"1.1.1": "FAILED/UNCLEAN", "3.1": "OK/FAILED", "6.3.1": "FAILED/FAILED",
		}},
		{"fails before echoing", fixture.FailFirst, map[string]string{
			"3.2": "NON-STRICT/OK", "4.1.3": "NON-STRICT/OK", "5.15": "NON-STRICT/OK",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkVerdicts(t, runFlawed(t, tt.flaw, tt.want), tt.want)
		})
	}
}

// TestLimitsResultTexts checks category 9's own result texts, which are
// Autobahn's exactly (autobahn.md section 3.8).
func TestLimitsResultTexts(t *testing.T) {
	tests := []struct {
		flaw fixture.Flaw
		want map[string]string // case ID -> result
	}{
		{fixture.None, map[string]string{
			"9.1.1": "Received text message of length 65536.",
			"9.2.1": "Received binary message of length 65536.",
			"9.4.9": "Received binary message of length 4194304.",
			"9.7.1": "Ok, received all echo'ed messages in time.",
		}},
		{fixture.SmallLimit, map[string]string{
			"9.1.2": "Did not receive message within 10 seconds.",
			"9.3.8": "Did not receive message within 100 seconds.",
		}},
		{fixture.MessageFlood, map[string]string{
			"9.7.2": "Echo'ed message type or length differs from what I sent (got binary = False, payload length = 1024).",
		}},
		{fixture.SwapsType, map[string]string{
			"9.1.1": "Expected text message with payload, but got binary.",
			"9.4.2": "Expected binary message with payload, but got binary.", // sic, as Autobahn
			// The binary pattern of 9.2 is not UTF-8: echoed as text, the
			// runner fails the connection (1007) before any message.
			"9.2.1": "Did not receive message within 10 seconds.",
			"9.7.1": "Echo'ed message type or length differs from what I sent (got binary = True, payload length = 0).",
			"9.8.1": "Echo'ed message type or length differs from what I sent (got binary = False, payload length = 0).",
		}},
	}
	for _, tt := range tests {
		for _, r := range runFlawed(t, tt.flaw, tt.want) {
			if r.Result != tt.want[r.ID] {
				t.Errorf("flaw %d, %s: result %q, want %q", tt.flaw, r.ID, r.Result, tt.want[r.ID])
			}
			if !r.ReportTime || len(r.Expected) != 0 || r.Expected == nil {
				t.Errorf("%s: reportTime %v, expected %v", r.ID, r.ReportTime, r.Expected)
			}
		}
	}
}
