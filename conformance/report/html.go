package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/report/internal/pyjson"
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
func WriteHTML(w io.Writer, results []*conformance.Result, p conformance.Policy) error {
	rs := make([]*conformance.Result, 0, len(results))
	for _, r := range results {
		if r != nil {
			rs = append(rs, r)
		}
	}
	sortResults(rs)
	return htmlTemplate.Execute(w, htmlBuild(rs, p))
}

// htmlPage is what the template shows.
type htmlPage struct {
	Count   int
	Columns int // columns of the grid: the case, then two per agent
	// FlagMeanings explains the close flags, for the legend.
	FlagMeanings []htmlFlag
	Started      string // earliest start time of any case, "" if unknown
	Agents       []string
	Summaries    []htmlSummary
	Rows         []htmlRow
	Details      []htmlDetail
}

// htmlSummary is the summary table of one agent.
type htmlSummary struct {
	Agent string
	Rows  []htmlTallyRow
	Total Tally
}

// htmlTallyRow is one category of a summary table.
type htmlTallyRow struct {
	Title string
	Tally Tally
}

// htmlRow is one row of the grid: a category header (Category set),
// a sub-category caption (Subcategory set) or a case.
type htmlRow struct {
	Category    string
	Subcategory string
	CaseID      string
	Description string // plain text, for the case cell's tooltip
	Cells       []htmlCell
}

// htmlCell is the pair of grid cells of one agent for one case.
type htmlCell struct {
	Span       string // "Missing" or "Unimplemented": one cell over both columns
	SpanClass  string
	Link       string // fragment of the detail view
	Class      string
	Text       string
	Duration   string // "123 ms" for performance cases
	CloseClass string
	CloseText  string
}

// htmlBuild turns results, sorted by sortResults, into a page.
func htmlBuild(results []*conformance.Result, p conformance.Policy) htmlPage {
	page := htmlPage{Count: len(results), FlagMeanings: htmlFlagMeanings}
	var first time.Time
	agentResults := splitAgents(results)
	byAgentCase := make([]map[string]*conformance.Result, len(agentResults))
	var ids []string
	seen := map[string]bool{}
	for i, rs := range agentResults {
		page.Agents = append(page.Agents, pyjson.DisplayRaw(rs[0].Agent))
		byAgentCase[i] = map[string]*conformance.Result{}
		sum := htmlSummary{Agent: pyjson.DisplayRaw(rs[0].Agent)}
		for _, c := range splitCategories(rs) {
			row := htmlTallyRow{Title: c.Title()}
			for _, r := range c.Results {
				row.Tally.Add(r, p)
				sum.Total.Add(r, p)
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
			page.Details = append(page.Details, htmlDetailOf(r))
		}
	}
	page.Started = started(first)
	page.Columns = 1 + 2*len(page.Agents)
	sort.SliceStable(ids, func(i, j int) bool { return conformance.CompareIDs(ids[i], ids[j]) < 0 })

	lastCat, lastSub := "", ""
	for i, id := range ids {
		cat, sub := autobahn.CategoryOf(id), autobahn.SubcategoryOf(id)
		if i == 0 || cat != lastCat || sub != lastSub {
			title := category{ID: cat, Name: autobahn.CategoryName(cat)}.Title()
			page.Rows = append(page.Rows, htmlRow{Category: title})
			if sub != "" {
				caption := strings.TrimSpace(sub + " " + autobahn.SubcategoryCaption(sub))
				page.Rows = append(page.Rows, htmlRow{Subcategory: caption})
			}
			lastCat, lastSub = cat, sub
		}
		row := htmlRow{CaseID: pyjson.DisplayRaw(id)}
		for a := range agentResults {
			r := byAgentCase[a][id]
			if r != nil && row.Description == "" {
				row.Description = plainText(r.Description)
			}
			row.Cells = append(row.Cells, htmlCellOf(r))
		}
		page.Rows = append(page.Rows, row)
	}
	return page
}

// htmlBehavior returns the CSS class and grid text of a behaviour
// verdict, as Autobahn's grid shows it.
func htmlBehavior(v conformance.Verdict) (class, text string) {
	switch v {
	case conformance.OK:
		return "ok", "Pass"
	case conformance.NonStrict:
		return "nonstrict", "Non-Strict"
	case conformance.Informational:
		return "info", "Info"
	case conformance.Unimplemented:
		return "unimpl", "Unimplemented"
	}
	return "failed", "Fail"
}

// htmlClose returns the CSS class and grid text of a close verdict:
// the testee's close code for OK, INFORMATIONAL, WRONG CODE and FAILED BY
// CLIENT, "Unclean" for UNCLEAN and "Fail" for anything else.
func htmlClose(r *conformance.Result) (class, text string) {
	code := "None"
	if r.RemoteCloseCode != 0 {
		code = strconv.Itoa(r.RemoteCloseCode)
	}
	switch r.BehaviorClose {
	case conformance.OK:
		return "ok", code
	case conformance.Informational:
		return "info", code
	case conformance.WrongCode:
		return "nonstrict", code
	case conformance.FailedByClient:
		return "almost", code
	case conformance.Unclean:
		return "failed", "Unclean"
	case conformance.Unimplemented:
		return "unimpl", code
	}
	return "failed", "Fail"
}

// htmlAnchor returns the fragment naming the detail view of a case
// run against an agent.
func htmlAnchor(agent, id string) string {
	return "r-" + filePrefix(agent) + "-" + strings.ReplaceAll(id, ".", "_")
}

// htmlCellOf returns the grid cells of one agent for one case; r is
// nil when the agent has no result for it.
func htmlCellOf(r *conformance.Result) htmlCell {
	if r == nil {
		return htmlCell{Span: "Missing", SpanClass: "missing"}
	}
	c := htmlCell{Link: "#" + htmlAnchor(r.Agent, r.ID)}
	if r.Behavior == conformance.Unimplemented {
		c.Span, c.SpanClass = "Unimplemented", "unimpl"
		return c
	}
	c.Class, c.Text = htmlBehavior(r.Behavior)
	c.CloseClass, c.CloseText = htmlClose(r)
	if r.ReportTime {
		c.Duration = strconv.FormatInt(durationMS(int64(r.Duration)), 10) + " ms"
	}
	return c
}

var htmlTemplate = template.Must(template.New("index.html").Funcs(template.FuncMap{
	"txt": func(v any) string { return pyjson.DisplayRaw(fmt.Sprint(v)) },
}).Parse(htmlSource))

// htmlSource is the page template. It must stay self-contained: no
// external scripts, styles, fonts or images.
//
//go:embed html.tmpl
var htmlSource string
