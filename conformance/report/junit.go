package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/report/internal/pyjson"
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
// order; times are in seconds. A case that fails the run under p has a
// <failure> whose message says why (p.Why) and gives wskit's reason, and
// whose text adds both verdicts with their result texts and the
// requirement IDs. Every other case passes; its verdicts are in
// <system-out>.
//
// With several agents there is a testsuite per agent and category, named
// "1 Framing [agent]", and the class names carry the agent's file prefix:
// "wskit.conformance.<prefix>.1". nil results are skipped.
func WriteJUnit(w io.Writer, results []*conformance.Result, p conformance.Policy) error {
	rs := make([]*conformance.Result, 0, len(results))
	for _, r := range results {
		if r != nil {
			rs = append(rs, r)
		}
	}
	sortResults(rs)
	agents := splitAgents(rs)
	doc := junitSuites{Name: "wskit conformance"}
	var total time.Duration
	for _, run := range agents {
		for _, c := range splitCategories(run) {
			suite := junitSuite{Name: c.Title()}
			class := "wskit.conformance." + c.ID
			if len(agents) > 1 {
				suite.Name += " [" + run[0].Agent + "]"
				class = "wskit.conformance." + filePrefix(run[0].Agent) + "." + c.ID
			}
			var suiteTime time.Duration
			for _, r := range c.Results {
				tc := junitCase{Classname: class, Name: r.ID, Time: seconds(r.Duration)}
				details := junitDetails(r)
				if why := p.Why(r); why != "" {
					msg := r.Reason
					if msg == "" {
						msg = fmt.Sprintf("behavior %s, close behavior %s", r.Behavior, r.BehaviorClose)
					}
					msg = why + ": " + msg
					tc.Failure = &junitFailure{Message: pyjson.DisplayRaw(msg), Type: string(conformance.Failed), Text: details}
					suite.Failures++
				} else {
					tc.SystemOut = details
				}
				suite.Tests++
				suiteTime += r.Duration
				suite.Cases = append(suite.Cases, tc)
			}
			suite.Time = seconds(suiteTime)
			doc.Tests += suite.Tests
			doc.Failures += suite.Failures
			total += suiteTime
			doc.Suites = append(doc.Suites, suite)
		}
	}
	doc.Time = seconds(total)
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

// junitSuites is the <testsuites> root.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

// junitSuite is one <testsuite>: a category.
type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

// junitCase is one <testcase>: a case.
type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// junitFailure is the <failure> of a FAILED case.
type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitDetails returns the verdicts of r as text lines.
func junitDetails(r *conformance.Result) string {
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
	return pyjson.DisplayRaw(b.String())
}

// seconds formats d in seconds with millisecond precision.
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}
