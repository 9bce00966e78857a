package interop

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wskit/wskit/spec"
)

// A Summary counts one library's results.
type Summary struct {
	Library string
	// ValidPassed and Valid count the valid vectors the library could be
	// configured for, and how many it passed.
	ValidPassed, Valid int
	// BaselinePassed and Baseline count the baseline vectors (plain
	// messages), which every working driver passes.
	BaselinePassed, Baseline int
	// Enforced counts the rules with error vectors whose every applicable
	// error vector the library refused in some way; Rules counts the rules
	// with applicable error vectors.
	Enforced, Rules int
	// MustsBroken lists the MUST and MUST NOT rules the library breaks
	// outright on some vector (lenient, rejects valid, hangs, crashes).
	MustsBroken []string
	// Other lists the rules with a wrong code, a missing Close or another
	// difference, and nothing worse.
	Other []string
}

// A Cell is one requirement and one library.
type Cell struct {
	Verdict Verdict
	Total   int      // applicable vectors
	Passed  int      // conforming ones
	Failing []Result // the others
}

// cells sums up the results by requirement and library.
func (r *Report) cells() map[string]map[string]*Cell {
	out := map[string]map[string]*Cell{}
	for _, res := range r.Results {
		for _, id := range blamed(res) {
			if out[id] == nil {
				out[id] = map[string]*Cell{}
			}
			c := out[id][res.Library]
			if c == nil {
				c = &Cell{}
				out[id][res.Library] = c
			}
			if res.Verdict == NotApplicable {
				continue
			}
			c.Total++
			if res.Verdict == Conforms {
				c.Passed++
			} else {
				c.Failing = append(c.Failing, res)
			}
			if res.Verdict > c.Verdict {
				c.Verdict = res.Verdict
			}
		}
	}
	return out
}

// Summaries counts each library's results.
func (r *Report) Summaries() []Summary {
	cells := r.cells()
	var out []Summary
	for _, lib := range r.Libraries {
		s := Summary{Library: lib.Name}
		for _, res := range r.Results {
			if res.Library != lib.Name || !res.Valid || res.Verdict == NotApplicable {
				continue
			}
			s.Valid++
			if res.Verdict == Conforms {
				s.ValidPassed++
			}
			if res.Baseline {
				s.Baseline++
				if res.Verdict == Conforms {
					s.BaselinePassed++
				}
			}
		}
		for _, req := range spec.Requirements() {
			c := cells[req.ID][lib.Name]
			if c == nil || c.Total == 0 {
				continue
			}
			errs, refused := 0, 0
			for _, res := range r.Results {
				if res.Library == lib.Name && !res.Valid && res.Verdict != NotApplicable && cites(res, req.ID) {
					errs++
					if res.Verdict.Enforced() {
						refused++
					}
				}
			}
			if errs > 0 {
				s.Rules++
				if refused == errs {
					s.Enforced++
				}
			}
			broken := false
			for _, f := range c.Failing {
				broken = broken || f.Verdict.Breaks()
			}
			switch {
			case broken && (req.Level == spec.Must || req.Level == spec.MustNot):
				s.MustsBroken = append(s.MustsBroken, req.ID)
			case len(c.Failing) > 0 && !broken:
				s.Other = append(s.Other, req.ID)
			}
		}
		out = append(out, s)
	}
	return out
}

// genericAccept are the rules every accepting handshake vector cites: the
// parts of any 101 answer.
var genericAccept = map[string]bool{
	"H-4.2.2-101": true, "H-4.2.2-upgrade": true, "H-4.2.2-connection": true,
	"H-4.2.2-accept": true, "H-11.3.3-accept-once": true,
}

// blamed returns the requirements a result counts toward: every one its
// vector cites, except that a valid handshake request a library fails is
// blamed on what the vector is about, not on the parts of every 101
// answer (which the library gets right on the other vectors).
func blamed(r Result) []string {
	if r.File != "handshake" || !r.Valid || r.Verdict == Conforms {
		return r.Requirements
	}
	var out []string
	for _, id := range r.Requirements {
		if !genericAccept[id] {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return r.Requirements
	}
	return out
}

// cites reports whether a result counts toward a requirement.
func cites(r Result, id string) bool {
	for _, x := range blamed(r) {
		if x == id {
			return true
		}
	}
	return false
}

// Review lists the vectors on which every library, wskit included,
// disagrees with the expectation: the vector may be what is wrong.
func (r *Report) Review() []string {
	type tally struct{ applicable, failing int }
	t := map[string]*tally{}
	var keys []string
	for _, res := range r.Results {
		k := res.File + "/" + res.ID
		if t[k] == nil {
			t[k] = &tally{}
			keys = append(keys, k)
		}
		if res.Verdict != NotApplicable {
			t[k].applicable++
			if res.Verdict != Conforms {
				t[k].failing++
			}
		}
	}
	var out []string
	for _, k := range keys {
		if x := t[k]; x.applicable > 0 && x.failing == x.applicable {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// anchor is the HTML id of a vector's row in the vector tables.
func anchor(file, id string) string {
	return strings.NewReplacer(".", "-", "^", "", "/", "-").Replace(file + "-" + id)
}

// WriteTable writes INTEROP.md.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# wskit's vectors through other Go WebSocket libraries\n\n")
	p("<!-- Generated; do not edit. Regenerate with: cd interop && go run ./cmd/interop -out INTEROP.md -->\n\n")
	p("Regenerate with `cd interop && go run ./cmd/interop -out INTEROP.md` (checked by `cd interop && go test ./...`).\n\n")
	p("Every vector of `vectors/decoder.json`, `vectors/conn.json` and the `requests` of `vectors/handshake.json` is run through each library's public API, as a real server or client on 127.0.0.1, after a real opening handshake (see `doc.go` and the `lib_*.go` drivers). One row per requirement the vectors cite, one column per library; a cell is the worst verdict over the vectors behind it, with the count of vectors that conform and links to the others.\n\n")
	p("The `decoder` vectors of `vectors/deflate.json` run with permessage-deflate on, in each library's documented configuration (the last column of the library table), agreed through the opening handshake (see `deflate.go`): a library server gets the vector's parameters as the offer and answers as it will; a library client makes its own offer and the harness answers with the vector's parameters as far as that offer allows. A vector whose bytes mean something else under what the library agreed (wskit's own decoder, configured with those parameters, reads other messages or another failure) is n/a for it, with the agreement in the detail. The `offers` of deflate.json go to each library's server with permessage-deflate on, in a real request: wskit, with the vector's policy, must answer the vector's response exactly; another server conforms when it answers 101 and either declines or answers a valid offer in a way a client's checks pass (`deflate.VerifyResponse` against the valid offers), is lenient when it accepts though every offer is invalid, and rejects valid when it refuses the handshake (declining is never an HTTP error); the policy vectors are n/a for the others. The `responses` (a client's checks) are not run.\n\n")
	p("Verdicts: **conforms**; **not fail-fast** (refuses invalid UTF-8 only at the end of the frame, which RFC 6455 allows); **no Close** (fails the connection by closing TCP without a Close frame, or without an HTTP answer); **wrong code** (refuses, with another close code or a non-4xx status); **differs** (other output differs: a missing pong, a reported close code, a send it should refuse); **rejects valid**; **lenient** (accepts what RFC 6455 says to reject); **hangs** (no answer within %v); **crashes** (a panic, or more than %s allocated); **n/a** (the library has no option or API the vector needs).\n\n", hangTimeout, mib(allocBound))

	p("## Libraries\n\n| library | module | how it is driven | permessage-deflate (deflate.json) |\n|---|---|---|---|\n")
	for _, l := range r.Libraries {
		deflate := l.Deflate
		if deflate == "" {
			deflate = "none: not applicable"
		}
		p("| %s | `%s` | %s | %s |\n", l.Name, l.Module, l.Setup, deflate)
	}

	p("\n## Summary\n\n| library | baseline vectors passed | valid vectors passed | rules enforced | MUSTs broken | rules with only lesser differences |\n|---|---|---|---|---|---|\n")
	for _, s := range r.Summaries() {
		p("| %s | %d/%d | %d/%d | %d/%d | %d | %d |\n", s.Library, s.BaselinePassed, s.Baseline, s.ValidPassed, s.Valid, s.Enforced, s.Rules, len(s.MustsBroken), len(s.Other))
	}
	p("\nBaseline vectors are the valid decoder vectors of plain text and binary messages, with no limit: a library that fails one has a broken driver, and `go test` fails. Rules enforced: rules with error vectors where the library refused every error vector it could be configured for (conforms, not fail-fast, no Close or wrong code). MUSTs broken: MUST and MUST NOT rules with a vector the library is lenient on, rejects while valid, hangs or crashes on.\n\n")
	for _, s := range r.Summaries() {
		if len(s.MustsBroken) > 0 {
			p("- %s breaks: %s\n", s.Library, codeList(s.MustsBroken))
		}
	}

	p("\n## Review\n\nVectors on which every library, wskit included, disagrees with the expectation (the vector may be wrong):\n\n")
	if rv := r.Review(); len(rv) == 0 {
		p("None.\n")
	} else {
		for _, k := range rv {
			p("- `%s`\n", k)
		}
	}

	r.writeBombs(p)
	r.writeRequirements(p)
	r.writeVectors(p)

	p("\n## Notes\n\n")
	for i, n := range Notes {
		p("%d. **%s.** %s\n", i+1, n.Library, n.Text)
	}
	p("\nUp to %d runs go in parallel; runs whose input ends inside a frame run afterwards, one at a time, with their allocations measured; decompression bombs run last, strictly one at a time, with their allocations recorded.\n", Parallel)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeRequirements writes the requirement-by-library table.
func (r *Report) writeRequirements(p func(string, ...any)) {
	cells := r.cells()
	p("\n## By requirement\n\n| requirement | level |")
	for _, l := range r.Libraries {
		p(" %s |", l.Name)
	}
	p("\n|---|---|%s\n", strings.Repeat("---|", len(r.Libraries)))
	for _, req := range spec.Requirements() {
		if cells[req.ID] == nil {
			continue
		}
		p("| `%s` | %s |", req.ID, req.Level)
		for _, l := range r.Libraries {
			p(" %s |", cellText(cells[req.ID][l.Name]))
		}
		p("\n")
	}
}

// cellText prints one cell.
func cellText(c *Cell) string {
	if c == nil || c.Total == 0 {
		return "n/a"
	}
	s := fmt.Sprintf("%s %d/%d", c.Verdict, c.Passed, c.Total)
	if len(c.Failing) == 0 {
		return s
	}
	var links []string
	for i, f := range c.Failing {
		if i == 4 {
			links = append(links, fmt.Sprintf("+%d", len(c.Failing)-4))
			break
		}
		links = append(links, fmt.Sprintf("[%s](#%s)", f.ID, anchor(f.File, f.ID)))
	}
	return s + ": " + strings.Join(links, ", ")
}

// writeVectors writes one table per vector file, a row per vector, with
// each non-conforming result's detail.
func (r *Report) writeVectors(p func(string, ...any)) {
	p("\n## By vector\n\nEach cell: the verdict, and what the library did when it is not \"conforms\".\n")
	for _, file := range []string{"decoder", "conn", "handshake", "deflate"} {
		p("\n### %s.json\n\n| vector |", file)
		for _, l := range r.Libraries {
			p(" %s |", l.Name)
		}
		p("\n|---|%s\n", strings.Repeat("---|", len(r.Libraries)))
		byID := map[string]map[string]Result{}
		var ids []string
		for _, res := range r.Results {
			if res.File != file {
				continue
			}
			if byID[res.ID] == nil {
				byID[res.ID] = map[string]Result{}
				ids = append(ids, res.ID)
			}
			byID[res.ID][res.Library] = res
		}
		for _, id := range ids {
			p("| <a id=\"%s\"></a>`%s` |", anchor(file, id), id)
			for _, l := range r.Libraries {
				res := byID[id][l.Name]
				if res.Verdict == Conforms {
					p(" conforms |")
				} else {
					p(" %s: %s |", res.Verdict, mdEscape(oneLine(res.Detail)))
				}
			}
			p("\n")
		}
	}
}

// writeBombs writes the runs whose allocations were recorded (the
// vectors of deflate.json about a limit on the inflated size): the verdict
// and what the process allocated during each.
func (r *Report) writeBombs(p func(string, ...any)) {
	byID := map[string]map[string]Result{}
	var ids []string
	for _, res := range r.Results {
		if !res.Measured {
			continue
		}
		if byID[res.ID] == nil {
			byID[res.ID] = map[string]Result{}
			ids = append(ids, res.ID)
		}
		byID[res.ID][res.Library] = res
	}
	if len(ids) == 0 {
		return
	}
	p("\n## Decompression bombs\n\nThe deflate.json vectors on a limit of the inflated size (R-10.4-limits), each run alone: the verdict, and the bytes the whole process allocated during the run (`runtime.MemStats.TotalAlloc`, so the library's setup and the harness's few KiB are included, and a library that inflates the message whole shows its size at least). The largest inflates to 16 MiB, far below the %s bound, so no run is cut short. A library with a single read limit gets the vector's `maxMessage` as that limit, which gorilla and gobwas apply to the compressed bytes.\n\n| vector | input | inflated |", mib(allocBound))
	for _, l := range r.Libraries {
		p(" %s |", l.Name)
	}
	p("\n|---|---|---|%s\n", strings.Repeat("---|", len(r.Libraries)))
	sizes := bombSizes()
	for _, id := range ids {
		p("| [`%s`](#%s) | %s |", id, anchor("deflate", id), sizes[id])
		for _, l := range r.Libraries {
			res, ok := byID[id][l.Name]
			switch {
			case !ok:
				p(" |")
			case res.Verdict == NotApplicable:
				p(" n/a |")
			default:
				p(" %s, %s |", res.Verdict, kib(res.Alloc))
			}
		}
		p("\n")
	}
}

// codeList prints IDs as code spans.
func codeList(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "`" + id + "`"
	}
	return strings.Join(out, ", ")
}

// mdEscape keeps a detail from breaking a table row.
func mdEscape(s string) string {
	return strings.NewReplacer("|", "/", "<", "&lt;", ">", "&gt;", "`", "'").Replace(s)
}
