package clienttest_test

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance/clienttest"
)

// TestSuitePage: a plain GET of "/" gets the self-contained page that
// runs the suite in a browser (.ci/browser.sh drives it through
// window.wskitSuite and ?autorun=1) and lists the API.
func TestSuitePage(t *testing.T) {
	t.Parallel()
	_, base := start(t, clienttest.Config{Cases: lookup(t, "1.1.1")})
	nc, err := net.Dial("tcp", strings.TrimPrefix(base, "ws://"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	nc.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
	b, _ := io.ReadAll(nc)
	page := string(b)
	if !strings.HasPrefix(page, "HTTP/1.1 200 ") || !strings.Contains(page, "Content-Type: text/html; charset=utf-8") {
		t.Fatalf("GET / answered %q", page[:min(len(page), 200)])
	}
	for _, want := range []string{"window.wskitSuite", `"/getCaseCount"`, `"/runCase?case="`, `"/updateReports?agent="`, "autorun", "/getCaseStatus?case=N&amp;agent=A"} {
		if !strings.Contains(page, want) {
			t.Errorf("the suite page lacks %s", want)
		}
	}
	for _, external := range []string{"src=", "href=", "@import", "url("} {
		if strings.Contains(page, external) {
			t.Errorf("the suite page refers to something else (%s)", external)
		}
	}
}
