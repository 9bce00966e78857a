package autobahn_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/internal/fixture"
)

// TestRulesCatalogue pins category 8, wskit's own: its cases, numbered
// after Autobahn's 517, and its sub-categories.
func TestRulesCatalogue(t *testing.T) {
	cases, err := autobahn.Select([]string{"8"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sub := map[string]int{}
	for _, c := range cases {
		sub[autobahn.SubcategoryOf(c.ID)]++
		if c.Index <= 517 {
			t.Errorf("%s has number %d, inside Autobahn's numbering", c.ID, c.Index)
		}
		if c.Judge == nil && len(c.Expected) == 0 {
			t.Errorf("%s neither lists events nor judges", c.ID)
		}
	}
	want := map[string]int{"8.1": 5, "8.2": 2, "8.3": 5, "8.4": 2, "8.5": 1, "8.6": 2, "8.7": 2}
	for s, n := range want {
		if sub[s] != n {
			t.Errorf("sub-category %s has %d cases, want %d", s, sub[s], n)
		}
	}
	if len(cases) != 19 || len(sub) != len(want) {
		t.Errorf("%d cases in %d sub-categories, want 19 in %d", len(cases), len(sub), len(want))
	}
}

// TestRulesVerdicts runs category 8 against fixture servers with one
// deliberate bug each: every verdict a case can give besides OK is shown
// to be given where it belongs.
func TestRulesVerdicts(t *testing.T) {
	tests := []struct {
		name string
		flaw fixture.Flaw
		want map[string]string // case ID -> behavior/behaviorClose
	}{
		{"strict", fixture.None, map[string]string{
			"8.1.1": "OK/OK", "8.1.2": "OK/OK", "8.1.3": "OK/OK", "8.1.4": "OK/OK", "8.1.5": "OK/OK",
			"8.2.1": "OK/OK", "8.2.2": "OK/OK", "8.3.1": "OK/OK", "8.3.2": "OK/OK", "8.3.3": "OK/OK",
			"8.3.4": "OK/OK", "8.3.5": "OK/OK", "8.4.1": "OK/OK", "8.4.2": "INFORMATIONAL/INFORMATIONAL",
			"8.5.1": "OK/OK", "8.6.1": "OK/OK", "8.6.2": "OK/OK", "8.7.1": "OK/OK", "8.7.2": "OK/OK",
		}},
		{"accepts unmasked frames", fixture.AcceptUnmasked, map[string]string{
			"8.1.1": "FAILED/FAILED", "8.1.2": "OK/OK",
		}},
		{"accepts non-minimal lengths", fixture.AcceptNonMinimal, map[string]string{
			"8.1.2": "NON-STRICT/OK", "8.1.3": "NON-STRICT/OK", "8.1.4": "NON-STRICT/OK", "8.1.5": "OK/OK",
		}},
		{"echoes any close code", fixture.LaxCloseCodes, map[string]string{
			"8.3.1": "OK/OK", "8.3.4": "FAILED/WRONG CODE", "8.3.5": "FAILED/WRONG CODE",
		}},
		{"refuses 1012-1014", fixture.OldCloseCodes, map[string]string{
			"8.3.1": "FAILED/WRONG CODE", "8.3.2": "FAILED/WRONG CODE", "8.3.3": "FAILED/WRONG CODE", "8.3.4": "OK/OK",
		}},
		// Waiting for a payload of 2^63-1 octets is the server's right
		// (it may time out later); waiting after a top-bit length is not.
		{"waits for any payload", fixture.HangsOnHugeLength, map[string]string{
			"8.1.5": "FAILED/FAILED", "8.2.1": "INFORMATIONAL/INFORMATIONAL", "8.2.2": "INFORMATIONAL/INFORMATIONAL",
		}},
		// Each case kills the server: one server each.
		{"dies at a top-bit length", fixture.DiesOnHugeLength, map[string]string{"8.1.5": "FAILED/FAILED"}},
		{"dies at 2^63-1", fixture.DiesOnHugeLength, map[string]string{"8.2.1": "FAILED/FAILED"}},
		{"dies at 1 TiB", fixture.DiesOnHugeLength, map[string]string{"8.2.2": "FAILED/FAILED"}},
		{"dies at 64 MiB", fixture.DiesOnHugeLength, map[string]string{"8.4.2": "FAILED/FAILED"}},
		// Dropping TCP is a way to fail the connection, but the Close
		// with its code is preferred where a rule names one.
		{"drops TCP", fixture.DropsTCP, map[string]string{
			"8.1.1": "OK/OK", "8.1.5": "NON-STRICT/OK", "8.2.1": "NON-STRICT/OK", "8.4.1": "OK/OK", "8.7.1": "OK/OK",
		}},
		{"no fragment limit", fixture.NoFragmentLimit, map[string]string{"8.4.1": "INFORMATIONAL/OK"}},
		{"small message limit", fixture.SmallLimit, map[string]string{"8.4.2": "INFORMATIONAL/INFORMATIONAL"}},
		{"judges whole headers only", fixture.LateHeaderCheck, map[string]string{
			"8.7.1": "NON-STRICT/OK", "8.7.2": "NON-STRICT/OK", "8.1.1": "OK/OK",
		}},
		{"accepts RSV", fixture.AcceptRSV, map[string]string{"8.7.2": "FAILED/FAILED", "8.7.1": "OK/OK"}},
		{"hangs", fixture.Hangs, map[string]string{
			"8.7.1": "FAILED/FAILED", "8.1.1": "FAILED/FAILED", "8.1.2": "FAILED/FAILED", "8.1.5": "FAILED/FAILED", "8.2.1": "INFORMATIONAL/INFORMATIONAL",
		}},
		{"pong held to the message's end", fixture.DefersPong, map[string]string{"8.5.1": "NON-STRICT/OK"}},
		{"no pong", fixture.NoPong, map[string]string{"8.5.1": "FAILED/OK"}},
		{"echoes after the Close", fixture.EchoesAfterClose, map[string]string{"8.6.1": "FAILED/OK", "8.6.2": "OK/OK"}},
		// Failing with the right Close but leaving TCP open for the
		// runner to drop: the rule is kept, and the testee is not taken
		// for one that never failed the connection; the close is
		// unclean where the case's judge rules (8.1.5,
		// R-7.1.1-close-tcp-cleanly), and FAILED BY CLIENT where the
		// standard evaluation stands and the case's timer dropped it
		// (8.1.1, 8.2.1), as in TestVerdictsAgainstFlawedServers.
		{"never closes TCP", fixture.NeverCloses, map[string]string{
			"8.1.5": "OK/UNCLEAN", "8.2.1": "OK/FAILED BY CLIENT", "8.1.1": "OK/FAILED BY CLIENT",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkVerdicts(t, runFlawed(t, tt.flaw, tt.want), tt.want)
		})
	}
}

// TestRulesResultTexts checks the texts that carry what a case observed:
// the close code of 8.4.2, the probe of a dead server.
func TestRulesResultTexts(t *testing.T) {
	tests := []struct {
		flaw fixture.Flaw
		id   string
		want string // in Result
	}{
		{fixture.None, "8.4.2", "with 1009"},
		{fixture.SmallLimit, "8.4.2", "with 1009"},
		{fixture.NoFragmentLimit, "8.4.1", "echoed a text message of length 1"},
		{fixture.DiesOnHugeLength, "8.2.1", "no longer completes an opening handshake"},
		{fixture.HangsOnHugeLength, "8.2.1", "still waiting"},
	}
	for _, tt := range tests {
		r := runFlawed(t, tt.flaw, map[string]string{tt.id: ""})[tt.id]
		if !strings.Contains(r.Result, tt.want) {
			t.Errorf("flaw %d, %s: result %q, want it to contain %q", tt.flaw, tt.id, r.Result, tt.want)
		}
	}
}

// TestRulesProbeAsServer checks that a case that probes the server
// survives a session with no server to probe (the runner as the server).
func TestRulesProbeAsServer(t *testing.T) {
	if err := (&conformance.Session{}).ProbeServer(); err != conformance.ErrNoProbe {
		t.Errorf("ProbeServer without a target = %v, want ErrNoProbe", err)
	}
}

// TestRulesAgainstClients: every case of category 8 runs against clients
// with the same ID; 8.1.1's form sends a masked frame, which a client
// must refuse (R-5.1-client-rejects-masked); the others are the same
// case, whose script sends its frames as the runner's role asks.
func TestRulesAgainstClients(t *testing.T) {
	cases, err := autobahn.Select([]string{"8"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		v, ok := c.AgainstClients()
		switch {
		case !ok || v.ID != c.ID || v.Open == nil || v.Reply != nil:
			t.Errorf("%s: form against clients %v %+v", c.ID, ok, v)
		case c.ID == "8.1.1" && (v == c || !slices.Contains(v.Requirements, "R-5.1-client-rejects-masked")):
			t.Errorf("8.1.1 against clients: %+v", v)
		case c.ID != "8.1.1" && v != c:
			t.Errorf("%s: a form of its own against clients", c.ID)
		}
	}
}
