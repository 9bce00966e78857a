package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/report/internal/pyjson"
)

// WriteSummary writes the summary of a run for a terminal: per agent, a
// table with a row per category (number, name, cases, OK, NON-STRICT,
// INFORMATIONAL, UNIMPLEMENTED, FAILED, close problems) and a total row;
// then one line per case that fails the run under p, with its ID, both
// verdicts, why it fails and its reason; then one line per case with a
// close problem (WRONG CODE, UNCLEAN, FAILED BY CLIENT).
//
// A failing case is counted only in the FAILED column; any other case is
// counted by its Behavior. Close problems are counted in their own column
// besides. nil results are skipped.
func WriteSummary(w io.Writer, results []*conformance.Result, p conformance.Policy) error {
	rs := make([]*conformance.Result, 0, len(results))
	for _, r := range results {
		if r != nil {
			rs = append(rs, r)
		}
	}
	sortResults(rs)
	ew := &errWriter{w: w}
	if len(rs) == 0 {
		fmt.Fprintln(ew, "no cases ran")
		return ew.err
	}
	for i, run := range splitAgents(rs) {
		if i > 0 {
			fmt.Fprintln(ew)
		}
		fmt.Fprintf(ew, "agent %s\n", pyjson.Display(run[0].Agent))
		tallyTable(ew, splitCategories(run), p)

		var failed, problems []*conformance.Result
		for _, r := range run {
			if p.Fails(r) {
				failed = append(failed, r)
			}
			if r.BehaviorClose.IsCloseProblem() {
				problems = append(problems, r)
			}
		}
		if len(failed) > 0 {
			fmt.Fprintf(ew, "\nfailing the run under fail-on %s (%d):\n", p, len(failed))
			for _, r := range failed {
				fmt.Fprintf(ew, "  %s %s/%s (%s): %s\n", r.ID, r.Behavior, r.BehaviorClose, p.Why(r), Reason(r))
			}
		}
		if len(problems) > 0 {
			fmt.Fprintf(ew, "\nclose problems (%d):\n", len(problems))
			for _, r := range problems {
				fmt.Fprintf(ew, "  %s %s/%s: %s\n", r.ID, r.Behavior, r.BehaviorClose, pyjson.DisplayRaw(r.ResultClose))
			}
		}
	}
	return ew.err
}

// Reason returns r's reason on one printable line (control characters
// and bytes that are not UTF-8 escaped), falling back on Autobahn's result
// texts when r has none.
func Reason(r *conformance.Result) string {
	if r.Reason != "" {
		return pyjson.DisplayRaw(r.Reason)
	}
	if r.Behavior == conformance.Failed || r.ResultClose == "" {
		return pyjson.DisplayRaw(r.Result)
	}
	return pyjson.DisplayRaw(r.ResultClose)
}

// tallyColumns are the count columns of a summary table.
var tallyColumns = []string{"cases", "OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED", "close problems"}

// tallyTable writes the summary table of one agent's categories and
// a total row. Names are left aligned, counts right aligned under their
// headings, each column as wide as its widest cell.
func tallyTable(w io.Writer, cats []category, p conformance.Policy) {
	type row struct {
		id, name string
		counts   []int
	}
	counts := func(t Tally) []int {
		return []int{t.Cases, t.OK, t.NonStrict, t.Informational, t.Unimplemented, t.Failed, t.CloseProblems}
	}
	var rows []row
	var total Tally
	for _, c := range cats {
		var t Tally
		for _, r := range c.Results {
			t.Add(r, p)
			total.Add(r, p)
		}
		rows = append(rows, row{c.ID, c.Name, counts(t)})
	}
	rows = append(rows, row{"total", "", counts(total)})

	idWidth, nameWidth := len("category"), len("name")
	widths := make([]int, len(tallyColumns))
	for i, h := range tallyColumns {
		widths[i] = len(h)
	}
	for _, r := range rows {
		idWidth, nameWidth = max(idWidth, len(r.id)), max(nameWidth, len(r.name))
		for i, n := range r.counts {
			widths[i] = max(widths[i], len(strconv.Itoa(n)))
		}
	}
	fmt.Fprintf(w, "%-*s  %-*s", idWidth, "category", nameWidth, "name")
	for i, h := range tallyColumns {
		fmt.Fprintf(w, "  %*s", widths[i], h)
	}
	fmt.Fprintln(w)
	for _, r := range rows {
		fmt.Fprintf(w, "%-*s  %-*s", idWidth, r.id, nameWidth, r.name)
		for i, n := range r.counts {
			fmt.Fprintf(w, "  %*d", widths[i], n)
		}
		fmt.Fprintln(w)
	}
}

// errWriter keeps the first write error and drops later writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
