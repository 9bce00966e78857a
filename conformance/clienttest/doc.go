// Package clienttest tests WebSocket clients: it runs the conformance
// cases (package conformance/autobahn, the same IDs as against servers)
// with the runner as the server, behind Autobahn|Testsuite's
// fuzzing-server API, so that client test harnesses written for
// "wstest -m fuzzingserver" work unchanged.
//
// The client suite ([Suite]) is all of Autobahn's categories as
// Autobahn's fuzzing server runs them (1-7, 9, 10, 12 and 13: 517 cases)
// and wskit's own 0, 8 and 14 in their forms against clients
// (conformance.Case.AgainstClients), with the same IDs: 583 cases.
// Category 0 answers the client's opening handshake with the case's own
// response (conformance.Case.Reply) and then sends a text message: a
// client must fail the connection on an invalid response (close TCP,
// sending nothing) and accept the valid odd ones and echo; its cases of
// request fields with no response-side rule (0.2 Host, 0.5
// Sec-WebSocket-Version) run only against servers. Category 8 sends the
// same rules' frames as a server would (8.1.1 a masked frame).
//
// Categories 12 and 13 answer the client's permessage-deflate offers by
// Autobahn's fuzzing-server accept rules (conformance.Case.AcceptDeflate:
// 12 and 13.1 accept the first valid offer as it is, 13.2-13.7 also ask
// for client_no_context_takeover or client_max_window_bits=9 or 15, and
// 13.3-13.6 need an offer with client_max_window_bits), then compress
// with what was agreed; a client with no offer the rule accepts is
// UNIMPLEMENTED, as in Autobahn. Category 14 accepts the client's first
// valid offer for its bombs, RSV1 and stream-shape cases, declines it for
// 14.2.6, and answers 14.3 with invalid acceptances the client must fail
// (D-7-client-fail). Every other case declines every extension. Categories
// a later catalogue adds are left out until they are checked in the
// server role ([Runnable]).
//
// A [Server] listens on one port and serves, over WebSocket:
//
//	/getCaseCount                  the number of selected cases, as one text message, then a Close
//	/getCaseInfo?case=N            {"id": "1.1.1", "description": "..."}
//	/runCase?case=N&agent=A        runs case N (1-based in the selection; or casetuple=1.1.1)
//	/getCaseStatus?case=N&agent=A  {"behavior": "OK"}, as soon as the case has a result
//	/updateReports?agent=A         writes the reports of every agent into Config.OutDir
//	                               (&shutdownOnComplete=true also signals ShutdownRequested)
//
// and over plain HTTP GET /results?agent=A, the agent's verdicts as JSON
// ([AgentReport]), and GET /, a page that runs the suite in the browser
// that opens it (with ?agent=NAME&autorun=1 it starts at once). A typical harness asks for the case count, runs
// /runCase for each case with its echo client, then asks for
// /updateReports; reports (index.json, one JSON per case, index.html,
// junit.xml) land where Autobahn writes them, numbered as Autobahn's
// fuzzing server numbers them (the "case" of a report is the position in
// the selection) and marked "isServer": true.
//
// [Server.Exec] is the other way in: it starts the client under test once
// per case with the case's URL (h2spec's h2specd --exec is the model), so
// a client needs no harness at all, only a command line that connects to
// a URL and echoes.
//
// # How cases run against clients
//
// Each case is conformance.Play with the runner as the server: its frames
// go out unmasked, every frame of the client must be masked (an unmasked
// one fails the connection with 1002, and the case), and the runner closes
// TCP as soon as the closing handshake is done, as RFC 6455 asks of
// servers. Verdicts follow Autobahn's fuzzing server: the rules are those
// of the fuzzing client (conformance.Result), except that the runner never
// gives FAILED BY CLIENT, since closing TCP is the server's own job; a
// client that does not answer the runner's Close within a second is
// UNCLEAN where the case requires a clean close and OK otherwise. A client
// that was asked to run a case and failed its opening handshake, or (in
// exec mode) never connected, gets the case FAILED in both columns ("The
// WebSocket opening handshake was never completed!"); Autobahn records
// nothing for it. Cases skipped for an agent by "exclude-agent-cases"
// still accept the connection, close it at once and record nothing, as
// in Autobahn.
//
// Where wskit differs from Autobahn's fuzzing server: invalid API requests
// (a case number out of range, a missing agent) are answered with 400 and
// a reason, not 500; a "cases" ID that is not in the client suite is left
// out of the count ([Select] returns it, for a warning) instead of being
// counted and refused when run; droppedByMe stays false when the runner
// closes TCP after a completed closing handshake, since that is what a
// server must do (Autobahn reports true); 13.4's and 13.6's
// client_max_window_bits=15 becomes the client's own value when its offer
// gave a smaller one (RFC 7692 allows either); /stopServer is not served,
// and GET / is wskit's own page, not Autobahn's.
//
// The reference client that passes every case is in package
// conformance/clienttest/echoclient; "wskit serve-cases" and "wskit
// conform-client -exec" run this package from the command line.
package clienttest
