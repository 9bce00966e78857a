package conformance

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// A Progress shows a run's progress on a terminal. On a TTY it keeps one
// line, rewritten with a carriage return after every change:
//
//	[ 42/301] running 6.4.1 6.4.2 9.1.6 +1 | OK 38 NON-STRICT 1 FAILED 2 INFO 0
//
// Otherwise (a log file, a CI console) it writes one plain line per
// finished case, such as "6.4.1 NON-STRICT/OK 2.0s", followed by the
// reason when the case FAILED.
//
// Its methods may be called from several goroutines at once. Write errors
// are ignored: progress is a courtesy, and the reports carry the results.
type Progress struct {
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	total   int
	done    int
	running []string // IDs of started, unfinished cases, oldest first
	tally   reportTally
	width   int // length of the last TTY line, to blank it out
}

// NewProgress returns a Progress writing to w for a run of total cases;
// tty says whether w is a terminal.
func NewProgress(w io.Writer, tty bool, total int) *Progress {
	return &Progress{w: w, tty: tty, total: total}
}

// reportProgressShown is how many running case IDs the TTY line lists.
const reportProgressShown = 4

// Start records that the case with the given ID started.
func (p *Progress) Start(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running = append(p.running, id)
	p.redraw()
}

// Finish records that the case of r finished with r's verdicts.
func (p *Progress) Finish(r *Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, id := range p.running {
		if id == r.ID {
			p.running = append(p.running[:i], p.running[i+1:]...)
			break
		}
	}
	p.done++
	p.tally.add(r)
	if !p.tty {
		line := fmt.Sprintf("%s %s/%s %.1fs", r.ID, r.Behavior, r.BehaviorClose, r.Duration.Seconds())
		if r.Failed() && r.Reason != "" {
			line += ": " + reportDisplayRaw(r.Reason)
		}
		fmt.Fprintln(p.w, line)
		return
	}
	p.redraw()
}

// End finishes the TTY line with a newline, so that what follows starts on
// a line of its own. It does nothing when not on a TTY.
func (p *Progress) End() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.width > 0 {
		fmt.Fprintln(p.w)
		p.width = 0
	}
}

// redraw rewrites the TTY line; p.mu is held.
func (p *Progress) redraw() {
	if !p.tty {
		return
	}
	digits := len(fmt.Sprint(p.total))
	var b strings.Builder
	fmt.Fprintf(&b, "[%*d/%d]", digits, p.done, p.total)
	if n := len(p.running); n > 0 {
		b.WriteString(" running")
		for _, id := range p.running[:min(n, reportProgressShown)] {
			b.WriteString(" " + id)
		}
		if n > reportProgressShown {
			fmt.Fprintf(&b, " +%d", n-reportProgressShown)
		}
	}
	t := p.tally
	fmt.Fprintf(&b, " | OK %d NON-STRICT %d FAILED %d INFO %d", t.OK, t.NonStrict, t.Failed, t.Informational)
	if t.Unimplemented > 0 {
		fmt.Fprintf(&b, " UNIMPLEMENTED %d", t.Unimplemented)
	}
	line := b.String()
	pad := max(p.width-len(line), 0)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
	p.width = len(line)
}

// WriteSummary writes the summary of a run for a terminal: per agent, a
// table with a row per category (number, name, cases, OK, NON-STRICT,
// INFORMATIONAL, UNIMPLEMENTED, FAILED, close problems) and a total row;
// then one line per FAILED case with its ID, both verdicts and its reason;
// then one line per case with a close problem.
//
// A case is FAILED when its Behavior is FAILED or its BehaviorClose is
// FAILED (a verdict the package does not know counts as FAILED too). It is
// then counted only in the FAILED column. Otherwise it is counted by its
// Behavior (OK, NON-STRICT, INFORMATIONAL or UNIMPLEMENTED).
//
// WRONG CODE, UNCLEAN and FAILED BY CLIENT in the close column are close
// problems: the testee closed with an unexpected code, did not close
// cleanly, or left the runner to close TCP. They do not make a case
// FAILED (as in Autobahn's report, where they are coloured but the case is
// not failed); they are counted in the close problems column, in addition
// to the Behavior column, and listed separately after the failures.
// nil results are skipped.
func WriteSummary(w io.Writer, results []*Result) error {
	rs := make([]*Result, 0, len(results))
	for _, r := range results {
		if r != nil {
			rs = append(rs, r)
		}
	}
	reportSort(rs)
	ew := &reportErrWriter{w: w}
	if len(rs) == 0 {
		fmt.Fprintln(ew, "no cases ran")
		return ew.err
	}
	for i, run := range reportAgents(rs) {
		if i > 0 {
			fmt.Fprintln(ew)
		}
		fmt.Fprintf(ew, "agent %s\n", reportDisplay(run[0].Agent))
		reportTallyTable(ew, reportCategories(run))

		var failed, problems []*Result
		for _, r := range run {
			if r.Failed() {
				failed = append(failed, r)
			}
			if reportCloseProblem(r) {
				problems = append(problems, r)
			}
		}
		if len(failed) > 0 {
			fmt.Fprintf(ew, "\nFAILED (%d):\n", len(failed))
			for _, r := range failed {
				fmt.Fprintf(ew, "  %s %s/%s: %s\n", r.ID, r.Behavior, r.BehaviorClose, reportSummaryReason(r))
			}
		}
		if len(problems) > 0 {
			fmt.Fprintf(ew, "\nclose problems (%d):\n", len(problems))
			for _, r := range problems {
				fmt.Fprintf(ew, "  %s %s/%s: %s\n", r.ID, r.Behavior, r.BehaviorClose, reportDisplayRaw(r.ResultClose))
			}
		}
	}
	return ew.err
}

// reportSummaryReason returns the reason of a FAILED case, falling back on
// Autobahn's result texts.
func reportSummaryReason(r *Result) string {
	if r.Reason != "" {
		return reportDisplayRaw(r.Reason)
	}
	if r.Behavior == Failed || r.ResultClose == "" {
		return reportDisplayRaw(r.Result)
	}
	return reportDisplayRaw(r.ResultClose)
}

// reportTallyColumns are the count columns of a summary table.
var reportTallyColumns = []string{"cases", "OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED", "close problems"}

// reportTallyTable writes the summary table of one agent's categories and
// a total row. Names are left aligned, counts right aligned under their
// headings, each column as wide as its widest cell.
func reportTallyTable(w io.Writer, cats []reportCategory) {
	type row struct {
		id, name string
		counts   []int
	}
	counts := func(t reportTally) []int {
		return []int{t.Cases, t.OK, t.NonStrict, t.Informational, t.Unimplemented, t.Failed, t.CloseProblems}
	}
	var rows []row
	var total reportTally
	for _, c := range cats {
		var t reportTally
		for _, r := range c.Results {
			t.add(r)
			total.add(r)
		}
		rows = append(rows, row{c.ID, c.Name, counts(t)})
	}
	rows = append(rows, row{"total", "", counts(total)})

	idWidth, nameWidth := len("category"), len("name")
	widths := make([]int, len(reportTallyColumns))
	for i, h := range reportTallyColumns {
		widths[i] = len(h)
	}
	for _, r := range rows {
		idWidth, nameWidth = max(idWidth, len(r.id)), max(nameWidth, len(r.name))
		for i, n := range r.counts {
			widths[i] = max(widths[i], len(strconv.Itoa(n)))
		}
	}
	fmt.Fprintf(w, "%-*s  %-*s", idWidth, "category", nameWidth, "name")
	for i, h := range reportTallyColumns {
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

// reportErrWriter keeps the first write error and drops later writes.
type reportErrWriter struct {
	w   io.Writer
	err error
}

func (e *reportErrWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
