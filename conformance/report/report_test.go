package report

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/conformance"
)

// The fixtures below are hand-built results covering every verdict of both
// columns, two agents, a connection that never opened, big, binary and
// surrogate payload previews and empty statistics. Requirement IDs in them
// are data, not citations, hence the citation:ignore markers.

const (
	repAgentLoop  = "wskit loopback/1.0"
	repAgentOther = `Other <script>alert("x")</script> & co`
)

var repStart = time.Date(2024, 1, 18, 7, 40, 51, 334_600_000, time.UTC)

func repBytes(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }

// repResults returns a fresh set of results, deliberately unsorted.
func repResults() []*conformance.Result {
	rs := repResultList()
	// Every fixture that names a close code has one: 0 means "none" in
	// these literals, so that they stay short.
	for _, r := range rs {
		r.HasLocalCloseCode = r.LocalCloseCode != 0
		r.HasRemoteCloseCode = r.RemoteCloseCode != 0
	}
	return rs
}

func repResultList() []*conformance.Result {
	star := repBytes('*', 65536)
	return []*conformance.Result{
		{ // 6.4.1: NON-STRICT, timeouts, fatal wrong endpoint, a 1007 close
			Agent: repAgentLoop, Index: 201, ID: "6.4.1",
			Description:  "Send invalid UTF-8 in 3 parts.<br/>MESSAGE PARTS:<br>PART1 = <b>cebae1bdb9cf83cebcceb5</b>",
			Expectation:  "The connection is failed <i>fast</i>.",
			Requirements: []string{"R-5.6-text-utf8", "R-8.1-fail-fast"}, // citation:ignore
			Started:      repStart, Duration: 2012 * time.Millisecond,
			Behavior: conformance.NonStrict, BehaviorClose: conformance.OK,
			Result: "Actual events match at least one expected.", ResultClose: "Connection was properly closed",
			Reason: "failed only after the whole message (NON-STRICT)",
			Expected: map[conformance.Verdict][]conformance.Event{
				conformance.OK:        {conformance.Timeout("A")},
				conformance.NonStrict: {conformance.Timeout("A"), conformance.Timeout("B")},
			},
			ExpectedClose: &conformance.ExpectedClose{CloseCode: []int{1007}, ClosedByWrongEndpointIsFatal: true},
			Received:      []conformance.Event{conformance.Timeout("A"), conformance.Timeout("B")},
			WasClean:      true, LocalCloseCode: 1000, RemoteCloseCode: 1007,
			RemoteCloseReason: "invalid UTF-8",
			HTTPRequest:       "GET / HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n\r\n",
			HTTPResponse:      "HTTP/1.1 101 Switching Protocols\r\n\r\n",
			CreateWirelog:     true,
			WireLog: []conformance.WireEntry{
				{Kind: conformance.WireContinue, Delay: 1, Tag: "A"},
				{Kind: conformance.WireContinueRun, Tag: "A"},
				{Kind: conformance.WireKill, Delay: 1},
			},
			RxOctetStats: map[int]int{4: 1}, TxOctetStats: map[int]int{8: 1},
			RxFrameStats: map[int]int{8: 1}, TxFrameStats: map[int]int{1: 1, 8: 1},
		},
		{ // 1.1.1: OK/OK with every wire log kind and unsorted stats keys
			Agent: repAgentLoop, Index: 1, ID: "1.1.1",
			Description:  "Send text message with payload 0.",
			Expectation:  "Receive echo'ed text message (with empty payload). Clean close with normal code.",
			Requirements: []string{"R-5.6-data-echo"}, // citation:ignore
			Started:      repStart, Duration: 3*time.Millisecond + 499*time.Microsecond,
			Behavior: conformance.OK, BehaviorClose: conformance.OK,
			Result: "Actual events match at least one expected.", ResultClose: "Connection was properly closed",
			Expected:      map[conformance.Verdict][]conformance.Event{conformance.OK: {conformance.Message(nil, false)}},
			ExpectedClose: &conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
			Received:      []conformance.Event{conformance.Message([]byte{}, false)},
			ClosedByMe:    true, WasClean: true, LocalCloseCode: 1000, RemoteCloseCode: 1000,
			HTTPRequest:   "GET / HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n\r\n",
			HTTPResponse:  "HTTP/1.1 101 Switching Protocols\r\n\r\n",
			CreateWirelog: true,
			WireLog: []conformance.WireEntry{
				{Kind: conformance.WireWrite, Len: 3, Data: []byte("GET"), At: 100 * time.Microsecond},
				{Kind: conformance.WireRead, Len: 294, Data: repBytes(0xab, 64)},
				{Kind: conformance.WireFrameOut, Len: 0, Opcode: 1, Fin: true, Mask: []byte{1, 2, 0xfe, 0xff}},
				{Kind: conformance.WireFrameOut, Len: 10, Data: []byte("0123456789"), Opcode: 2, Rsv: 4,
					RepeatLength: 16 << 20, ChopSize: 1, Sync: true},
				{Kind: conformance.WireWrite, Len: 1, Data: []byte{0x81}, Sync: true},
				{Kind: conformance.WireFrameIn, Len: 0, Opcode: 1, Fin: true},
				{Kind: conformance.WireFrameIn, Len: 2, Data: []byte{0x03, 0xe8}, Opcode: 8, Fin: true, Masked: true, Mask: []byte{0xde, 0xad, 0xbe, 0xef}},
				{Kind: conformance.WireCloseTimer, Delay: 0.5},
				{Kind: conformance.WireCloseRun},
				{Kind: conformance.WireKillRun},
				{Kind: conformance.WireLogging, Enabled: false},
				{Kind: conformance.WireContinue, Delay: 1},
				{Kind: conformance.WireContinueRun},
			},
			RxOctetStats: map[int]int{294: 1, 8: 1, 14: 2, 65536: 1},
			TxOctetStats: map[int]int{206: 1, 4: 3},
			RxFrameStats: map[int]int{8: 1, 1: 1},
			TxFrameStats: map[int]int{8: 1, 0: 50, 1: 1},
		},
		{ // 1.1.2: the connection never opened
			Agent: repAgentLoop, Index: 2, ID: "1.1.2",
			Description: "Send text message with payload of length 125.",
			Expectation: "Receive echo'ed text message (with payload as sent). Clean close with normal code.",
			Duration:    1705562451334 * time.Millisecond,
			Behavior:    conformance.Failed, BehaviorClose: conformance.Failed,
			Result:      "Actual events differ from any expected.",
			ResultClose: "The WebSocket opening handshake was never completed!",
			Reason:      "the opening handshake failed: connection refused",
			WasNotCleanReason: "peer did not finish (in time) the opening handshake: " +
				"\x00\x1f\x7f \u00e9 \u20ac \U0001F600 \U0010FFFF \uFFFF \" \\ / </script> \b\f\n\r\t",
			WasOpenHandshakeTimeout: true, DroppedByMe: true,
			HTTPRequest: "?", HTTPResponse: "?",
		},
		{ // 1.2.8: binary payload of 65535 x 0xfe, echoed, with a WRONG CODE close
			Agent: repAgentLoop, Index: 16, ID: "1.2.8",
			Description: "Send binary message message with payload of length 65535. Sent out data in chops of 997 octets.",
			Expectation: "Receive echo'ed binary message (with payload as sent). Clean close with normal code.",
			Started:     repStart.Add(time.Second), Duration: 40 * time.Millisecond,
			Behavior: conformance.OK, BehaviorClose: conformance.WrongCode,
			Result:        "Actual events match at least one expected.",
			ResultClose:   "The close code should have been 1000 or empty",
			Expected:      map[conformance.Verdict][]conformance.Event{conformance.OK: {conformance.Message(repBytes(0xfe, 65535), true)}},
			ExpectedClose: &conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
			Received:      []conformance.Event{conformance.Message(repBytes(0xfe, 65535), true)},
			ClosedByMe:    true, WasClean: true, LocalCloseCode: 1000, RemoteCloseCode: 1002,
			HTTPRequest: "?", HTTPResponse: "?",
		},
		{ // 3.1: FAILED/FAILED with protocol errors and an unknown requirement
			Agent: repAgentLoop, Index: 53, ID: "3.1",
			Description:  "Send small text message with <b>RSV = 1</b>.",
			Expectation:  "The connection is failed immediately (1002/protocol error), since RSV must be 0, when no extension defining RSV meaning has been negotiated.",
			Requirements: []string{"R-5.2-rsv-fail", "R-9.9-no-such-rule"}, // citation:ignore
			Started:      repStart, Duration: 1001 * time.Millisecond,
			Behavior: conformance.Failed, BehaviorClose: conformance.Failed,
			Result:        "Actual events differ from any expected.",
			ResultClose:   "The connection was failed by the wrong endpoint",
			Reason:        "expected the testee to fail the connection with 1002, it echoed the <frame>", // citation:ignore
			Expected:      map[conformance.Verdict][]conformance.Event{conformance.OK: {}},
			ExpectedClose: &conformance.ExpectedClose{CloseCode: []int{1002}},
			Received: []conformance.Event{
				conformance.Message([]byte("Hello, world!"), false),
				// Previews at the 60/61/64/65-octet edges and texts Python 2
				// refuses, which fall back to hex.
				conformance.Message(repBytes('a', 60), false),
				conformance.Message(repBytes('a', 61), false),
				conformance.Message(repBytes('a', 64), true),
				conformance.Message(repBytes('a', 65), false),
				conformance.Message(append(repBytes('a', 63), "\u00e9"...), false), // é cut by the 64-octet limit
				conformance.Message([]byte("\xc0\xaf"), false),                     // overlong '/'
				conformance.Message([]byte("\xf5\x80\x80\x80"), false),             // lead byte above F4
				conformance.Message([]byte("\xf4\x90\x80\x80"), false),             // above U+10FFFF
				conformance.Message([]byte("\xe2\x82"), false),                     // truncated
				conformance.Message([]byte("\xe0\x80\x80"), false),                 // overlong 3-byte form
				conformance.Message([]byte("\xed\x9f\xbf\xee\x80\x80"), false),     // U+D7FF U+E000, around the surrogates
				conformance.Pong(append(repBytes(0xfe, 59), "\xed\xa0\x80 x"...)),  // 64 octets, not text: 0xfe
				conformance.Pong(append(repBytes('b', 59), "\xed\xa0\x80 x"...)),   // 64 octets of text with a surrogate
			},
			ClosedByMe: true, FailedByMe: true, WasClean: true, LocalCloseCode: 1001, LocalCloseReason: "Going Away",
			ProtocolErrors: []string{"close 1002 (R-5.2-rsv-zero): RSV=1 without extension"}, // citation:ignore
			HTTPRequest:    "GET / HTTP/1.1\r\n\r\n", HTTPResponse: "HTTP/1.1 101 Switching Protocols\r\n\r\n",
		},
		{ // 2.10: pongs, one with encoded surrogates Python 2 decodes, one with astral text
			Agent: repAgentLoop, Index: 26, ID: "2.10",
			Description: "Send 10 Pings with payload.",
			Expectation: "Pongs for our Pings with all the payloads.",
			Started:     repStart, Duration: 3 * time.Millisecond,
			Behavior: conformance.OK, BehaviorClose: conformance.FailedByClient,
			Result:      "Actual events match at least one expected.",
			ResultClose: "It is preferred that the server close the TCP connection",
			Expected: map[conformance.Verdict][]conformance.Event{conformance.OK: {
				conformance.Pong([]byte("\xed\xa0\x80\xed\xbf\xbf")), conformance.Pong([]byte("\U0001F600 \u00e9\x7f")),
			}},
			ExpectedClose: &conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
			Received: []conformance.Event{
				conformance.Pong([]byte("\xed\xa0\x80\xed\xbf\xbf")), conformance.Pong([]byte("\U0001F600 \u00e9\x7f")),
			},
			ClosedByMe: true, DroppedByMe: true, LocalCloseCode: 1000,
			HTTPRequest: "?", HTTPResponse: "?",
		},
		{ // 7.1.6: INFORMATIONAL both
			Agent: repAgentLoop, Index: 212, ID: "7.1.6",
			Description: "Send 256K message followed by close then a ping",
			Expectation: "Case outcome depends on implementation defined close behavior. Message and close frame are sent back to back. If the close frame is processed before the text message write is complete (as can happen in asynchronous processing models) the close frame is processed first and the text message may not be received or may only be partially recieved.",
			Started:     repStart, Duration: 10 * time.Millisecond,
			Behavior: conformance.Informational, BehaviorClose: conformance.Informational,
			Result:        "Close was processed before text message could be returned.",
			ResultClose:   "Connection was properly closed",
			Expected:      map[conformance.Verdict][]conformance.Event{conformance.OK: {conformance.Message([]byte("Hello World!"), false)}, conformance.NonStrict: {}},
			ExpectedClose: &conformance.ExpectedClose{CloseCode: []int{1000}, RequireClean: true},
			WasClean:      true, LocalCloseCode: 1000, RemoteCloseCode: 1000,
			HTTPRequest: "?", HTTPResponse: "?",
		},
		{ // 9.1.1: OK/UNCLEAN, a performance case with no expectations
			Agent: repAgentLoop, Index: 248, ID: "9.1.1",
			Description: "Send text message message with payload of length 64 * 2**10 (64k).",
			Expectation: "Receive echo'ed text message (with payload as sent).",
			Started:     repStart, Duration: 7 * time.Millisecond, ReportTime: true,
			Behavior: conformance.OK, BehaviorClose: conformance.Unclean,
			Result:        "Received text message of length 65536.",
			ResultClose:   "The spec requires the connection to be failed cleanly here",
			Expected:      map[conformance.Verdict][]conformance.Event{},
			ExpectedClose: &conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
			Received:      []conformance.Event{conformance.Message(repBytes('*', 65536), false)},
			ClosedByMe:    true, WasNotCleanReason: "server did not drop TCP connection (in time)",
			WasServerConnectionDropTimeout: true, LocalCloseCode: 1000,
			HTTPRequest: "?", HTTPResponse: "?",
			WireLog:        []conformance.WireEntry{{Kind: conformance.WireFrameOut, Len: 65536, Data: star[:64], Opcode: 1, Fin: true}},
			WireLogDropped: 3,
			Truncated:      "recording stopped after 1 events (65536 payload bytes): the peer sent more than the case asks for (budget 1 events, 65536 bytes)",
		},
		{ // 12.1.1: UNIMPLEMENTED
			Agent: repAgentLoop, Index: 302, ID: "12.1.1",
			Description: "Send 1000 compressed messages each of payload size 16, auto-fragment to 0 octets. Use default permessage-deflate offer.",
			Expectation: "Receive echo'ed messages (with payload as sent). Timeout case after 60 secs.",
			Started:     repStart, Duration: 2 * time.Millisecond, ReportTime: true,
			Behavior: conformance.Unimplemented, BehaviorClose: conformance.OK,
			Result:        "Actual events differ from any expected.",
			ResultClose:   "Connection was properly closed",
			Expected:      map[conformance.Verdict][]conformance.Event{},
			ExpectedClose: &conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
			ClosedByMe:    true, WasClean: true, LocalCloseCode: 1000, RemoteCloseCode: 1000,
			HTTPRequest: "?", HTTPResponse: "?",
		},
		{ // 10.1.1 for a second, hostile agent: OK/OK, hostile strings everywhere
			Agent: repAgentOther, Index: 301, ID: "10.1.1",
			Description: `Send <script>alert(1)</script> and </script><img src=x onerror=alert(2)> <a href="https://evil.example/">x</a>`,
			Expectation: "<b>bold <i>nested</b> </i></tt> <br /> <bogus>",
			Started:     repStart, Duration: 6 * time.Millisecond,
			Behavior: conformance.OK, BehaviorClose: conformance.OK,
			Result:        "Actual events match at least one expected.",
			ResultClose:   "Connection was properly closed",
			Reason:        "</script><script>alert(3)</script>",
			Expected:      map[conformance.Verdict][]conformance.Event{conformance.OK: {conformance.Message([]byte("</script>"), false)}},
			ExpectedClose: &conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
			Received:      []conformance.Event{conformance.Message([]byte("</script>"), false)},
			ClosedByMe:    true, WasClean: true, LocalCloseCode: 1000, RemoteCloseCode: 1000,
			RemoteCloseReason: "<script>alert(4)</script>",
			HTTPRequest:       "GET /<script> HTTP/1.1\r\n\r\n",
			HTTPResponse:      "HTTP/1.1 101 <script>\r\nServer: \x00\xff\r\n\r\n",
		},
		{ // 1.1.1 for the second agent, FAILED in the close column only
			Agent: repAgentOther, Index: 1, ID: "1.1.1",
			Description: "Send text message with payload 0.",
			Expectation: "Receive echo'ed text message (with empty payload). Clean close with normal code.",
			Started:     repStart, Duration: 1000 * time.Millisecond,
			Behavior: conformance.OK, BehaviorClose: conformance.Failed,
			Result:        "Actual events match at least one expected.",
			ResultClose:   "The connection was failed by the wrong endpoint",
			Expected:      map[conformance.Verdict][]conformance.Event{conformance.OK: {conformance.Message(nil, false)}},
			ExpectedClose: &conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}, RequireClean: true},
			Received:      []conformance.Event{conformance.Message(nil, false)},
			HTTPRequest:   "?", HTTPResponse: "?",
		},
	}
}

// repSorted returns the fixtures in report order.
func repSorted() []*conformance.Result {
	rs := repResults()
	sortResults(rs)
	return rs
}

func TestReportCompareIDs(t *testing.T) {
	ordered := []string{"1.1.1", "1.1.2", "1.1.10", "1.2.1", "2.1", "2.10", "3.1", "6.4.1", "9.8.6", "10.1.1", "12.1.1", "13.7.18", "H1.1", "H1.2", "H10"}
	for i, a := range ordered {
		for j, b := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = +1
			}
			if got := conformance.CompareIDs(a, b); got != want {
				t.Errorf("CompareIDs(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
	// A proper prefix sorts first; equal numbers spelt differently still
	// have an order, so sorting is deterministic.
	if conformance.CompareIDs("1.1", "1.1.1") >= 0 || conformance.CompareIDs("01.1", "1.1") == 0 {
		t.Errorf("prefix or spelling order wrong")
	}
}

func TestCaseReportFile(t *testing.T) {
	for _, tc := range []struct{ agent, id, want string }{
		{"gws/client@v1.8.0", "6.4.1", "gws_client_v1_8_0_case_6_4_1.json"},
		{"AutobahnPython 0.6 CPy-wsaccel", "1.1.1", "autobahnpython_0_6_cpy_wsaccel_case_1_1_1.json"},
		{"  --Foo--  ", "2.1", "foo_case_2_1.json"},        // trimmed at both ends
		{"a--b", "10.1.1", "a__b_case_10_1_1.json"},        // runs of punctuation give runs of _
		{"K\u212a é!x", "1.1.1", "k____x_case_1_1_1.json"}, // only ASCII letters are kept; one _ per character
		{"", "1.1.1", "_case_1_1_1.json"},                  // nothing left
		{repAgentOther, "7.1.6", "other__script_alert__x____script____co_case_7_1_6.json"},
	} {
		if got := CaseReportFile(tc.agent, tc.id); got != tc.want {
			t.Errorf("CaseReportFile(%q, %q) = %q, want %q", tc.agent, tc.id, got, tc.want)
		}
	}
}

// TestTally checks how a case counts: failing cases only as FAILED, the
// others by Behavior, close problems besides, under the policy given.
func TestTally(t *testing.T) {
	for _, tc := range []struct {
		behavior, close conformance.Verdict
		policy          conformance.Policy
		want            Tally
	}{
		{conformance.OK, conformance.OK, conformance.DefaultPolicy, Tally{Cases: 1, OK: 1}},
		{conformance.NonStrict, conformance.OK, conformance.DefaultPolicy, Tally{Cases: 1, NonStrict: 1}},
		{conformance.NonStrict, conformance.OK, conformance.NewPolicy(conformance.Failed, conformance.NonStrict), Tally{Cases: 1, Failed: 1}},
		{conformance.Informational, conformance.Informational, conformance.DefaultPolicy, Tally{Cases: 1, Informational: 1}},
		{conformance.Unimplemented, conformance.OK, conformance.DefaultPolicy, Tally{Cases: 1, Unimplemented: 1}},
		{conformance.OK, conformance.Unclean, conformance.DefaultPolicy, Tally{Cases: 1, Failed: 1, CloseProblems: 1}},
		{conformance.OK, conformance.Unclean, conformance.AutobahnPolicy, Tally{Cases: 1, OK: 1, CloseProblems: 1}},
		{conformance.OK, conformance.FailedByClient, conformance.DefaultPolicy, Tally{Cases: 1, OK: 1, CloseProblems: 1}},
		{conformance.Failed, conformance.WrongCode, conformance.AutobahnPolicy, Tally{Cases: 1, Failed: 1, CloseProblems: 1}},
	} {
		var got Tally
		got.Add(&conformance.Result{Behavior: tc.behavior, BehaviorClose: tc.close}, tc.policy)
		if got != tc.want {
			t.Errorf("%s/%s under %s: %+v, want %+v", tc.behavior, tc.close, tc.policy, got, tc.want)
		}
	}
}

func TestReportDurationMS(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want int64
	}{
		{0, 0}, {499 * time.Microsecond, 0}, {500 * time.Microsecond, 1}, {1500 * time.Microsecond, 2},
		{3*time.Millisecond + 499*time.Microsecond, 3}, {-500 * time.Microsecond, -1}, {-499 * time.Microsecond, 0},
	} {
		if got := durationMS(int64(tc.d)); got != tc.want {
			t.Errorf("durationMS(%v) = %d, want %d", tc.d, got, tc.want)
		}
	}
}

func TestWriteReports(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b") // parents are created
	results := repResults()
	results = append(results, nil) // skipped
	if err := WriteReports(dir, results, conformance.DefaultPolicy); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{"index.html", "index.json", "junit.xml"}
	for _, r := range repResults() {
		want = append(want, CaseReportFile(r.Agent, r.ID))
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}

	// index.json: agent -> case ID -> the five keys, pointing at files
	// that exist and describe that case.
	var index map[string]map[string]map[string]any
	repReadJSON(t, filepath.Join(dir, "index.json"), &index)
	if len(index) != 2 || len(index[repAgentLoop]) != 9 || len(index[repAgentOther]) != 2 {
		t.Fatalf("index.json shape: %d agents, %d + %d cases", len(index), len(index[repAgentLoop]), len(index[repAgentOther]))
	}
	for agent, cases := range index {
		for id, entry := range cases {
			keys := slices.Sorted(maps.Keys(entry))
			if diff := cmp.Diff([]string{"behavior", "behaviorClose", "duration", "remoteCloseCode", "reportfile"}, keys); diff != "" {
				t.Errorf("%s %s: keys (-want +got):\n%s", agent, id, diff)
			}
			var c map[string]any
			repReadJSON(t, filepath.Join(dir, entry["reportfile"].(string)), &c)
			if c["id"] != id || c["agent"] != agent || c["behavior"] != entry["behavior"] || c["duration"] != entry["duration"] {
				t.Errorf("%s %s: report file %v does not match the index entry %v", agent, id, c["id"], entry)
			}
		}
	}

	// Every per-case file has Autobahn's 39 keys and wskit's 3 additions.
	for _, r := range repResults() {
		var c map[string]any
		repReadJSON(t, filepath.Join(dir, CaseReportFile(r.Agent, r.ID)), &c)
		keys := slices.Sorted(maps.Keys(c))
		if diff := cmp.Diff(repCaseKeys(), keys); diff != "" {
			t.Errorf("%s: keys (-want +got):\n%s", r.ID, diff)
		}
	}
}

func TestWriteReportsRefuses(t *testing.T) {
	dup := repResults()
	dup = append(dup, repResults()[0])
	clash := repResults()
	clash[0].Agent = "WSKIT loopback 1 0" // same prefix as repAgentLoop
	for name, rs := range map[string][]*conformance.Result{"duplicate case": dup, "prefix clash": clash} {
		dir := filepath.Join(t.TempDir(), "out")
		if err := WriteReports(dir, rs, conformance.DefaultPolicy); err == nil {
			t.Errorf("%s: no error", name)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s: wrote %s anyway", name, dir)
		}
	}
}

func TestWriteReportsEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := WriteReports(dir, nil, conformance.DefaultPolicy); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil || string(b) != "{}" {
		t.Errorf("index.json = %q, %v; want {}", b, err)
	}
}

// repAutobahnKeys are the 39 keys of Autobahn's per-case report.
var repAutobahnKeys = []string{
	"agent", "behavior", "behaviorClose", "case", "closedByMe", "createStats", "createWirelog",
	"description", "droppedByMe", "duration", "expectation", "expected", "expectedClose",
	"failedByMe", "httpRequest", "httpResponse", "id", "isServer", "localCloseCode",
	"localCloseReason", "received", "remoteCloseCode", "remoteCloseReason",
	"reportCompressionRatio", "reportTime", "result", "resultClose", "rxFrameStats",
	"rxOctetStats", "started", "trafficStats", "txFrameStats", "txOctetStats", "wasClean",
	"wasCloseHandshakeTimeout", "wasNotCleanReason", "wasOpenHandshakeTimeout",
	"wasServerConnectionDropTimeout", "wirelog",
}

// repCaseKeys returns all keys of a per-case report, sorted.
func repCaseKeys() []string {
	keys := append(slices.Clone(repAutobahnKeys), "protocolErrors", "reason", "requirements", "truncated", "wirelogDropped")
	sort.Strings(keys)
	return keys
}

func TestReportAutobahnKeyCount(t *testing.T) {
	if len(repAutobahnKeys) != 39 {
		t.Fatalf("%d Autobahn keys, want 39", len(repAutobahnKeys))
	}
}

func repReadJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, c := range b {
		if c >= 0x80 {
			t.Fatalf("%s: non-ASCII byte %#x", path, c)
		}
	}
	if strings.HasSuffix(string(b), "\n") || strings.Contains(string(b), " \n") {
		t.Errorf("%s: trailing newline or blank at a line end", path)
	}
}

// TestReportCloseCodeZero: close code 0 is a code (7.9.1 sends it, a buggy
// testee may echo it) and is written as 0; no code is null.
func TestReportCloseCodeZero(t *testing.T) {
	r := &conformance.Result{Agent: "a", ID: "7.9.1", Behavior: conformance.Failed, BehaviorClose: conformance.WrongCode,
		HasLocalCloseCode: true, LocalCloseCode: 0, HasRemoteCloseCode: true, RemoteCloseCode: 0}
	var b strings.Builder
	if err := WriteCaseJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"localCloseCode": 0,`, `"remoteCloseCode": 0,`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("per-case JSON lacks %s", want)
		}
	}
	r.HasLocalCloseCode, r.HasRemoteCloseCode = false, false
	b.Reset()
	WriteCaseJSON(&b, r)
	for _, want := range []string{`"localCloseCode": null,`, `"remoteCloseCode": null,`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("per-case JSON lacks %s", want)
		}
	}
}
