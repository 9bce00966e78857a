package conformance

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteJUnit writes results as JUnit XML, the format CI systems show as
// test results:
//
//	<testsuites name="wskit conformance" tests=".." failures=".." errors="0" time="..">
//	  <testsuite name="1 Framing" tests="16" failures="0" errors="0" skipped="0" time="..">
//	    <testcase classname="wskit.conformance.1" name="1.1.1" time="0.012">
//	      <system-out>behavior: OK ...</system-out>
//	    </testcase>
//
// There is one testsuite per category and one testcase per case, in case
// order; times are in seconds. A FAILED case (FAILED in either verdict
// column, see WriteSummary) has a <failure> whose message is wskit's
// reason and whose text adds both verdicts with their result texts and the
// requirement IDs. Every other case passes, NON-STRICT, INFORMATIONAL,
// UNIMPLEMENTED and close problems included; its verdicts are in
// <system-out>.
//
// With several agents there is a testsuite per agent and category, named
// "1 Framing [agent]", and the class names carry the agent's file prefix:
// "wskit.conformance.<prefix>.1". nil results are skipped.
func WriteJUnit(w io.Writer, results []*Result) error {
	rs := make([]*Result, 0, len(results))
	for _, r := range results {
		if r != nil {
			rs = append(rs, r)
		}
	}
	reportSort(rs)
	agents := reportAgents(rs)
	doc := reportJUnitSuites{Name: "wskit conformance"}
	var total time.Duration
	for _, run := range agents {
		for _, c := range reportCategories(run) {
			suite := reportJUnitSuite{Name: c.Title()}
			class := "wskit.conformance." + c.ID
			if len(agents) > 1 {
				suite.Name += " [" + run[0].Agent + "]"
				class = "wskit.conformance." + reportFilePrefix(run[0].Agent) + "." + c.ID
			}
			var suiteTime time.Duration
			for _, r := range c.Results {
				tc := reportJUnitCase{Classname: class, Name: r.ID, Time: reportSeconds(r.Duration)}
				details := reportJUnitDetails(r)
				if r.Failed() {
					msg := r.Reason
					if msg == "" {
						msg = fmt.Sprintf("behavior %s, close behavior %s", r.Behavior, r.BehaviorClose)
					}
					tc.Failure = &reportJUnitFailure{Message: reportDisplayRaw(msg), Type: string(Failed), Text: details}
					suite.Failures++
				} else {
					tc.SystemOut = details
				}
				suite.Tests++
				suiteTime += r.Duration
				suite.Cases = append(suite.Cases, tc)
			}
			suite.Time = reportSeconds(suiteTime)
			doc.Tests += suite.Tests
			doc.Failures += suite.Failures
			total += suiteTime
			doc.Suites = append(doc.Suites, suite)
		}
	}
	doc.Time = reportSeconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// reportJUnitSuites is the <testsuites> root.
type reportJUnitSuites struct {
	XMLName  xml.Name           `xml:"testsuites"`
	Name     string             `xml:"name,attr"`
	Tests    int                `xml:"tests,attr"`
	Failures int                `xml:"failures,attr"`
	Errors   int                `xml:"errors,attr"`
	Time     string             `xml:"time,attr"`
	Suites   []reportJUnitSuite `xml:"testsuite"`
}

// reportJUnitSuite is one <testsuite>: a category.
type reportJUnitSuite struct {
	Name     string            `xml:"name,attr"`
	Tests    int               `xml:"tests,attr"`
	Failures int               `xml:"failures,attr"`
	Errors   int               `xml:"errors,attr"`
	Skipped  int               `xml:"skipped,attr"`
	Time     string            `xml:"time,attr"`
	Cases    []reportJUnitCase `xml:"testcase"`
}

// reportJUnitCase is one <testcase>: a case.
type reportJUnitCase struct {
	Classname string              `xml:"classname,attr"`
	Name      string              `xml:"name,attr"`
	Time      string              `xml:"time,attr"`
	Failure   *reportJUnitFailure `xml:"failure,omitempty"`
	SystemOut string              `xml:"system-out,omitempty"`
}

// reportJUnitFailure is the <failure> of a FAILED case.
type reportJUnitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// reportJUnitDetails returns the verdicts of r as text lines.
func reportJUnitDetails(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "agent: %s\n", r.Agent)
	fmt.Fprintf(&b, "behavior: %s (%s)\n", r.Behavior, r.Result)
	fmt.Fprintf(&b, "behaviorClose: %s (%s)\n", r.BehaviorClose, r.ResultClose)
	if r.Reason != "" {
		fmt.Fprintf(&b, "reason: %s\n", r.Reason)
	}
	if len(r.Requirements) > 0 {
		fmt.Fprintf(&b, "requirements: %s\n", strings.Join(r.Requirements, " "))
	}
	for _, pe := range r.ProtocolErrors {
		fmt.Fprintf(&b, "protocol error: %s\n", pe)
	}
	return reportDisplayRaw(b.String())
}

// reportSeconds formats d in seconds with millisecond precision.
func reportSeconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
