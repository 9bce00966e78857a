package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/report/internal/pyjson"
)

// The shape a JUnit consumer reads, declared independently of the writer.
type repJUnit struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Time     string   `xml:"time,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Time     string `xml:"time,attr"`
		Cases    []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func repParseJUnit(t *testing.T, results []*conformance.Result) repJUnit {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJUnit(&b, results, conformance.DefaultPolicy); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), xml.Header) {
		t.Errorf("no XML declaration")
	}
	var doc repJUnit
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, b.String())
	}
	return doc
}

func TestWriteJUnit(t *testing.T) {
	doc := repParseJUnit(t, repResults())
	// Two agents: suites per agent and category, agents in name order.
	type suite struct {
		Name            string
		Tests, Failures int
	}
	var got []suite
	for _, s := range doc.Suites {
		got = append(got, suite{s.Name, s.Tests, s.Failures})
	}
	o, l := " ["+repAgentOther+"]", " ["+repAgentLoop+"]"
	want := []suite{
		{"1 Framing" + o, 1, 1},
		{"10 Misc" + o, 1, 0},
		{"1 Framing" + l, 3, 2}, // 1.1.2 FAILED, 1.2.8 WRONG CODE
		{"2 Pings/Pongs" + l, 1, 0},
		{"3 Reserved Bits" + l, 1, 1},
		{"6 UTF-8 Handling" + l, 1, 0},
		{"7 Close Handling" + l, 1, 0},
		{"9 Limits/Performance" + l, 1, 1}, // UNCLEAN
		{"12 WebSocket Compression (different payloads)" + l, 1, 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("suites (-want +got):\n%s", diff)
	}
	if doc.Tests != len(repResults()) || doc.Failures != 5 {
		t.Errorf("totals: %d tests, %d failures; want %d, 5", doc.Tests, doc.Failures, len(repResults()))
	}

	byName := map[string]int{}
	for si, s := range doc.Suites {
		for ci, c := range s.Cases {
			agent := strings.TrimSuffix(s.Name[strings.LastIndex(s.Name, " [")+2:], "]")
			key := agent + "|" + c.Name
			byName[key] = si*1000 + ci
			if !strings.HasPrefix(c.Classname, "wskit.conformance.") {
				t.Errorf("%s: classname %q", c.Name, c.Classname)
			}
		}
	}
	for _, r := range repResults() {
		key := r.Agent + "|" + r.ID
		pos, ok := byName[key]
		if !ok {
			t.Errorf("no testcase for %s of %q", r.ID, r.Agent)
			continue
		}
		c := doc.Suites[pos/1000].Cases[pos%1000]
		if want := "wskit.conformance." + filePrefix(r.Agent) + "." + autobahn.CategoryOf(r.ID); c.Classname != want {
			t.Errorf("%s: classname %q, want %q", r.ID, c.Classname, want)
		}
		if want := seconds(r.Duration); c.Time != want {
			t.Errorf("%s: time %q, want %q", r.ID, c.Time, want)
		}
		why := conformance.DefaultPolicy.Why(r)
		failed := why != ""
		if failed != (c.Failure != nil) {
			t.Errorf("%s %s/%s: failure element present = %v", r.ID, r.Behavior, r.BehaviorClose, c.Failure != nil)
			continue
		}
		text := c.SystemOut
		if failed {
			text = c.Failure.Text
			wantMsg := r.Reason
			if wantMsg == "" {
				wantMsg = "behavior " + string(r.Behavior) + ", close behavior " + string(r.BehaviorClose)
			}
			wantMsg = why + ": " + wantMsg
			if c.Failure.Message != wantMsg || c.Failure.Type != "FAILED" {
				t.Errorf("%s: failure message %q type %q, want %q FAILED", r.ID, c.Failure.Message, c.Failure.Type, wantMsg)
			}
		}
		for _, want := range append([]string{
			"behavior: " + string(r.Behavior) + " (" + r.Result + ")",
			"behaviorClose: " + string(r.BehaviorClose) + " (" + r.ResultClose + ")",
		}, r.Requirements...) {
			if !strings.Contains(text, pyjson.DisplayRaw(want)) {
				t.Errorf("%s: output lacks %q:\n%s", r.ID, want, text)
			}
		}
	}
}

func TestWriteJUnitOneAgent(t *testing.T) {
	var rs []*conformance.Result
	for _, r := range repResults() {
		if r.Agent == repAgentLoop {
			rs = append(rs, r)
		}
	}
	doc := repParseJUnit(t, rs)
	s := doc.Suites[0]
	if s.Name != "1 Framing" || s.Cases[0].Classname != "wskit.conformance.1" || s.Cases[0].Name != "1.1.1" {
		t.Errorf("one agent: suite %q, testcase %q %q", s.Name, s.Cases[0].Classname, s.Cases[0].Name)
	}
	if s.Time != "1705562451.377" { // 3.499 + 1705562451334 + 40 ms
		t.Errorf("suite time %q", s.Time)
	}
	if doc.Tests != 9 || doc.Failures != 4 {
		t.Errorf("totals %d/%d, want 9/4", doc.Tests, doc.Failures)
	}
	// Under Autobahn's reading only FAILED fails.
	var b strings.Builder
	if err := WriteJUnit(&b, rs, conformance.AutobahnPolicy); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "<failure "); n != 2 {
		t.Errorf("AutobahnPolicy: %d failures, want 2", n)
	}
}

func TestWriteJUnitEmpty(t *testing.T) {
	doc := repParseJUnit(t, nil)
	if doc.Tests != 0 || len(doc.Suites) != 0 {
		t.Errorf("empty run: %+v", doc)
	}
}

func TestReportSeconds(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0.000", 1499 * time.Microsecond: "0.001", 2 * time.Second: "2.000", 61*time.Second + 5*time.Millisecond: "61.005",
	} {
		if got := seconds(d); got != want {
			t.Errorf("seconds(%v) = %q, want %q", d, got, want)
		}
	}
}
