package conformance

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
func WriteReports(dir string, results []*Result) error {
	results, err := reportCheck(results)
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
		fn   func(io.Writer, []*Result) error
	}{
		{"index.json", WriteIndexJSON},
		{"index.html", WriteHTML},
		{"junit.xml", WriteJUnit},
	}
	for _, wr := range writers {
		if err := write(wr.name, func(w io.Writer) error { return wr.fn(w, results) }); err != nil {
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
	return reportFilePrefix(agent) + "_case_" + strings.ReplaceAll(id, ".", "_") + ".json"
}

// reportFilePrefix returns Autobahn's file prefix of an agent name.
func reportFilePrefix(agent string) string {
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

// reportCheck returns the non-nil results in report order (agent, then
// case ID by reportCompareIDs) and refuses what would make reports
// overwrite each other: two results for one agent and case, or two agents
// with one file prefix.
func reportCheck(results []*Result) ([]*Result, error) {
	out := make([]*Result, 0, len(results))
	for _, r := range results {
		if r != nil {
			out = append(out, r)
		}
	}
	reportSort(out)
	prefixes := map[string]string{}
	for i, r := range out {
		if i > 0 && out[i-1].Agent == r.Agent && out[i-1].ID == r.ID {
			return nil, fmt.Errorf("conformance: two results for agent %q, case %s", r.Agent, r.ID)
		}
		p := reportFilePrefix(r.Agent)
		if other, ok := prefixes[p]; ok && other != r.Agent {
			return nil, fmt.Errorf("conformance: agents %q and %q have the same report file prefix %q", other, r.Agent, p)
		}
		prefixes[p] = r.Agent
	}
	return out, nil
}

// reportSort sorts results by agent name, then by case ID in numeric
// order.
func reportSort(results []*Result) {
	sort.SliceStable(results, func(i, j int) bool {
		a, b := results[i], results[j]
		if a.Agent != b.Agent {
			return a.Agent < b.Agent
		}
		return compareIDs(a.ID, b.ID) < 0
	})
}

// How a result counts in summaries, JUnit and progress lines.
//
// A case is FAILED when its Behavior is FAILED (or no known passing
// verdict) or its BehaviorClose is FAILED (or no known verdict): the
// implementation broke a MUST, or failed to fail the connection itself.
// The close verdicts WRONG CODE, UNCLEAN and FAILED BY CLIENT are close
// problems, not failures, as in Autobahn's HTML (which shows them in the
// non-strict, failed and "almost" colours without failing the case): they
// are counted and listed on their own, and JUnit reports such a case as
// passed with the close verdict in its output. Result.Passed is stricter
// and counts them as not passed.

// reportCloseProblem reports whether r's close verdict is WRONG CODE,
// UNCLEAN or FAILED BY CLIENT.
func reportCloseProblem(r *Result) bool { return r.BehaviorClose.isCloseProblem() }

// reportCategory is one category of a run for one agent, in case order.
type reportCategory struct {
	ID      string // "1"
	Name    string // "Framing", or "" for an unknown category
	Results []*Result
}

// Title returns the category number and name, as Autobahn prints it.
func (c reportCategory) Title() string {
	if c.Name == "" {
		return c.ID
	}
	return c.ID + " " + c.Name
}

// reportTally counts the results of a category (or a run).
type reportTally struct {
	Cases, OK, NonStrict, Informational, Unimplemented, Failed, CloseProblems int
}

// add counts r: FAILED cases only as failed, the others by Behavior, and
// close problems besides.
func (t *reportTally) add(r *Result) {
	t.Cases++
	switch {
	case r.Failed():
		t.Failed++
	case r.Behavior == OK:
		t.OK++
	case r.Behavior == NonStrict:
		t.NonStrict++
	case r.Behavior == Informational:
		t.Informational++
	case r.Behavior == Unimplemented:
		t.Unimplemented++
	}
	if reportCloseProblem(r) {
		t.CloseProblems++
	}
}

// reportCategories splits the results of one agent, already in case
// order, into categories in the order their first cases come.
func reportCategories(results []*Result) []reportCategory {
	var out []reportCategory
	index := map[string]int{}
	for _, r := range results {
		id := CategoryOf(r.ID)
		i, ok := index[id]
		if !ok {
			i = len(out)
			index[id] = i
			out = append(out, reportCategory{ID: id, Name: CategoryName(id)})
		}
		out[i].Results = append(out[i].Results, r)
	}
	return out
}

// reportAgents splits results sorted by reportSort into runs of one agent
// each, in agent order.
func reportAgents(results []*Result) [][]*Result {
	var out [][]*Result
	for i, r := range results {
		if i == 0 || results[i-1].Agent != r.Agent {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], r)
	}
	return out
}

// reportDurationMS returns d in whole milliseconds, rounded half away from
// zero as Python's round does.
func reportDurationMS(d int64) int64 {
	const ms = 1_000_000
	if d < 0 {
		return -((-d + ms/2) / ms)
	}
	return (d + ms/2) / ms
}
