package conformance

import (
	"fmt"
	"slices"
	"strings"
)

// A Policy is the set of verdicts that fail a run: a case fails when its
// Behavior or its BehaviorClose is in the set, or is a verdict this
// package does not know. Summaries, JUnit reports and the exit status of
// "wskit conform" all apply one Policy.
//
// FAILED and INFORMATIONAL in a policy cover both columns; the other
// verdicts belong to one column each (NON-STRICT and UNIMPLEMENTED to
// Behavior; WRONG CODE, UNCLEAN and FAILED BY CLIENT to BehaviorClose),
// and in the other column fail like an unknown verdict. OK never fails.
type Policy struct {
	fail []Verdict // sorted, no duplicates
}

// DefaultPolicy fails a case whose behaviour is FAILED, and one whose
// close behaviour breaks a MUST of RFC 6455: UNCLEAN (the peer never
// answered the runner's Close, R-5.5.1-echo-close, or never closed the
// connection) and WRONG CODE (R-7.4-invalid-recv). FAILED BY CLIENT (the
// runner had to close TCP after a completed closing handshake) breaks
// only a SHOULD (R-7.1.1-close-tcp-cleanly) and does not fail.
var DefaultPolicy = NewPolicy(Failed, Unclean, WrongCode)

// AutobahnPolicy fails only on FAILED, which is how Autobahn|Testsuite's
// reports and most scripts that read them judge a run.
var AutobahnPolicy = NewPolicy(Failed)

// policyVerdicts are the verdicts a Policy may name, in report order.
var policyVerdicts = []Verdict{Failed, NonStrict, Informational, Unimplemented, WrongCode, Unclean, FailedByClient}

// NewPolicy returns the policy that fails on the given verdicts.
func NewPolicy(fail ...Verdict) Policy {
	p := Policy{fail: slices.Clone(fail)}
	slices.Sort(p.fail)
	p.fail = slices.Compact(p.fail)
	return p
}

// ParsePolicy reads a comma-separated list of verdicts, such as
// "FAILED,NON-STRICT" or "failed, wrong code, unclean". Case does not
// matter, and a dash or underscore may stand for a space
// ("FAILED-BY-CLIENT"). OK and an empty list are errors: a policy that
// fails nothing is not a gate.
func ParsePolicy(list string) (Policy, error) {
	var fail []Verdict
	for item := range strings.SplitSeq(list, ",") {
		name := strings.ToUpper(strings.TrimSpace(item))
		name = strings.NewReplacer("-", " ", "_", " ").Replace(name)
		if name == "NON STRICT" {
			name = string(NonStrict)
		}
		if name == "" {
			continue
		}
		if !slices.Contains(policyVerdicts, Verdict(name)) {
			names := make([]string, len(policyVerdicts))
			for i, v := range policyVerdicts {
				names[i] = string(v)
			}
			return Policy{}, fmt.Errorf("unknown verdict %q: use %s", strings.TrimSpace(item), strings.Join(names, ", "))
		}
		fail = append(fail, Verdict(name))
	}
	if len(fail) == 0 {
		return Policy{}, fmt.Errorf("the verdict list %q names no verdict", list)
	}
	return NewPolicy(fail...), nil
}

// Fails reports whether r fails the run under p.
func (p Policy) Fails(r *Result) bool { return p.Why(r) != "" }

// Why says why r fails the run under p, such as "behaviour FAILED" or
// "close UNCLEAN", or returns "" when it does not.
func (p Policy) Why(r *Result) string {
	var why []string
	if p.failsOn(r.Behavior, behaviorColumn) {
		why = append(why, "behaviour "+string(r.Behavior))
	}
	if p.failsOn(r.BehaviorClose, closeColumn) {
		why = append(why, "close "+string(r.BehaviorClose))
	}
	return strings.Join(why, ", ")
}

// The two verdict columns of a Result.
const (
	behaviorColumn = iota
	closeColumn
)

func (p Policy) failsOn(v Verdict, column int) bool {
	switch {
	case v == OK:
		return false
	case v == Failed, v == Informational:
		return slices.Contains(p.fail, v)
	case column == behaviorColumn && (v == NonStrict || v == Unimplemented):
		return slices.Contains(p.fail, v)
	case column == closeColumn && v.IsCloseProblem():
		return slices.Contains(p.fail, v)
	}
	// A verdict this package does not know, or one of the other column,
	// never passes.
	return true
}

// Verdicts returns the verdicts p fails on.
func (p Policy) Verdicts() []Verdict { return slices.Clone(p.fail) }

// String returns the verdicts p fails on as ParsePolicy reads them.
func (p Policy) String() string {
	names := make([]string, len(p.fail))
	for i, v := range p.fail {
		names[i] = string(v)
	}
	return strings.Join(names, ",")
}
