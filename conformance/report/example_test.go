package report_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/report"
)

// exampleResults are two finished cases, as a runner would return them.
func exampleResults() []*conformance.Result {
	return []*conformance.Result{
		{
			Agent: "MyServer/1.0", Index: 2, ID: "1.1.2",
			Duration: 4 * time.Millisecond, Behavior: conformance.OK, BehaviorClose: conformance.OK,
			Result: "Actual events match at least one expected.", ResultClose: "Connection was properly closed",
			RemoteCloseCode: 1000, HasRemoteCloseCode: true,
		},
		{
			Agent: "MyServer/1.0", Index: 201, ID: "6.4.1",
			Duration: 2 * time.Second, Behavior: conformance.Failed, BehaviorClose: conformance.Failed,
			Result:      "Actual events differ from any expected.",
			ResultClose: "The connection was failed by the wrong endpoint",
			Reason:      "the testee echoed invalid UTF-8 instead of failing with 1007",
		},
	}
}

// WriteReports puts Autobahn-compatible JSON, an HTML page and JUnit XML
// into one directory.
func ExampleWriteReports() {
	dir, err := os.MkdirTemp("", "wskit-reports")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	if err := report.WriteReports(dir, exampleResults(), conformance.DefaultPolicy); err != nil {
		panic(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, n := range names {
		fmt.Println(filepath.Base(n))
	}
	// Output:
	// index.html
	// index.json
	// junit.xml
	// myserver_1_0_case_1_1_2.json
	// myserver_1_0_case_6_4_1.json
}

func ExampleCaseReportFile() {
	fmt.Println(report.CaseReportFile("gws/client@v1.8.0", "6.4.1"))
	// Output:
	// gws_client_v1_8_0_case_6_4_1.json
}

// The summary counts each category's cases by verdict, then lists the
// cases that fail the run under the policy, and why.
func ExampleWriteSummary() {
	report.WriteSummary(os.Stdout, exampleResults(), conformance.DefaultPolicy)
	// Output:
	// agent "MyServer/1.0"
	// category  name            cases  OK  NON-STRICT  INFORMATIONAL  UNIMPLEMENTED  FAILED  close problems
	// 1         Framing             1   1           0              0              0       0               0
	// 6         UTF-8 Handling      1   0           0              0              0       1               0
	// total                         2   1           0              0              0       1               0
	//
	// failing the run under fail-on FAILED,UNCLEAN,WRONG CODE (1):
	//   6.4.1 FAILED/FAILED (behaviour FAILED, close FAILED): the testee echoed invalid UTF-8 instead of failing with 1007
}
