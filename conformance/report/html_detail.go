// The detail view of one case in the HTML page: flags, statistics, the wire
// log, and the case texts with their few allowed tags.

package report

import (
	"fmt"
	"html"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/report/internal/pyjson"
	"github.com/wskit/wskit/spec"
)

// htmlDetail is the detail view of one result.
type htmlDetail struct {
	Anchor       string
	R            *conformance.Result
	Class, Text  string
	CloseClass   string
	CloseText    string
	Description  template.HTML
	Expectation  template.HTML
	Requirements []htmlRequirement
	Started      string
	DurationMS   int64
	Expected     []htmlEvents
	Received     []string
	Flags        []htmlFlag
	Stats        []htmlStats
	WireLog      []htmlWireRow
	WireLogCut   int // rows left out, beyond htmlWireRows
	Dropped      string
}

// htmlRequirement is a requirement ID with its rule, if known.
type htmlRequirement struct {
	ID, Level, Summary string
}

// htmlEvents is the expected event list of one verdict.
type htmlEvents struct {
	Verdict string
	Events  []string
}

// htmlFlag is one close flag or code with its meaning.
type htmlFlag struct {
	Key, Value, Meaning string
}

// htmlStats is one statistics table: sizes or opcodes and counts.
type htmlStats struct {
	Title, KeyName string
	Rows           [][3]int // key, count, key*count
	Count, Octets  int
	ShowOctets     bool
}

// htmlWireRow is one wire log row for people.
type htmlWireRow struct {
	N     int
	At    string
	Class string
	What  string
	Len   string
	Data  string
}

// htmlWireRows is how many wire log rows a detail view shows; the
// JSON report has them all. Octet-wise chopped cases log thousands of
// writes, which would make the page slow for no gain.
const htmlWireRows = 500

// htmlDetailOf returns the detail view of r.
func htmlDetailOf(r *conformance.Result) htmlDetail {
	d := htmlDetail{
		Anchor:      htmlAnchor(r.Agent, r.ID),
		R:           r,
		Description: caseText(r.Description),
		Expectation: caseText(r.Expectation),
		Started:     started(r.Started),
		DurationMS:  durationMS(int64(r.Duration)),
	}
	d.Class, d.Text = htmlBehavior(r.Behavior)
	d.CloseClass, _ = htmlClose(r)
	d.CloseText = string(r.BehaviorClose)
	for _, id := range r.Requirements {
		req := htmlRequirement{ID: id, Summary: "(not in the catalogue)"}
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
		e := htmlEvents{Verdict: v}
		for _, ev := range r.Expected[conformance.Verdict(v)] {
			e.Events = append(e.Events, eventText(ev))
		}
		d.Expected = append(d.Expected, e)
	}
	for _, ev := range r.Received {
		d.Received = append(d.Received, eventText(ev))
	}
	d.Flags = htmlFlags(r)
	stats := []htmlStats{
		htmlStatsOf("Octets received by read size", "Size", r.RxOctetStats, true),
		htmlStatsOf("Octets sent by write size", "Size", r.TxOctetStats, true),
		htmlStatsOf("Frames received by opcode", "Opcode", r.RxFrameStats, false),
		htmlStatsOf("Frames sent by opcode", "Opcode", r.TxFrameStats, false),
	}
	for _, s := range stats {
		if len(s.Rows) > 0 {
			d.Stats = append(d.Stats, s)
		}
	}
	for i, e := range r.WireLog {
		if i == htmlWireRows {
			d.WireLogCut = len(r.WireLog) - i
			break
		}
		d.WireLog = append(d.WireLog, htmlWireRowOf(i, e))
	}
	d.Dropped = "TCP DROPPED BY PEER"
	if r.DroppedByMe {
		d.Dropped = "TCP DROPPED BY ME"
	}
	return d
}

// htmlFlagMeanings explains the close flags and codes once, in the
// legend, in the order the detail views list them.
var htmlFlagMeanings = []htmlFlag{
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

// htmlFlags returns the close flags and codes of r.
func htmlFlags(r *conformance.Result) []htmlFlag {
	str := func(s string) string {
		if s == "" {
			return "None"
		}
		return pyjson.Display(s)
	}
	code := func(c int) string {
		if c == 0 {
			return "None"
		}
		return strconv.Itoa(c)
	}
	b := strconv.FormatBool
	return []htmlFlag{
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

// htmlStatsOf returns a statistics table in numeric key order.
func htmlStatsOf(title, keyName string, m map[int]int, octets bool) htmlStats {
	s := htmlStats{Title: title, KeyName: keyName, ShowOctets: octets}
	for _, kv := range pyjson.Stats(m) {
		k, _ := strconv.Atoi(kv.Key)
		n := kv.Value.(int)
		s.Rows = append(s.Rows, [3]int{k, n, k * n})
		s.Count += n
		s.Octets += k * n
	}
	return s
}

// htmlWireRowOf returns wire log entry i for people.
func htmlWireRowOf(i int, e conformance.WireEntry) htmlWireRow {
	w := htmlWireRow{N: i, At: fmt.Sprintf("%.1f", float64(e.At)/float64(time.Millisecond))}
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
	case conformance.WireRead:
		w.Class, w.What = "rx", "RX OCTETS"
		w.Len, w.Data = strconv.Itoa(e.Len), pyjson.PreviewHex(e.Data, e.Len)
	case conformance.WireWrite:
		w.Class, w.What = "tx", "TX OCTETS"
		if e.Sync {
			w.What += " (sync)"
		}
		w.Len, w.Data = strconv.Itoa(e.Len), pyjson.PreviewHex(e.Data, e.Len)
	case conformance.WireFrameIn:
		w.Class = "rx"
		w.What = fmt.Sprintf("RX FRAME opcode=%d fin=%t rsv=%d masked=%t mask=%s", e.Opcode, e.Fin, e.Rsv, e.Masked, mask)
		w.Len, w.Data = strconv.Itoa(e.Len), pyjson.Display(pyjson.PreviewText(e.Data, e.Len))
	case conformance.WireFrameOut:
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
		w.Len, w.Data = strconv.Itoa(e.Len), pyjson.Display(pyjson.PreviewText(e.Data, e.Len))
	case conformance.WireContinue:
		w.Class, w.What = "timer", "CONTINUE AFTER "+delay+", tag "+tag
	case conformance.WireContinueRun:
		w.Class, w.What = "timer", "CONTINUING, tag "+tag
	case conformance.WireKill:
		w.Class, w.What = "timer", "FAIL CONNECTION AFTER "+delay
	case conformance.WireKillRun:
		w.Class, w.What = "timer", "FAILING CONNECTION"
	case conformance.WireCloseTimer:
		w.Class, w.What = "timer", "CLOSE CONNECTION AFTER "+delay
	case conformance.WireCloseRun:
		w.Class, w.What = "timer", "CLOSING CONNECTION"
	case conformance.WireLogging:
		w.Class, w.What = "timer", "WIRE LOG DISABLED"
		if e.Enabled {
			w.What = "WIRE LOG ENABLED"
		}
	default:
		w.Class, w.What = "timer", string(e.Kind)
	}
	return w
}

// caseTags are the formatting tags Autobahn's case texts use that
// caseText lets through, written without attributes.
var caseTags = []string{"b", "i", "tt", "code"}

// caseText escapes a case description or expectation for HTML but
// keeps its plain formatting tags (<b>, </b>, <i>, <tt>, <code> and their
// ends; <br>, <br/>, <br />) when they carry no attributes. Unclosed tags
// are closed at the end and stray end tags dropped, so the text cannot
// change the page around it.
func caseText(s string) template.HTML {
	esc := html.EscapeString(pyjson.DisplayRaw(s))
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
		case isCaseTag(name):
			b.WriteString("<" + name + ">")
			open = append(open, name)
		case strings.HasPrefix(name, "/") && isCaseTag(name[1:]):
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

// isCaseTag reports whether name is one of caseTags.
func isCaseTag(name string) bool {
	for _, t := range caseTags {
		if name == t {
			return true
		}
	}
	return false
}

// plainText returns a case text without its tags, for tooltips.
func plainText(s string) string {
	var b strings.Builder
	inTag := false
	for _, c := range pyjson.DisplayRaw(s) {
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
