package clienttest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/clienttest"
	"github.com/wskit/wskit/conformance/clienttest/echoclient"
)

// start serves cfg on a free port of 127.0.0.1 and returns the server
// and its base URL.
func start(t *testing.T, cfg clienttest.Config) (*clienttest.Server, string) {
	t.Helper()
	if cfg.Cases == nil {
		cfg.Cases = clienttest.Suite(autobahn.Cases())
	}
	srv, err := clienttest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return srv, "ws://" + ln.Addr().String()
}

// suiteCases returns the client suite as the tests run it: of
// categories 12 and 13 (216 cases of 1,000 compressed round trips each)
// rows 1, 4 and 11 of every sub-category, as the loopback server's
// TestConformance runs them, and under the race detector not category 9
// either, whose 16 MiB messages and one-second closing timers the
// detector's slowdown turns into timeouts.
func suiteCases(t *testing.T) []*conformance.Case {
	t.Helper()
	exclude := []string{"12.*.*", "13.*.*"}
	if raceEnabled {
		exclude = append(exclude, "9")
	}
	cases, err := autobahn.Select(nil, exclude)
	if err != nil {
		t.Fatal(err)
	}
	sample, err := autobahn.Select([]string{"12.*.1", "12.*.4", "12.*.11", "13.*.1", "13.*.4", "13.*.11"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, sample...)
	slices.SortFunc(cases, func(a, b *conformance.Case) int { return conformance.CompareIDs(a.ID, b.ID) })
	return clienttest.Suite(cases)
}

// offering is the reference client's configuration in the suite: it
// offers permessage-deflate as "wskit echo-client" does.
var offering = echoclient.Config{Deflate: &deflate.ClientOptions{Offers: []deflate.Params{{ClientMaxWindowBits: deflate.WindowBitsNoValue}}}}

// harness drives a client the way Autobahn's documentation shows:
// getCaseCount, then runCase for every case (here several at once), then
// updateReports. run connects the client under test to a case URL.
func harness(t *testing.T, base, agent string, parallel int, run func(url string)) int {
	t.Helper()
	ctx := context.Background()
	texts, err := echoclient.ReadText(ctx, base+"/getCaseCount", echoclient.Config{})
	if err != nil || len(texts) != 1 {
		t.Fatalf("getCaseCount: %q %v", texts, err)
	}
	count, err := strconv.Atoi(texts[0])
	if err != nil {
		t.Fatalf("getCaseCount sent %q", texts[0])
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range next {
				run(fmt.Sprintf("%s/runCase?case=%d&agent=%s", base, n, agent))
			}
		}()
	}
	for n := 1; n <= count; n++ {
		next <- n
	}
	close(next)
	wg.Wait()
	if _, err := echoclient.ReadText(ctx, base+"/updateReports?agent="+agent, echoclient.Config{}); err != nil {
		t.Fatalf("updateReports: %v", err)
	}
	return count
}

// TestSuiteEchoClientAPI runs every case of the catalogue against the
// reference echo client through the fuzzing-server API: every case
// passes, the reports land in the output directory, and /results agrees.
func TestSuiteEchoClientAPI(t *testing.T) {
	dir := t.TempDir()
	srv, base := start(t, clienttest.Config{Cases: suiteCases(t), OutDir: dir})
	begin := time.Now()
	count := harness(t, base, "wskit-echoclient", 8, func(url string) {
		echoclient.Run(context.Background(), url, offering)
	})
	t.Logf("%d cases in %v", count, time.Since(begin).Round(time.Millisecond))
	if count != len(suiteCases(t)) {
		t.Errorf("getCaseCount %d, want %d", count, len(suiteCases(t)))
	}
	rs := srv.AgentResults("wskit-echoclient")
	if len(rs) != count {
		t.Fatalf("%d results for %d cases", len(rs), count)
	}
	for i, r := range rs {
		if !r.Passed() || conformance.DefaultPolicy.Fails(r) {
			t.Errorf("%s %s/%s: %s", r.ID, r.Behavior, r.BehaviorClose, r.Reason)
		}
		if !r.IsServer || r.Index != i+1 {
			t.Errorf("%s: isServer %v, case %d, want true, %d", r.ID, r.IsServer, r.Index, i+1)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var index map[string]map[string]struct {
		Behavior, BehaviorClose, Reportfile string
	}
	if err := json.Unmarshal(data, &index); err != nil {
		t.Fatal(err)
	}
	if got := len(index["wskit-echoclient"]); got != count {
		t.Errorf("index.json has %d cases", got)
	}
	data, err = os.ReadFile(filepath.Join(dir, "wskit_echoclient_case_2_1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var one struct {
		Case     int
		IsServer bool
		Agent    string
	}
	want := slices.IndexFunc(suiteCases(t), func(c *conformance.Case) bool { return c.ID == "2.1" }) + 1
	if err := json.Unmarshal(data, &one); err != nil || one.Case != want || !one.IsServer || one.Agent != "wskit-echoclient" {
		t.Errorf("case 2.1's report: %+v %v", one, err)
	}
	if rep := srv.Report("wskit-echoclient"); !rep.Passed || rep.Run != count || rep.Failing != 0 {
		t.Errorf("report: passed %v, run %d, failing %d", rep.Passed, rep.Run, rep.Failing)
	}
}
