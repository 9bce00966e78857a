package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/wskit/wskit/conformance"
)

// An Outcome is the pair of verdicts of one case.
type Outcome struct {
	Behavior      conformance.Verdict
	BehaviorClose conformance.Verdict
}

// String returns "BEHAVIOR/CLOSE", such as "NON-STRICT/OK".
func (o Outcome) String() string { return string(o.Behavior) + "/" + string(o.BehaviorClose) }

// An Expectation is what a baseline accepts for one case: one verdict per
// column, or several where the peer's outcome depends on timing (a server
// that sometimes echoes a message before it notices the violation after
// it, and sometimes not).
type Expectation struct {
	Behavior      []conformance.Verdict
	BehaviorClose []conformance.Verdict
}

// Allows reports whether o is one of the outcomes e accepts.
func (e Expectation) Allows(o Outcome) bool {
	return slices.Contains(e.Behavior, o.Behavior) && slices.Contains(e.BehaviorClose, o.BehaviorClose)
}

// String returns the accepted verdicts, alternatives joined by "|", such
// as "NON-STRICT|OK/OK".
func (e Expectation) String() string {
	join := func(vs []conformance.Verdict) string {
		s := make([]string, len(vs))
		for i, v := range vs {
			s[i] = string(v)
		}
		return strings.Join(s, "|")
	}
	return join(e.Behavior) + "/" + join(e.BehaviorClose)
}

// A Baseline is the outcomes a project has accepted for its server: a
// previous run's index.json, or a small file of expected results. A run
// is compared with it so that known NON-STRICT (or even FAILED) cases do
// not fail CI while any change does.
type Baseline struct {
	agents map[string]map[string]Expectation // agent -> case ID -> expectation
}

// ReadBaseline reads a baseline in either of two forms:
//
//   - Autobahn|Testsuite's index.json, as WriteIndexJSON (or Autobahn)
//     writes it: {"agent": {"6.4.3": {"behavior": "NON-STRICT",
//     "behaviorClose": "OK", ...}, ...}, ...}. Other keys of a case are
//     ignored.
//   - an expected-results file with no agent level: {"6.4.3":
//     {"behavior": "NON-STRICT", "behaviorClose": "OK"}, ...}, where
//     behaviorClose may be left out and then means OK, and either verdict
//     may be a list of the verdicts accepted (["OK", "NON-STRICT"]) for a
//     case whose outcome depends on timing.
//
// Verdicts must be ones this package knows.
func ReadBaseline(data []byte) (*Baseline, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("report: reading a baseline: %w", err)
	}
	type entry struct {
		Behavior      json.RawMessage `json:"behavior"`
		BehaviorClose json.RawMessage `json:"behaviorClose"`
	}
	verdicts := func(where string, raw json.RawMessage, dflt conformance.Verdict) ([]conformance.Verdict, error) {
		if raw == nil {
			return []conformance.Verdict{dflt}, nil
		}
		var list []string
		var one string
		if err := json.Unmarshal(raw, &one); err == nil {
			list = []string{one}
		} else if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
			return nil, fmt.Errorf("report: baseline %s: want a verdict or a list of verdicts", where)
		}
		out := make([]conformance.Verdict, len(list))
		for i, s := range list {
			if out[i] = conformance.Verdict(s); !slices.Contains(knownVerdicts, out[i]) {
				return nil, fmt.Errorf("report: baseline %s: unknown verdict %q", where, s)
			}
		}
		return out, nil
	}
	parse := func(where string, raw json.RawMessage) (Expectation, error) {
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil || e.Behavior == nil {
			return Expectation{}, fmt.Errorf("report: baseline %s: want an object with \"behavior\"", where)
		}
		var x Expectation
		var err error
		if x.Behavior, err = verdicts(where, e.Behavior, ""); err != nil {
			return Expectation{}, err
		}
		if x.BehaviorClose, err = verdicts(where, e.BehaviorClose, conformance.OK); err != nil {
			return Expectation{}, err
		}
		return x, nil
	}
	flat := true
	for _, raw := range top {
		var probe map[string]json.RawMessage
		if json.Unmarshal(raw, &probe) == nil {
			if _, ok := probe["behavior"]; !ok {
				flat = false
			}
		}
		break
	}
	read := func(what string, cases map[string]json.RawMessage) (map[string]Expectation, error) {
		out := map[string]Expectation{}
		for id, raw := range cases {
			x, err := parse(what+"case "+id, raw)
			if err != nil {
				return nil, err
			}
			out[id] = x
		}
		return out, nil
	}
	b := &Baseline{agents: map[string]map[string]Expectation{}}
	if flat {
		cases, err := read("", top)
		if err != nil {
			return nil, err
		}
		b.agents[""] = cases
		return b, nil
	}
	for agent, raw := range top {
		var byCase map[string]json.RawMessage
		if err := json.Unmarshal(raw, &byCase); err != nil {
			return nil, fmt.Errorf("report: baseline agent %q: want an object of cases", agent)
		}
		cases, err := read(fmt.Sprintf("agent %q, ", agent), byCase)
		if err != nil {
			return nil, err
		}
		b.agents[agent] = cases
	}
	return b, nil
}

// knownVerdicts are the verdicts a baseline may hold.
var knownVerdicts = []conformance.Verdict{
	conformance.OK, conformance.NonStrict, conformance.Informational, conformance.Unimplemented,
	conformance.Failed, conformance.WrongCode, conformance.Unclean, conformance.FailedByClient,
}

// A Difference is a case whose outcome the baseline does not accept.
type Difference struct {
	Agent, ID string
	// Want is what the baseline accepts, nil when it has no entry for the
	// case.
	Want *Expectation
	Got  Outcome
}

// String returns the difference as a line such as
// "6.4.3: NON-STRICT/OK -> FAILED/OK".
func (d Difference) String() string {
	want := "(not in the baseline)"
	if d.Want != nil {
		want = d.Want.String()
	}
	return d.ID + ": " + want + " -> " + d.Got.String()
}

// Compare returns the results whose outcome the baseline does not
// accept, in report order. A result is compared with the baseline's cases
// for its agent or, when the baseline has only one agent (or none, in the
// expected-results form), with those whatever its agent is called: agent
// names often carry an address that changes from run to run. Cases the
// baseline has and the run did not run are not differences, so a run of
// some cases compares with the baseline of a full run.
func (b *Baseline) Compare(results []*conformance.Result) []Difference {
	rs := make([]*conformance.Result, 0, len(results))
	for _, r := range results {
		if r != nil {
			rs = append(rs, r)
		}
	}
	sortResults(rs)
	var only map[string]Expectation
	if len(b.agents) == 1 {
		for _, cases := range b.agents {
			only = cases
		}
	}
	var out []Difference
	for _, r := range rs {
		cases, ok := b.agents[r.Agent]
		if !ok {
			cases = only
		}
		got := Outcome{r.Behavior, r.BehaviorClose}
		want, ok := cases[r.ID]
		switch {
		case !ok:
			out = append(out, Difference{Agent: r.Agent, ID: r.ID, Got: got})
		case !want.Allows(got):
			out = append(out, Difference{Agent: r.Agent, ID: r.ID, Want: &want, Got: got})
		}
	}
	return out
}
