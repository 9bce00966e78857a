package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/conformance"
)

func TestBaselineFromIndexJSON(t *testing.T) {
	// A baseline written by WriteIndexJSON compares equal with the same
	// results, and reports each changed verdict.
	rs := repResults()
	var index bytes.Buffer
	if err := WriteIndexJSON(&index, rs); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(index.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if d := b.Compare(rs); len(d) != 0 {
		t.Fatalf("same results: differences %v", d)
	}
	changed := *rs[0]
	changed.Behavior = conformance.Failed
	got := b.Compare([]*conformance.Result{&changed})
	want := []Difference{{Agent: changed.Agent, ID: changed.ID, Want: &Expectation{[]conformance.Verdict{rs[0].Behavior}, []conformance.Verdict{rs[0].BehaviorClose}}, Got: Outcome{conformance.Failed, rs[0].BehaviorClose}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// An agent the baseline does not have, with two agents in it: every
	// case is a difference.
	stranger := *rs[0]
	stranger.Agent = "someone else"
	if d := b.Compare([]*conformance.Result{&stranger}); len(d) != 1 || d[0].Want != nil {
		t.Errorf("unknown agent: %v", d)
	}
}

func TestBaselineExpectedResults(t *testing.T) {
	b, err := ReadBaseline([]byte(`{"6.4.3": {"behavior": "NON-STRICT"}, "7.1.1": {"behavior": "OK", "behaviorClose": "UNCLEAN"}, "4.1.3": {"behavior": ["OK", "NON-STRICT"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	rs := []*conformance.Result{
		{Agent: "127.0.0.1:41234", ID: "6.4.3", Behavior: conformance.Failed, BehaviorClose: conformance.OK},
		{Agent: "127.0.0.1:41234", ID: "7.1.1", Behavior: conformance.OK, BehaviorClose: conformance.Unclean},
		{Agent: "127.0.0.1:41234", ID: "1.1.1", Behavior: conformance.OK, BehaviorClose: conformance.OK},
		{Agent: "127.0.0.1:41234", ID: "4.1.3", Behavior: conformance.NonStrict, BehaviorClose: conformance.OK}, // one of the two accepted
	}
	var lines []string
	for _, d := range b.Compare(rs) {
		lines = append(lines, d.String())
	}
	want := []string{"1.1.1: (not in the baseline) -> OK/OK", "6.4.3: NON-STRICT/OK -> FAILED/OK"}
	if x := (Expectation{[]conformance.Verdict{conformance.OK, conformance.NonStrict}, []conformance.Verdict{conformance.OK}}); x.String() != "OK|NON-STRICT/OK" {
		t.Errorf("Expectation.String() = %q", x.String())
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadBaselineErrors(t *testing.T) {
	for _, bad := range []string{
		``, `[]`, `{"6.4.3": {"behavior": "MAYBE"}}`, `{"a": {"1.1.1": {"behaviorClose": "OK"}}}`,
		`{"a": {"1.1.1": {"behavior": "OK", "behaviorClose": "SORT OF"}}}`, `{"a": 3}`,
		`{"1.1.1": {"behavior": []}}`, `{"1.1.1": {"behavior": ["OK", "MAYBE"]}}`, `{"1.1.1": {"behavior": 3}}`,
	} {
		if _, err := ReadBaseline([]byte(bad)); err == nil {
			t.Errorf("ReadBaseline(%q) accepted", bad)
		} else if !strings.HasPrefix(err.Error(), "report: ") {
			t.Errorf("ReadBaseline(%q): %v", bad, err)
		}
	}
}
