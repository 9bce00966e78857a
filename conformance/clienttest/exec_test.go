package clienttest_test

import (
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/clienttest"
	"github.com/wskit/wskit/conformance/clienttest/echoclient"
)

// clientEnv makes the test binary act as a client under test: started
// with WSKIT_TEST_CLIENT set, TestMain runs that client on the URL in its
// last argument instead of the tests.
const clientEnv = "WSKIT_TEST_CLIENT"

func TestMain(m *testing.M) {
	switch os.Getenv(clientEnv) {
	case "":
		os.Exit(m.Run())
	case "echo":
		err := echoclient.Run(context.Background(), os.Args[len(os.Args)-1], offering)
		if errors.Is(err, echoclient.ErrNotOpened) {
			os.Exit(1)
		}
		os.Exit(0)
	case "exit":
		os.Exit(3)
	case "hang":
		time.Sleep(time.Minute)
		os.Exit(0)
	}
}

// TestExecEchoClient runs the whole suite in exec mode, the test binary
// acting as the echo client, four at once: every case passes. It runs on
// its own, not beside the other tests: a case's one-second timers leave
// little room for clients starved of CPU.
func TestExecEchoClient(t *testing.T) {
	cases := suiteCases(t)
	if raceEnabled {
		// Each client is a race-instrumented test binary: a sample.
		cases, _ = autobahn.Select([]string{"1", "2", "7.1"}, nil)
		cases = clienttest.Suite(cases)
	}
	srv, base := start(t, clienttest.Config{Cases: cases})
	begin := time.Now()
	var mu sync.Mutex
	var exits []error
	rs, err := srv.Exec(context.Background(), base, clienttest.ExecOptions{
		Command:  []string{os.Args[0], "-test.run=^$", "{url}"},
		Env:      []string{clientEnv + "=echo"},
		Agent:    "exec-echo",
		Parallel: 4,
		Exited: func(c *conformance.Case, err error, out []byte) {
			// The client exits 1 when the connection did not open, as it
			// must not on a response it has to refuse (category 0).
			if err != nil && !(c.Reply != nil && len(c.Expected[conformance.OK]) == 0) {
				mu.Lock()
				exits = append(exits, err)
				mu.Unlock()
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d cases in %v", len(rs), time.Since(begin).Round(time.Millisecond))
	if len(rs) != len(cases) {
		t.Fatalf("%d results", len(rs))
	}
	for i, r := range rs {
		if r == nil || !r.Passed() || conformance.DefaultPolicy.Fails(r) || r.Index != i+1 || r.Agent != "exec-echo" {
			t.Errorf("case %d: %+v", i+1, r)
		}
	}
	if len(exits) > 0 {
		t.Errorf("%d clients failed, the first: %v", len(exits), exits[0])
	}
	if got := len(srv.AgentResults("exec-echo")); got != len(rs) {
		t.Errorf("the server stored %d results", got)
	}
}

// TestExecClientThatNeverConnects: a client that exits without
// connecting, or hangs until its timeout, gets the case FAILED, its
// opening handshake never completed.
func TestExecClientThatNeverConnects(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"exit", "hang"} {
		srv, base := start(t, clienttest.Config{Cases: lookup(t, "1.1.1", "2.1")})
		var (
			mu      sync.Mutex
			exitErr error
		)
		rs, err := srv.Exec(context.Background(), base, clienttest.ExecOptions{
			Command:  []string{os.Args[0], "{url}"},
			Env:      []string{clientEnv + "=" + mode},
			Agent:    "broken",
			Parallel: 2,
			Timeout:  300 * time.Millisecond,
			Exited: func(_ *conformance.Case, err error, _ []byte) {
				mu.Lock()
				exitErr = err
				mu.Unlock()
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.Behavior != conformance.Failed || r.BehaviorClose != conformance.Failed || r.OpenError == nil ||
				r.ResultClose != "The WebSocket opening handshake was never completed!" {
				t.Errorf("%s: %s %s/%s %v", mode, r.ID, r.Behavior, r.BehaviorClose, r.OpenError)
			}
		}
		if mode == "hang" && !errors.Is(exitErr, clienttest.ErrExecTimeout) {
			t.Errorf("hang: exit error %v", exitErr)
		}
		if mode == "exit" && (exitErr == nil || !strings.Contains(rs[0].Reason, "exit status 3")) {
			t.Errorf("exit: exit error %v, reason %q", exitErr, rs[0].Reason)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"client {url}", []string{"client", "{url}"}},
		{`  node  'my client.js'  "{url}" `, []string{"node", "my client.js", "{url}"}},
		{`sh -c 'exec client "$0"' {url}`, []string{"sh", "-c", `exec client "$0"`, "{url}"}},
		{`a\ b "x\"y\z" ''`, []string{"a b", `x"y\z`, ""}},
	} {
		got, err := clienttest.SplitCommand(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitCommand(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "   ", "a 'b", `a "b`, `a\`} {
		if _, err := clienttest.SplitCommand(bad); err == nil {
			t.Errorf("SplitCommand(%q): no error", bad)
		}
	}
}
