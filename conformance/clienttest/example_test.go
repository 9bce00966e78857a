package clienttest_test

import (
	"context"
	"fmt"
	"net"

	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/clienttest"
	"github.com/wskit/wskit/conformance/clienttest/echoclient"
)

// A server for the cases of category 1.1, and a client harness that uses
// Autobahn's API as documented: getCaseCount, runCase for each case,
// updateReports (echoclient.RunSuite).
func ExampleServer() {
	cases, err := autobahn.Select([]string{"1.1"}, nil)
	if err != nil {
		panic(err)
	}
	srv, err := clienttest.New(clienttest.Config{Cases: cases})
	if err != nil {
		panic(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	n, err := echoclient.RunSuite(context.Background(), "ws://"+ln.Addr().String(), "my-client", 4, echoclient.Config{})
	if err != nil {
		panic(err)
	}
	fmt.Println(n, "cases")
	for _, r := range srv.AgentResults("my-client") {
		fmt.Printf("case %d: %s %s/%s\n", r.Index, r.ID, r.Behavior, r.BehaviorClose)
	}
	// Output:
	// 8 cases
	// case 1: 1.1.1 OK/OK
	// case 2: 1.1.2 OK/OK
	// case 3: 1.1.3 OK/OK
	// case 4: 1.1.4 OK/OK
	// case 5: 1.1.5 OK/OK
	// case 6: 1.1.6 OK/OK
	// case 7: 1.1.7 OK/OK
	// case 8: 1.1.8 OK/OK
}

// Exec mode: the client under test is a command, started once per case
// with the case's URL ("wskit echo-client" is the reference client).
func ExampleServer_Exec() {
	cases, _ := autobahn.Select([]string{"2.1"}, nil)
	srv, _ := clienttest.New(clienttest.Config{Cases: cases})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go srv.Serve(ln)
	defer srv.Close()

	results, err := srv.Exec(context.Background(), "ws://"+ln.Addr().String(), clienttest.ExecOptions{
		Command: []string{"sh", "-c", "exit 0", "{url}"}, // a client that never connects
		Agent:   "nobody",
	})
	if err != nil {
		panic(err)
	}
	r := results[0]
	fmt.Println(r.ID, r.Behavior, r.BehaviorClose, r.ResultClose)
	// Output:
	// 2.1 FAILED FAILED The WebSocket opening handshake was never completed!
}
