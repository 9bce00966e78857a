package echoclient_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/clienttest"
	"github.com/wskit/wskit/conformance/clienttest/echoclient"
)

// Run the reference client on one case of a fuzzing server, then read
// the case's verdict the way a harness does.
func ExampleRun() {
	cases, _ := autobahn.Select([]string{"5.6"}, nil)
	srv, _ := clienttest.New(clienttest.Config{Cases: cases})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go srv.Serve(ln)
	defer srv.Close()
	base := "ws://" + ln.Addr().String()

	ctx := context.Background()
	if err := echoclient.Run(ctx, base+"/runCase?case=1&agent=doc", echoclient.Config{}); err != nil {
		fmt.Println(err)
	}
	status, err := echoclient.ReadText(ctx, base+"/getCaseStatus?case=1&agent=doc", echoclient.Config{})
	fmt.Println(status, err)
	// Output:
	// [{"behavior": "OK"}] <nil>
}

// TestNotOpened: a URL that cannot be opened is ErrNotOpened, whether
// the URL, the connect or the opening handshake fails.
func TestNotOpened(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"))
			c.Close()
		}
	}()
	cfg := echoclient.Config{HandshakeTimeout: time.Second}
	for _, u := range []string{"http://x/", "ws://127.0.0.1:1/", "ws://" + ln.Addr().String() + "/"} {
		if err := echoclient.Run(context.Background(), u, cfg); !errors.Is(err, echoclient.ErrNotOpened) {
			t.Errorf("%s: %v", u, err)
		}
	}
}

// TestRunSuiteRefusedResponses: RunSuite goes on past the cases whose
// response the client refuses (category 0 against clients), and each of
// them passes.
func TestRunSuiteRefusedResponses(t *testing.T) {
	cases, err := autobahn.Select([]string{"0.1.1", "0.3.5", "0.4.4", "8.1.1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := clienttest.New(clienttest.Config{Cases: cases})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	n, err := echoclient.RunSuite(context.Background(), "ws://"+ln.Addr().String(), "ref", 2, echoclient.Config{})
	if err != nil || n != 4 {
		t.Fatalf("RunSuite: %d, %v", n, err)
	}
	rs := srv.AgentResults("ref")
	if len(rs) != 4 {
		t.Fatalf("%d results", len(rs))
	}
	for _, r := range rs {
		if r.Behavior != "OK" || r.BehaviorClose != "OK" {
			t.Errorf("%s: %s/%s: %s", r.ID, r.Behavior, r.BehaviorClose, r.Reason)
		}
	}
}
