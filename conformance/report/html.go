package conformance

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wskit/wskit/spec"
)

// WriteHTML writes index.html: one self-contained page (inline CSS and a
// few lines of inline script, nothing loaded from anywhere) with
//
//   - a legend, as in Autobahn|Testsuite's report;
//   - a summary table per agent: per category the number of cases, OK,
//     NON-STRICT, INFORMATIONAL, UNIMPLEMENTED and FAILED ones, and close
//     problems (see WriteSummary for what counts as what);
//   - Autobahn's colour grid: a row per case, grouped under category and
//     sub-category header rows (the agent names repeat at every
//     sub-category), with two cells per agent: the behaviour (Pass,
//     Non-Strict, Fail, Info; Unimplemented and Missing span both cells;
//     the duration for performance cases) and the close behaviour (the
//     testee's close code, "None" when it sent none, for OK, INFORMATIONAL,
//     WRONG CODE and FAILED BY CLIENT; "Unclean" for UNCLEAN; "Fail"
//     otherwise);
//   - a collapsed detail view per case and agent, opened by the grid's
//     links: description, expectation, requirement IDs with their rules,
//     wskit's reason, both verdicts with Autobahn's result texts, expected
//     and received events, close flags and codes, protocol errors, the
//     opening handshake, octet and frame statistics and the wire log.
//
// Every string from a result is escaped, except that the case texts keep
// Autobahn's plain formatting tags (<b>, <i>, <tt>, <code>, <br>) when they
// carry no attributes. nil results are skipped.
func WriteHTML(w io.Writer, results []*Result) error {
	rs := make([]*Result, 0, len(results))
	for _, r := range results {
		if r != nil {
			rs = append(rs, r)
		}
	}
	reportSort(rs)
	return reportHTMLTemplate.Execute(w, reportHTMLBuild(rs))
}

// reportHTMLPage is what the template shows.
type reportHTMLPage struct {
	Count   int
	Columns int // columns of the grid: the case, then two per agent
	// FlagMeanings explains the close flags, for the legend.
	FlagMeanings []reportHTMLFlag
	Started      string // earliest start time of any case, "" if unknown
	Agents       []string
	Summaries    []reportHTMLSummary
	Rows         []reportHTMLRow
	Details      []reportHTMLDetail
}

// reportHTMLSummary is the summary table of one agent.
type reportHTMLSummary struct {
	Agent string
	Rows  []reportHTMLTallyRow
	Total reportTally
}

// reportHTMLTallyRow is one category of a summary table.
type reportHTMLTallyRow struct {
	Title string
	Tally reportTally
}

// reportHTMLRow is one row of the grid: a category header (Category set),
// a sub-category caption (Subcategory set) or a case.
type reportHTMLRow struct {
	Category    string
	Subcategory string
	CaseID      string
	Description string // plain text, for the case cell's tooltip
	Cells       []reportHTMLCell
}

// reportHTMLCell is the pair of grid cells of one agent for one case.
type reportHTMLCell struct {
	Span       string // "Missing" or "Unimplemented": one cell over both columns
	SpanClass  string
	Link       string // fragment of the detail view
	Class      string
	Text       string
	Duration   string // "123 ms" for performance cases
	CloseClass string
	CloseText  string
}

// reportHTMLDetail is the detail view of one result.
type reportHTMLDetail struct {
	Anchor       string
	R            *Result
	Class, Text  string
	CloseClass   string
	CloseText    string
	Description  template.HTML
	Expectation  template.HTML
	Requirements []reportHTMLRequirement
	Started      string
	DurationMS   int64
	Expected     []reportHTMLEvents
	Received     []string
	Flags        []reportHTMLFlag
	Stats        []reportHTMLStats
	WireLog      []reportHTMLWireRow
	WireLogCut   int // rows left out, beyond reportHTMLWireRows
	Dropped      string
}

// reportHTMLRequirement is a requirement ID with its rule, if known.
type reportHTMLRequirement struct {
	ID, Level, Summary string
}

// reportHTMLEvents is the expected event list of one verdict.
type reportHTMLEvents struct {
	Verdict string
	Events  []string
}

// reportHTMLFlag is one close flag or code with its meaning.
type reportHTMLFlag struct {
	Key, Value, Meaning string
}

// reportHTMLStats is one statistics table: sizes or opcodes and counts.
type reportHTMLStats struct {
	Title, KeyName string
	Rows           [][3]int // key, count, key*count
	Count, Octets  int
	ShowOctets     bool
}

// reportHTMLWireRow is one wire log row for people.
type reportHTMLWireRow struct {
	N     int
	At    string
	Class string
	What  string
	Len   string
	Data  string
}

// reportHTMLBuild turns results, sorted by reportSort, into a page.
func reportHTMLBuild(results []*Result) reportHTMLPage {
	page := reportHTMLPage{Count: len(results), FlagMeanings: reportHTMLFlagMeanings}
	var first time.Time
	agentResults := reportAgents(results)
	byAgentCase := make([]map[string]*Result, len(agentResults))
	var ids []string
	seen := map[string]bool{}
	for i, rs := range agentResults {
		page.Agents = append(page.Agents, reportDisplayRaw(rs[0].Agent))
		byAgentCase[i] = map[string]*Result{}
		sum := reportHTMLSummary{Agent: reportDisplayRaw(rs[0].Agent)}
		for _, c := range reportCategories(rs) {
			row := reportHTMLTallyRow{Title: c.Title()}
			for _, r := range c.Results {
				row.Tally.add(r)
				sum.Total.add(r)
			}
			sum.Rows = append(sum.Rows, row)
		}
		page.Summaries = append(page.Summaries, sum)
		for _, r := range rs {
			byAgentCase[i][r.ID] = r
			if !seen[r.ID] {
				seen[r.ID] = true
				ids = append(ids, r.ID)
			}
			if !r.Started.IsZero() && (first.IsZero() || r.Started.Before(first)) {
				first = r.Started
			}
			page.Details = append(page.Details, reportHTMLDetailOf(r))
		}
	}
	page.Started = reportStarted(first)
	page.Columns = 1 + 2*len(page.Agents)
	sort.SliceStable(ids, func(i, j int) bool { return compareIDs(ids[i], ids[j]) < 0 })

	lastCat, lastSub := "", ""
	for i, id := range ids {
		cat, sub := CategoryOf(id), SubcategoryOf(id)
		if i == 0 || cat != lastCat || sub != lastSub {
			title := reportCategory{ID: cat, Name: CategoryName(cat)}.Title()
			page.Rows = append(page.Rows, reportHTMLRow{Category: title})
			if sub != "" {
				caption := strings.TrimSpace(sub + " " + SubcategoryCaption(sub))
				page.Rows = append(page.Rows, reportHTMLRow{Subcategory: caption})
			}
			lastCat, lastSub = cat, sub
		}
		row := reportHTMLRow{CaseID: reportDisplayRaw(id)}
		for a := range agentResults {
			r := byAgentCase[a][id]
			if r != nil && row.Description == "" {
				row.Description = reportPlainText(r.Description)
			}
			row.Cells = append(row.Cells, reportHTMLCellOf(r))
		}
		page.Rows = append(page.Rows, row)
	}
	return page
}

// reportHTMLBehavior returns the CSS class and grid text of a behaviour
// verdict, as Autobahn's grid shows it.
func reportHTMLBehavior(v Verdict) (class, text string) {
	switch v {
	case OK:
		return "ok", "Pass"
	case NonStrict:
		return "nonstrict", "Non-Strict"
	case Informational:
		return "info", "Info"
	case Unimplemented:
		return "unimpl", "Unimplemented"
	}
	return "failed", "Fail"
}

// reportHTMLClose returns the CSS class and grid text of a close verdict:
// the testee's close code for OK, INFORMATIONAL, WRONG CODE and FAILED BY
// CLIENT, "Unclean" for UNCLEAN and "Fail" for anything else.
func reportHTMLClose(r *Result) (class, text string) {
	code := "None"
	if r.RemoteCloseCode != 0 {
		code = strconv.Itoa(r.RemoteCloseCode)
	}
	switch r.BehaviorClose {
	case OK:
		return "ok", code
	case Informational:
		return "info", code
	case WrongCode:
		return "nonstrict", code
	case FailedByClient:
		return "almost", code
	case Unclean:
		return "failed", "Unclean"
	case Unimplemented:
		return "unimpl", code
	}
	return "failed", "Fail"
}

// reportHTMLAnchor returns the fragment naming the detail view of a case
// run against an agent.
func reportHTMLAnchor(agent, id string) string {
	return "r-" + reportFilePrefix(agent) + "-" + strings.ReplaceAll(id, ".", "_")
}

// reportHTMLCellOf returns the grid cells of one agent for one case; r is
// nil when the agent has no result for it.
func reportHTMLCellOf(r *Result) reportHTMLCell {
	if r == nil {
		return reportHTMLCell{Span: "Missing", SpanClass: "missing"}
	}
	c := reportHTMLCell{Link: "#" + reportHTMLAnchor(r.Agent, r.ID)}
	if r.Behavior == Unimplemented {
		c.Span, c.SpanClass = "Unimplemented", "unimpl"
		return c
	}
	c.Class, c.Text = reportHTMLBehavior(r.Behavior)
	c.CloseClass, c.CloseText = reportHTMLClose(r)
	if r.ReportTime {
		c.Duration = strconv.FormatInt(reportDurationMS(int64(r.Duration)), 10) + " ms"
	}
	return c
}

// reportHTMLWireRows is how many wire log rows a detail view shows; the
// JSON report has them all. Octet-wise chopped cases log thousands of
// writes, which would make the page slow for no gain.
const reportHTMLWireRows = 500

// reportHTMLDetailOf returns the detail view of r.
func reportHTMLDetailOf(r *Result) reportHTMLDetail {
	d := reportHTMLDetail{
		Anchor:      reportHTMLAnchor(r.Agent, r.ID),
		R:           r,
		Description: reportCaseText(r.Description),
		Expectation: reportCaseText(r.Expectation),
		Started:     reportStarted(r.Started),
		DurationMS:  reportDurationMS(int64(r.Duration)),
	}
	d.Class, d.Text = reportHTMLBehavior(r.Behavior)
	d.CloseClass, _ = reportHTMLClose(r)
	d.CloseText = string(r.BehaviorClose)
	for _, id := range r.Requirements {
		req := reportHTMLRequirement{ID: id, Summary: "(not in the catalogue)"}
		if q, ok := spec.Lookup(id); ok {
			req.Level, req.Summary = string(q.Level), q.Summary
		}
		d.Requirements = append(d.Requirements, req)
	}
	verdicts := make([]string, 0, len(r.Expected))
	for v := range r.Expected {
		verdicts = append(verdicts, string(v))
	}
	sort.Strings(verdicts)
	for _, v := range verdicts {
		e := reportHTMLEvents{Verdict: v}
		for _, ev := range r.Expected[Verdict(v)] {
			e.Events = append(e.Events, reportEventText(ev))
		}
		d.Expected = append(d.Expected, e)
	}
	for _, ev := range r.Received {
		d.Received = append(d.Received, reportEventText(ev))
	}
	d.Flags = reportHTMLFlags(r)
	stats := []reportHTMLStats{
		reportHTMLStatsOf("Octets received by read size", "Size", r.RxOctetStats, true),
		reportHTMLStatsOf("Octets sent by write size", "Size", r.TxOctetStats, true),
		reportHTMLStatsOf("Frames received by opcode", "Opcode", r.RxFrameStats, false),
		reportHTMLStatsOf("Frames sent by opcode", "Opcode", r.TxFrameStats, false),
	}
	for _, s := range stats {
		if len(s.Rows) > 0 {
			d.Stats = append(d.Stats, s)
		}
	}
	for i, e := range r.WireLog {
		if i == reportHTMLWireRows {
			d.WireLogCut = len(r.WireLog) - i
			break
		}
		d.WireLog = append(d.WireLog, reportHTMLWireRowOf(i, e))
	}
	d.Dropped = "TCP DROPPED BY PEER"
	if r.DroppedByMe {
		d.Dropped = "TCP DROPPED BY ME"
	}
	return d
}

// reportHTMLFlagMeanings explains the close flags and codes once, in the
// legend, in the order the detail views list them.
var reportHTMLFlagMeanings = []reportHTMLFlag{
	{"closedByMe", "", "the runner sent the first Close frame"},
	{"failedByMe", "", "the runner failed the connection (a protocol violation, or a timer)"},
	{"droppedByMe", "", "the runner closed the TCP connection"},
	{"wasClean", "", "the closing handshake completed and the server closed TCP in time"},
	{"wasNotCleanReason", "", "why the close was not clean"},
	{"wasServerConnectionDropTimeout", "", "the server did not close TCP in time after the closing handshake"},
	{"wasOpenHandshakeTimeout", "", "the opening handshake did not finish in time"},
	{"wasCloseHandshakeTimeout", "", "the testee did not answer the runner's Close in time"},
	{"localCloseCode, localCloseReason", "", "the close code and reason the runner sent"},
	{"remoteCloseCode, remoteCloseReason", "", "the close code and reason the testee sent"},
}

// reportHTMLFlags returns the close flags and codes of r.
func reportHTMLFlags(r *Result) []reportHTMLFlag {
	str := func(s string) string {
		if s == "" {
			return "None"
		}
		return reportDisplay(s)
	}
	code := func(c int) string {
		if c == 0 {
			return "None"
		}
		return strconv.Itoa(c)
	}
	b := strconv.FormatBool
	return []reportHTMLFlag{
		{Key: "closedByMe", Value: b(r.ClosedByMe)},
		{Key: "failedByMe", Value: b(r.FailedByMe)},
		{Key: "droppedByMe", Value: b(r.DroppedByMe)},
		{Key: "wasClean", Value: b(r.WasClean)},
		{Key: "wasNotCleanReason", Value: str(r.WasNotCleanReason)},
		{Key: "wasServerConnectionDropTimeout", Value: b(r.WasServerConnectionDropTimeout)},
		{Key: "wasOpenHandshakeTimeout", Value: b(r.WasOpenHandshakeTimeout)},
		{Key: "wasCloseHandshakeTimeout", Value: b(r.WasCloseHandshakeTimeout)},
		{Key: "localCloseCode", Value: code(r.LocalCloseCode)},
		{Key: "localCloseReason", Value: str(r.LocalCloseReason)},
		{Key: "remoteCloseCode", Value: code(r.RemoteCloseCode)},
		{Key: "remoteCloseReason", Value: str(r.RemoteCloseReason)},
	}
}

// reportHTMLStatsOf returns a statistics table in numeric key order.
func reportHTMLStatsOf(title, keyName string, m map[int]int, octets bool) reportHTMLStats {
	s := reportHTMLStats{Title: title, KeyName: keyName, ShowOctets: octets}
	for _, kv := range pyjsonStats(m) {
		k, _ := strconv.Atoi(kv.Key)
		n := kv.Value.(int)
		s.Rows = append(s.Rows, [3]int{k, n, k * n})
		s.Count += n
		s.Octets += k * n
	}
	return s
}

// reportHTMLWireRowOf returns wire log entry i for people.
func reportHTMLWireRowOf(i int, e WireEntry) reportHTMLWireRow {
	w := reportHTMLWireRow{N: i, At: fmt.Sprintf("%.1f", float64(e.At)/float64(time.Millisecond))}
	mask := "none"
	if len(e.Mask) > 0 {
		mask = fmt.Sprintf("%x", e.Mask)
	}
	delay := strconv.FormatFloat(e.Delay, 'f', -1, 64) + " s"
	tag := e.Tag
	if tag == "" {
		tag = "none"
	}
	switch e.Kind {
	case WireRead:
		w.Class, w.What = "rx", "RX OCTETS"
		w.Len, w.Data = strconv.Itoa(e.Len), previewHex(e.Data, e.Len)
	case WireWrite:
		w.Class, w.What = "tx", "TX OCTETS"
		if e.Sync {
			w.What += " (sync)"
		}
		w.Len, w.Data = strconv.Itoa(e.Len), previewHex(e.Data, e.Len)
	case WireFrameIn:
		w.Class = "rx"
		w.What = fmt.Sprintf("RX FRAME opcode=%d fin=%t rsv=%d masked=%t mask=%s", e.Opcode, e.Fin, e.Rsv, e.Masked, mask)
		w.Len, w.Data = strconv.Itoa(e.Len), reportDisplay(previewText(e.Data, e.Len))
	case WireFrameOut:
		w.Class = "tx"
		w.What = fmt.Sprintf("TX FRAME opcode=%d fin=%t rsv=%d mask=%s", e.Opcode, e.Fin, e.Rsv, mask)
		if e.RepeatLength != 0 {
			w.What += fmt.Sprintf(" repeat-to=%d", e.RepeatLength)
		}
		if e.ChopSize != 0 {
			w.What += fmt.Sprintf(" chopsize=%d", e.ChopSize)
		}
		if e.Sync {
			w.What += " sync"
		}
		w.Len, w.Data = strconv.Itoa(e.Len), reportDisplay(previewText(e.Data, e.Len))
	case WireContinue:
		w.Class, w.What = "timer", "CONTINUE AFTER "+delay+", tag "+tag
	case WireContinueRun:
		w.Class, w.What = "timer", "CONTINUING, tag "+tag
	case WireKill:
		w.Class, w.What = "timer", "FAIL CONNECTION AFTER "+delay
	case WireKillRun:
		w.Class, w.What = "timer", "FAILING CONNECTION"
	case WireCloseTimer:
		w.Class, w.What = "timer", "CLOSE CONNECTION AFTER "+delay
	case WireCloseRun:
		w.Class, w.What = "timer", "CLOSING CONNECTION"
	case WireLogging:
		w.Class, w.What = "timer", "WIRE LOG DISABLED"
		if e.Enabled {
			w.What = "WIRE LOG ENABLED"
		}
	default:
		w.Class, w.What = "timer", string(e.Kind)
	}
	return w
}

// reportCaseTags are the formatting tags Autobahn's case texts use that
// reportCaseText lets through, written without attributes.
var reportCaseTags = []string{"b", "i", "tt", "code"}

// reportCaseText escapes a case description or expectation for HTML but
// keeps its plain formatting tags (<b>, </b>, <i>, <tt>, <code> and their
// ends; <br>, <br/>, <br />) when they carry no attributes. Unclosed tags
// are closed at the end and stray end tags dropped, so the text cannot
// change the page around it.
func reportCaseText(s string) template.HTML {
	esc := html.EscapeString(reportDisplayRaw(s))
	var b strings.Builder
	var open []string
	for len(esc) > 0 {
		i := strings.Index(esc, "&lt;")
		if i < 0 {
			b.WriteString(esc)
			break
		}
		b.WriteString(esc[:i])
		esc = esc[i:]
		j := strings.Index(esc, "&gt;")
		if j < 0 {
			b.WriteString(esc)
			break
		}
		name := esc[len("&lt;"):j]
		n := j + len("&gt;")
		switch {
		case name == "br" || name == "br/" || name == "br /":
			b.WriteString("<br>")
		case reportIsCaseTag(name):
			b.WriteString("<" + name + ">")
			open = append(open, name)
		case strings.HasPrefix(name, "/") && reportIsCaseTag(name[1:]):
			k := len(open) - 1
			for k >= 0 && open[k] != name[1:] {
				k--
			}
			if k >= 0 { // close it and anything opened inside it
				for len(open) > k {
					b.WriteString("</" + open[len(open)-1] + ">")
					open = open[:len(open)-1]
				}
			}
		default:
			n = len("&lt;") // not a kept tag: leave it escaped
			b.WriteString("&lt;")
		}
		esc = esc[n:]
	}
	for k := len(open) - 1; k >= 0; k-- {
		b.WriteString("</" + open[k] + ">")
	}
	return template.HTML(b.String())
}

// reportIsCaseTag reports whether name is one of reportCaseTags.
func reportIsCaseTag(name string) bool {
	for _, t := range reportCaseTags {
		if name == t {
			return true
		}
	}
	return false
}

// reportDisplayRaw is reportDisplay without the quotes, keeping line
// breaks and tabs.
func reportDisplayRaw(s string) string {
	d := reportDisplay(s)
	return d[1 : len(d)-1]
}

// reportPlainText returns a case text without its tags, for tooltips.
func reportPlainText(s string) string {
	var b strings.Builder
	inTag := false
	for _, c := range reportDisplayRaw(s) {
		switch {
		case c == '<':
			inTag = true
			b.WriteByte(' ')
		case c == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(c)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

var reportHTMLTemplate = template.Must(template.New("index.html").Funcs(template.FuncMap{
	"txt": func(v any) string { return reportDisplayRaw(fmt.Sprint(v)) },
}).Parse(reportHTMLSource))

// reportHTMLSource is the page template. It must stay self-contained: no
// element or style may load anything (no src attributes, no url(), no
// links other than fragments within the page).
const reportHTMLSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wskit conformance report</title>
<style>
body { font-family: system-ui, sans-serif; font-size: 14px; margin: 1em 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 1.5em; } h3 { font-size: 1.05em; margin: 1em 0 .3em; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { background: #2e9e2e; color: #fff; }
.nonstrict { background: #e6c619; color: #000; }
.failed { background: #d62c2c; color: #fff; }
.info { background: #5b8fc9; color: #fff; }
.unimpl { background: #9a9a9a; color: #fff; }
.almost { background: #f08c2a; color: #000; }
.missing { background: #eee; color: #777; }
.ok a, .failed a, .info a, .unimpl a { color: #fff; }
.nonstrict a, .almost a { color: #000; }
#grid td { white-space: nowrap; }
#grid .case { font-family: ui-monospace, monospace; }
#grid .cat td { background: #333; color: #fff; font-weight: bold; }
#grid .sub td { background: #ddd; font-style: italic; }
#grid .dur { font-size: .8em; }
.zero { color: #aaa; }
details.detail { border: 1px solid #ccc; margin: .4em 0; padding: .2em .6em; }
details.detail:target { outline: 3px solid #5b8fc9; }
details.detail > summary { cursor: pointer; font-family: ui-monospace, monospace; }
.badge { padding: 0 .4em; }
.text { max-width: 60em; }
pre, .mono { font-family: ui-monospace, monospace; font-size: 12px; }
pre { white-space: pre-wrap; word-break: break-all; background: #f6f6f6; padding: .4em; margin: .2em 0; }
.wire td { font-family: ui-monospace, monospace; font-size: 12px; }
.wire td.data { word-break: break-all; max-width: 50em; }
.wire .rx td { background: #eef6ff; }
.wire .tx td { background: #fff6e8; }
.wire .timer td { background: #f2f2f2; color: #555; }
</style>
</head>
<body>
<h1 id="top">wskit conformance report</h1>
<p>{{.Count}} case results{{if .Agents}} for {{range $i, $a := .Agents}}{{if $i}}, {{end}}<b>{{$a}}</b>{{end}}{{end}}{{with .Started}}, run started {{.}}{{end}}.</p>

<h2>Legend</h2>
<table id="legend">
<tr><td class="ok">Pass</td><td>The case passed: the testee did what the RFC requires.</td></tr>
<tr><td class="nonstrict">Non-Strict</td><td>Passed non-strictly: a SHOULD, or a well-defined preferred behaviour the RFC leaves open, was not followed (failing late instead of fast, for example). Still conformant.</td></tr>
<tr><td class="failed">Fail</td><td>Failed: the testee broke a MUST (except in performance and limits cases, which fail on time-outs).</td></tr>
<tr><td class="info">Info</td><td>Informational: the RFC leaves the outcome open; shown for interest, always passes.</td></tr>
<tr><td class="unimpl">Unimplemented</td><td>The feature the case tests (permessage-deflate) was not negotiated.</td></tr>
<tr><td class="missing">Missing</td><td>No result for this agent: the case was not selected, skipped, or the run stopped.</td></tr>
<tr><td>close column</td><td>The close code the testee sent (None: no code), coloured by the close verdict:
<span class="ok badge">OK</span> <span class="info badge">INFORMATIONAL</span>
<span class="nonstrict badge">WRONG CODE</span> <span class="almost badge">FAILED BY CLIENT</span>;
<span class="failed badge">Unclean</span>: a clean close was required and did not happen;
<span class="failed badge">Fail</span>: the wrong endpoint closed, or the handshake never completed.
WRONG CODE, UNCLEAN and FAILED BY CLIENT are close problems: listed, but only a Fail in either column fails a case.</td></tr>
</table>
<p>Close flags and codes in the detail views, with Autobahn's names:</p>
<table id="flags">{{range .FlagMeanings}}<tr><td class="mono">{{.Key}}</td><td>{{.Meaning}}</td></tr>{{end}}</table>

<h2>Summary</h2>
{{range .Summaries}}
<h3>{{.Agent}}</h3>
<table class="summary">
<tr><th>Category</th><th>Cases</th><th>OK</th><th>Non-Strict</th><th>Info</th><th>Unimplemented</th><th>Failed</th><th>Close problems</th></tr>
{{range .Rows}}<tr><td>{{.Title}}</td>{{template "tally" .Tally}}</tr>
{{end}}<tr><th>Total</th>{{template "tally" .Total}}</tr>
</table>
{{else}}<p>No results.</p>
{{end}}

<h2>Results</h2>
<table id="grid">
{{range .Rows}}{{if .Category}}<tr class="cat"><td>{{.Category}}</td>{{range $.Agents}}<td colspan="2">{{.}}</td>{{end}}</tr>
{{else if .Subcategory}}<tr class="sub"><td colspan="{{$.Columns}}">{{.Subcategory}}</td></tr>
{{else}}<tr><td class="case" title="{{.Description}}">Case {{.CaseID}}</td>{{range .Cells}}{{if .Span}}<td colspan="2" class="{{.SpanClass}}">{{if .Link}}<a href="{{.Link}}">{{.Span}}</a>{{else}}{{.Span}}{{end}}</td>{{else}}<td class="{{.Class}}"><a href="{{.Link}}">{{.Text}}</a>{{with .Duration}}<br><span class="dur">{{.}}</span>{{end}}</td><td class="{{.CloseClass}}">{{.CloseText}}</td>{{end}}{{end}}</tr>
{{end}}{{end}}</table>

<h2>Details</h2>
{{range .Details}}<details class="detail" id="{{.Anchor}}">
<summary><span class="badge {{.Class}}">{{.Text}}</span> <span class="badge {{.CloseClass}}">{{.CloseText}}</span> Case {{txt .R.ID}} &middot; {{txt .R.Agent}}</summary>
<table class="text">
<tr><th>Description</th><td>{{.Description}}</td></tr>
<tr><th>Expectation</th><td>{{.Expectation}}</td></tr>
<tr><th>Requirements</th><td>{{range .Requirements}}<span class="mono">{{.ID}}</span>{{with .Level}} ({{.}}){{end}}: {{.Summary}}<br>{{else}}none listed{{end}}</td></tr>
{{with .R.Reason}}<tr><th>Reason</th><td>{{txt .}}</td></tr>{{end}}
<tr><th>Behaviour</th><td>{{txt .R.Behavior}}: {{txt .R.Result}}</td></tr>
<tr><th>Close behaviour</th><td>{{txt .R.BehaviorClose}}: {{txt .R.ResultClose}}</td></tr>
<tr><th>Started</th><td>{{with .Started}}{{.}}{{else}}unknown{{end}}, case number {{.R.Index}}, {{.DurationMS}} ms</td></tr>
</table>
<h3>Expected events</h3>
{{range .Expected}}<p><b>{{.Verdict}}</b>:</p><pre>{{range .Events}}{{.}}
{{else}}(no events)
{{end}}</pre>
{{else}}<p>None (the connection never opened, or the case checks its events itself).</p>
{{end}}<h3>Received events</h3>
<pre>{{range .Received}}{{.}}
{{else}}(no events)
{{end}}</pre>
<h3>Closing</h3>
<table>{{range .Flags}}<tr><td class="mono">{{.Key}}</td><td class="mono">{{.Value}}</td></tr>{{end}}</table>
<h3>Protocol errors</h3>
{{if .R.ProtocolErrors}}<pre>{{range .R.ProtocolErrors}}{{txt .}}
{{end}}</pre>{{else}}<p>None found.</p>{{end}}
<h3>Opening handshake</h3>
<pre>{{txt .R.HTTPRequest}}</pre>
<pre>{{txt .R.HTTPResponse}}</pre>
<h3>Wire statistics</h3>
{{range .Stats}}<table class="stats"><tr><th colspan="{{if .ShowOctets}}3{{else}}2{{end}}">{{.Title}}</th></tr>
<tr><th>{{.KeyName}}</th><th>Count</th>{{if .ShowOctets}}<th>Octets</th>{{end}}</tr>
{{$o := .ShowOctets}}{{range .Rows}}<tr><td class="num">{{index . 0}}</td><td class="num">{{index . 1}}</td>{{if $o}}<td class="num">{{index . 2}}</td>{{end}}</tr>{{end}}
<tr><th>Total</th><td class="num">{{.Count}}</td>{{if .ShowOctets}}<td class="num">{{.Octets}}</td>{{end}}</tr></table>
{{else}}<p>None recorded.</p>
{{end}}<h3>Wire log</h3>
{{if not .R.CreateWirelog}}<p>Wire logging was off at the end of the case.</p>{{end}}
<table class="wire"><tr><th>#</th><th>ms</th><th>Entry</th><th>Length</th><th>Data</th></tr>
{{range .WireLog}}<tr class="{{.Class}}"><td class="num">{{.N}}</td><td class="num">{{.At}}</td><td>{{.What}}</td><td class="num">{{.Len}}</td><td class="data">{{.Data}}</td></tr>
{{end}}{{with .WireLogCut}}<tr class="timer"><td></td><td></td><td colspan="3">{{.}} more rows: see the JSON report</td></tr>
{{end}}<tr class="timer"><td></td><td></td><td colspan="3">{{.Dropped}}</td></tr></table>
<p><a href="#top">Up</a></p>
</details>
{{end}}
<script>
function openTarget() {
	var id = decodeURIComponent(location.hash.slice(1));
	var el = id && document.getElementById(id);
	if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView(); }
}
window.addEventListener("hashchange", openTarget);
openTarget();
</script>
</body>
</html>
{{define "tally"}}<td class="num">{{.Cases}}</td><td class="num{{if not .OK}} zero{{end}}">{{.OK}}</td><td class="num{{if not .NonStrict}} zero{{end}}">{{.NonStrict}}</td><td class="num{{if not .Informational}} zero{{end}}">{{.Informational}}</td><td class="num{{if not .Unimplemented}} zero{{end}}">{{.Unimplemented}}</td><td class="num{{if not .Failed}} zero{{end}}">{{.Failed}}</td><td class="num{{if not .CloseProblems}} zero{{end}}">{{.CloseProblems}}</td>{{end}}
`
