package conformance_test

import (
	"context"
	"fmt"
	"net"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/loopback"
)

// Run tests a server with cases from the catalogue; here wskit's own
// loopback server, started on 127.0.0.1.
func ExampleRun() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	srv := loopback.New(loopback.Config{})
	go srv.Serve(ln)
	defer srv.Close()

	target, err := conformance.NewTarget("ws://" + ln.Addr().String() + "/")
	if err != nil {
		panic(err)
	}
	cases, err := autobahn.Select([]string{"1.1.1", "2.1", "7.1.6"}, nil)
	if err != nil {
		panic(err)
	}
	results, err := conformance.Run(context.Background(), conformance.Options{Target: target, Cases: cases})
	if err != nil {
		panic(err)
	}
	for _, r := range results {
		fmt.Println(r.ID, r.Behavior, r.BehaviorClose, conformance.DefaultPolicy.Fails(r))
	}
	// Output:
	// 1.1.1 OK OK false
	// 2.1 OK OK false
	// 7.1.6 INFORMATIONAL INFORMATIONAL false
}

// A policy names the verdicts that fail a run. The default fails on FAILED
// and on the close behaviours that break a MUST.
func ExampleParsePolicy() {
	strict, err := conformance.ParsePolicy("failed, non-strict, unclean, wrong code")
	if err != nil {
		panic(err)
	}
	r := &conformance.Result{ID: "6.4.3", Behavior: conformance.NonStrict, BehaviorClose: conformance.OK}
	fmt.Printf("%s: default %q, strict %q\n", r.ID, conformance.DefaultPolicy.Why(r), strict.Why(r))
	fmt.Println(strict)
	// Output:
	// 6.4.3: default "", strict "behaviour NON-STRICT"
	// FAILED,NON-STRICT,UNCLEAN,WRONG CODE
}
