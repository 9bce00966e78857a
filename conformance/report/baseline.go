package report

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/wskit/wskit/conformance"
)

// An Outcome is the pair of verdicts of one case.
type Outcome struct {
	Behavior      conformance.Verdict
	BehaviorClose conformance.Verdict
}

// String returns "BEHAVIOR/CLOSE", such as "NON-STRICT/OK".
func (o Outcome) String() string { return string(o.Behavior) + "/" + string(o.BehaviorClose) }

// A Baseline is the outcomes a project has accepted for its server: a
// previous run's index.json, or a small file of expected results. A run
// is compared with it so that known NON-STRICT (or even FAILED) cases do
// not fail CI while any change does.
type Baseline struct {
	agents map[string]map[string]Outcome // agent -> case ID -> outcome
}

// ReadBaseline reads a baseline in either of two forms:
//
//   - Autobahn|Testsuite's index.json, as WriteIndexJSON (or Autobahn)
//     writes it: {"agent": {"6.4.3": {"behavior": "NON-STRICT",
//     "behaviorClose": "OK", ...}, ...}, ...}. Other keys of a case are
//     ignored.
//   - an expected-results file with no agent level: {"6.4.3":
//     {"behavior": "NON-STRICT", "behaviorClose": "OK"}, ...}, where
//     behaviorClose may be left out and then means OK.
//
// Verdicts must be ones this package knows.
func ReadBaseline(data []byte) (*Baseline, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("report: reading a baseline: %w", err)
	}
	type entry struct {
		Behavior      *string `json:"behavior"`
		BehaviorClose *string `json:"behaviorClose"`
	}
	parse := func(where string, raw json.RawMessage) (Outcome, error) {
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil || e.Behavior == nil {
			return Outcome{}, fmt.Errorf("report: baseline %s: want an object with \"behavior\"", where)
		}
		o := Outcome{Behavior: conformance.Verdict(*e.Behavior), BehaviorClose: conformance.OK}
		if e.BehaviorClose != nil {
			o.BehaviorClose = conformance.Verdict(*e.BehaviorClose)
		}
		for _, v := range []conformance.Verdict{o.Behavior, o.BehaviorClose} {
			if !slices.Contains(knownVerdicts, v) {
				return Outcome{}, fmt.Errorf("report: baseline %s: unknown verdict %q", where, v)
			}
		}
		return o, nil
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
	b := &Baseline{agents: map[string]map[string]Outcome{}}
	if flat {
		cases := map[string]Outcome{}
		for id, raw := range top {
			o, err := parse("case "+id, raw)
			if err != nil {
				return nil, err
			}
			cases[id] = o
		}
		b.agents[""] = cases
		return b, nil
	}
	for agent, raw := range top {
		var byCase map[string]json.RawMessage
		if err := json.Unmarshal(raw, &byCase); err != nil {
			return nil, fmt.Errorf("report: baseline agent %q: want an object of cases", agent)
		}
		cases := map[string]Outcome{}
		for id, raw := range byCase {
			o, err := parse(fmt.Sprintf("agent %q, case %s", agent, id), raw)
			if err != nil {
				return nil, err
			}
			cases[id] = o
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

// A Difference is a case whose outcome differs from the baseline's.
type Difference struct {
	Agent, ID string
	// Want is the baseline's outcome, nil when the baseline has no entry
	// for the case.
	Want *Outcome
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

// Compare returns the results whose outcome differs from the baseline, in
// report order. A result is compared with the baseline's cases for its
// agent or, when the baseline has only one agent (or none, in the
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
	var only map[string]Outcome
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
		case want != got:
			out = append(out, Difference{Agent: r.Agent, ID: r.ID, Want: &want, Got: got})
		}
	}
	return out
}
