package interop

import "testing"

// TestTable runs the whole table. It fails only when wskit's own row does
// not conform everywhere or a driver fails a baseline vector (a broken
// driver); the other libraries' verdicts are data, not failures.
func TestTable(t *testing.T) {
	rep, err := Run(Libraries())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems("wskit") {
		t.Error(p)
	}
	for _, s := range rep.Summaries() {
		t.Logf("%-8s baseline %d/%d, valid %d/%d, rules enforced %d/%d, MUSTs broken %d",
			s.Library, s.BaselinePassed, s.Baseline, s.ValidPassed, s.Valid, s.Enforced, s.Rules, len(s.MustsBroken))
	}
	t.Logf("%d results in %v", len(rep.Results), rep.Elapsed)
}
