package main

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/report"
)

// A progress shows a run's progress on a terminal. On a TTY it keeps one
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
type progress struct {
	policy  conformance.Policy
	mu      sync.Mutex
	w       io.Writer
	tty     bool
	total   int
	done    int
	running []string // IDs of started, unfinished cases, oldest first
	tally   report.Tally
	width   int // length of the last TTY line, to blank it out
}

// newProgress returns a progress writing to w for a run of total cases;
// tty says whether w is a terminal.
func newProgress(w io.Writer, tty bool, total int, policy conformance.Policy) *progress {
	return &progress{w: w, tty: tty, total: total, policy: policy}
}

// progressShown is how many running case IDs the TTY line lists.
const progressShown = 4

// Start records that the case with the given ID started.
func (p *progress) Start(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running = append(p.running, id)
	p.redraw()
}

// Finish records that the case of r finished with r's verdicts.
func (p *progress) Finish(r *conformance.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, id := range p.running {
		if id == r.ID {
			p.running = append(p.running[:i], p.running[i+1:]...)
			break
		}
	}
	p.done++
	p.tally.Add(r, p.policy)
	if !p.tty {
		line := fmt.Sprintf("%s %s/%s %.1fs", r.ID, r.Behavior, r.BehaviorClose, r.Duration.Seconds())
		if why := p.policy.Why(r); why != "" {
			line += " (" + why + "): " + report.Reason(r)
		}
		fmt.Fprintln(p.w, line)
		return
	}
	p.redraw()
}

// End finishes the TTY line with a newline, so that what follows starts on
// a line of its own. It does nothing when not on a TTY.
func (p *progress) End() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.width > 0 {
		fmt.Fprintln(p.w)
		p.width = 0
	}
}

// redraw rewrites the TTY line; p.mu is held.
func (p *progress) redraw() {
	if !p.tty {
		return
	}
	digits := len(fmt.Sprint(p.total))
	var b strings.Builder
	fmt.Fprintf(&b, "[%*d/%d]", digits, p.done, p.total)
	if n := len(p.running); n > 0 {
		b.WriteString(" running")
		for _, id := range p.running[:min(n, progressShown)] {
			b.WriteString(" " + id)
		}
		if n > progressShown {
			fmt.Fprintf(&b, " +%d", n-progressShown)
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
