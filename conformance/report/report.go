package report

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
)

// WriteReports creates dir (and its parents) if needed and writes the
// reports of a run into it:
//
//   - index.json, Autobahn|Testsuite's master summary (see WriteIndexJSON);
//   - one Autobahn per-case report per result, named by CaseReportFile
//     (see WriteCaseJSON);
//   - index.html, a self-contained page with a colour grid and a detail
//     view per case (see WriteHTML);
//   - junit.xml, for CI systems (see WriteJUnit).
//
// results may hold several agents; nil entries are skipped. Two results
// for the same agent and case ID, or two agents whose names give the same
// file prefix, are an error and nothing is written. Existing files of the
// same names are replaced; other files in dir are left alone.
func WriteReports(dir string, results []*conformance.Result, p conformance.Policy) error {
	results, err := checkResults(results)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	write := func(name string, fn func(io.Writer) error) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		err = fn(w)
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	for _, r := range results {
		err := write(CaseReportFile(r.Agent, r.ID), func(w io.Writer) error { return WriteCaseJSON(w, r) })
		if err != nil {
			return err
		}
	}
	writers := []struct {
		name string
		fn   func(io.Writer, []*conformance.Result, conformance.Policy) error
	}{
		{"index.json", func(w io.Writer, rs []*conformance.Result, _ conformance.Policy) error { return WriteIndexJSON(w, rs) }},
		{"index.html", WriteHTML},
		{"junit.xml", WriteJUnit},
	}
	for _, wr := range writers {
		if err := write(wr.name, func(w io.Writer) error { return wr.fn(w, results, p) }); err != nil {
			return err
		}
	}
	return nil
}

// CaseReportFile returns the name of the per-case JSON report of a case
// run against agent: Autobahn|Testsuite's file prefix of the agent, then
// "_case_" and the case ID with its dots turned into underscores, then
// ".json". "gws/client@v1.8.0" and "6.4.1" give
// "gws_client_v1_8_0_case_6_4_1.json".
//
// The prefix follows Autobahn's cleanForFilename: the agent name with its
// ASCII letters in lower case and every character other than a-z and 0-9
// (each character, not each byte) turned into a blank; blanks at either
// end are trimmed and the rest become underscores.
func CaseReportFile(agent, id string) string {
	return filePrefix(agent) + "_case_" + strings.ReplaceAll(id, ".", "_") + ".json"
}

// filePrefix returns Autobahn's file prefix of an agent name.
func filePrefix(agent string) string {
	var b strings.Builder
	for _, c := range strings.TrimSpace(agent) {
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteRune(c + 'a' - 'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteRune(c)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.ReplaceAll(strings.Trim(b.String(), " "), " ", "_")
}

// checkResults returns the non-nil results in report order (agent, then
// case ID by compareIDs) and refuses what would make reports
// overwrite each other: two results for one agent and case, or two agents
// with one file prefix.
func checkResults(results []*conformance.Result) ([]*conformance.Result, error) {
	out := make([]*conformance.Result, 0, len(results))
	for _, r := range results {
		if r != nil {
			out = append(out, r)
		}
	}
	sortResults(out)
	prefixes := map[string]string{}
	for i, r := range out {
		if i > 0 && out[i-1].Agent == r.Agent && out[i-1].ID == r.ID {
			return nil, fmt.Errorf("report: two results for agent %q, case %s", r.Agent, r.ID)
		}
		p := filePrefix(r.Agent)
		if other, ok := prefixes[p]; ok && other != r.Agent {
			return nil, fmt.Errorf("report: agents %q and %q have the same report file prefix %q", other, r.Agent, p)
		}
		prefixes[p] = r.Agent
	}
	return out, nil
}

// sortResults sorts results by agent name, then by case ID in numeric
// order.
func sortResults(results []*conformance.Result) {
	sort.SliceStable(results, func(i, j int) bool {
		a, b := results[i], results[j]
		if a.Agent != b.Agent {
			return a.Agent < b.Agent
		}
		return conformance.CompareIDs(a.ID, b.ID) < 0
	})
}

// How a result counts in summaries, JUnit reports and the HTML page: a
// case that fails the run under the policy (conformance.Policy) is
// counted only as failing; any other case is counted by its Behavior (OK,
// NON-STRICT, INFORMATIONAL or UNIMPLEMENTED). WRONG CODE, UNCLEAN and
// FAILED BY CLIENT in the close column are close problems: they are
// counted, and listed, besides, whether or not the policy fails them.

// category is one category of a run for one agent, in case order.
type category struct {
	ID      string // "1"
	Name    string // "Framing", or "" for an unknown category
	Results []*conformance.Result
}

// Title returns the category number and name, as Autobahn prints it.
func (c category) Title() string {
	if c.Name == "" {
		return c.ID
	}
	return c.ID + " " + c.Name
}

// A Tally counts the results of a category or a run.
type Tally struct {
	Cases int
	// OK, NonStrict, Informational and Unimplemented count the cases
	// that do not fail the run, by their Behavior.
	OK, NonStrict, Informational, Unimplemented int
	// Failed counts the cases that fail the run under the policy.
	Failed int
	// CloseProblems counts the cases whose close behaviour is WRONG
	// CODE, UNCLEAN or FAILED BY CLIENT, failing or not.
	CloseProblems int
}

// Add counts r, judged by p.
func (t *Tally) Add(r *conformance.Result, p conformance.Policy) {
	t.Cases++
	switch {
	case p.Fails(r):
		t.Failed++
	case r.Behavior == conformance.OK:
		t.OK++
	case r.Behavior == conformance.NonStrict:
		t.NonStrict++
	case r.Behavior == conformance.Informational:
		t.Informational++
	case r.Behavior == conformance.Unimplemented:
		t.Unimplemented++
	}
	if r.BehaviorClose.IsCloseProblem() {
		t.CloseProblems++
	}
}

// splitCategories splits the results of one agent, already in case
// order, into categories in the order their first cases come.
func splitCategories(results []*conformance.Result) []category {
	var out []category
	index := map[string]int{}
	for _, r := range results {
		id := autobahn.CategoryOf(r.ID)
		i, ok := index[id]
		if !ok {
			i = len(out)
			index[id] = i
			out = append(out, category{ID: id, Name: autobahn.CategoryName(id)})
		}
		out[i].Results = append(out[i].Results, r)
	}
	return out
}

// splitAgents splits results sorted by sortResults into runs of one agent
// each, in agent order.
func splitAgents(results []*conformance.Result) [][]*conformance.Result {
	var out [][]*conformance.Result
	for i, r := range results {
		if i == 0 || results[i-1].Agent != r.Agent {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], r)
	}
	return out
}

// durationMS returns d in whole milliseconds, rounded half away from
// zero as Python's round does.
func durationMS(d int64) int64 {
	const ms = 1_000_000
	if d < 0 {
		return -((-d + ms/2) / ms)
	}
	return (d + ms/2) / ms
}
