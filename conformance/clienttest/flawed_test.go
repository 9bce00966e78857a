package clienttest_test

import (
	"crypto/rand"
	"io"
	"net"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/clienttest"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// A flaw is what a flawed client gets wrong.
type flaw int

const (
	// unmasked: echoes are sent unmasked, as a server's frames
	// (R-5.1-client-masks).
	unmasked flaw = iota + 1
	// noCloseReply: the client never answers a Close and never closes
	// TCP (R-5.5.1-echo-close).
	noCloseReply
	// silent: the client connects and never sends anything.
	silent
	// anyResponse: the client takes any response head for an upgrade,
	// without verifying it (RFC 6455 section 4.1), and echoes.
	anyResponse
	// closeOnRefusal: the client refuses an invalid response, but sends
	// a Close (1002) on the connection that never opened before it
	// closes TCP.
	closeOnRefusal
	// waitOnRefusal: the client refuses an invalid response but keeps
	// the connection open, sending nothing.
	waitOnRefusal
	// acceptMasked: the client unmasks masked frames from the server
	// instead of failing the connection (R-5.1-client-rejects-masked).
	acceptMasked
	// lenientLengths: the client takes non-minimal length encodings
	// (R-5.2-len-minimal is a sender's rule; a strict receiver fails).
	lenientLengths
	// ignoreWindow: the client offers permessage-deflate with
	// client_max_window_bits, then compresses with a 32 KiB window
	// whatever the server asked (D-7.1.2.2-client_max_window_bits).
	ignoreWindow
)

// flawedClient connects to url and echoes like the reference client,
// except for its flaw.
func flawedClient(t *testing.T, url string, f flaw) {
	u, err := handshake.ParseURL(url)
	if err != nil {
		t.Error(err)
		return
	}
	nc, err := net.Dial("tcp", net.JoinHostPort(u.Host, strconv.Itoa(u.Port)))
	if err != nil {
		t.Error(err)
		return
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	var ro handshake.RequestOptions
	if f == ignoreWindow {
		ro.Extensions = []handshake.Extension{{Name: "permessage-deflate", Params: []handshake.Param{{Name: "client_max_window_bits"}}}}
	}
	req, err := handshake.NewRequest(url, [16]byte{1}, ro)
	if err != nil {
		t.Error(err)
		return
	}
	nc.Write(req.Append(nil))
	head := handshake.NewResponseReader(0)
	buf := make([]byte, 64<<10)
	var (
		rest   []byte
		agreed deflate.Params // permessage-deflate, if ok
		ok     bool
	)
	for {
		n, err := nc.Read(buf)
		if err != nil {
			t.Errorf("handshake: %v", err)
			return
		}
		resp, after, err := head.Feed(buf[:n])
		if err != nil {
			t.Error(err)
			return
		}
		if resp != nil {
			n, err := handshake.VerifyResponse(req, resp)
			if err == nil && f == ignoreWindow {
				agreed, ok, err = deflate.VerifyResponse(ro.Extensions, n.Extensions)
				agreed.ClientMaxWindowBits = 0 // the flaw
			}
			if err != nil && f != anyResponse {
				switch f {
				case closeOnRefusal:
					key := [4]byte{1, 2, 3, 4}
					body := []byte{0x03, 0xea} // 1002
					codec.Mask(key, 0, body)
					nc.Write(append(codec.AppendHeader(nil, codec.Header{Fin: true, Opcode: spec.OpClose, Masked: true, Key: key, Length: 2}), body...))
				case waitOnRefusal:
					io.Copy(io.Discard, nc) // until the server closes
				}
				return
			}
			rest = append([]byte(nil), after...)
			break
		}
	}
	opts := codec.ConnOptions{Role: codec.RoleClient, Rand: rand.Reader, AllowNonMinimalLength: f == lenientLengths}
	if ok {
		if err := deflate.Configure(&opts, agreed, 0, nil); err != nil {
			t.Error(err)
			return
		}
	}
	ws, _ := codec.NewConn(opts)
	plain, _ := codec.NewEncoder(codec.RoleServer, nil)
	var msg []byte
	for p := rest; ; {
		if f == acceptMasked {
			p = unmaskFrames(p)
		}
		evs, _ := ws.Receive(p)
		for _, ev := range evs {
			switch ev.Kind {
			case codec.EventMessageStart:
				msg = msg[:0]
			case codec.EventPayload:
				msg = append(msg, ev.Data...)
			case codec.EventMessageEnd:
				switch f {
				case unmasked:
					out, _ := plain.AppendMessage(nil, ev.Opcode, msg, 0)
					nc.Write(out)
				case noCloseReply, anyResponse, acceptMasked, lenientLengths, ignoreWindow:
					out, _ := ws.SendMessage(ev.Opcode, msg)
					nc.Write(out)
				}
			}
		}
		if out := ws.Outgoing(); f != silent && !(f == noCloseReply && ws.CloseReceived()) {
			nc.Write(out)
		}
		n, err := nc.Read(buf)
		if err != nil {
			return // the server closed TCP, as it must
		}
		p = buf[:n]
	}
}

// unmaskFrames returns p with each whole masked frame in it unmasked and
// its header rewritten without the mask, as a client that ignores the
// mask bit reads it; the test's frames arrive whole in one read.
func unmaskFrames(p []byte) []byte {
	var out []byte
	for len(p) > 0 {
		h, n, err := codec.ParseHeader(p)
		if err != nil || n == 0 || uint64(len(p)-n) < h.Length {
			return append(out, p...)
		}
		payload := append([]byte(nil), p[n:n+int(h.Length)]...)
		if h.Masked {
			codec.Mask(h.Key, 0, payload)
			h.Masked = false
		}
		out = append(codec.AppendHeader(out, h), payload...)
		p = p[n+int(h.Length):]
	}
	return out
}

// runFlawed runs the cases against a flawed client through the API and
// returns the results by case ID.
func runFlawed(t *testing.T, cases []*conformance.Case, f flaw) map[string]*conformance.Result {
	t.Helper()
	return runClient(t, cases, func(url string) { flawedClient(t, url, f) })
}

// runClient runs the cases against a client through the API, all at
// once, and returns the results by case ID; run connects the client to a
// case URL.
func runClient(t *testing.T, cases []*conformance.Case, run func(url string)) map[string]*conformance.Result {
	t.Helper()
	srv, base := start(t, clienttest.Config{Cases: cases})
	harness(t, base, "client", len(cases), run)
	out := map[string]*conformance.Result{}
	for _, r := range srv.AgentResults("client") {
		out[r.ID] = r
	}
	if len(out) != len(cases) {
		t.Fatalf("%d results for %d cases", len(out), len(cases))
	}
	return out
}

func lookup(t *testing.T, ids ...string) []*conformance.Case {
	t.Helper()
	var out []*conformance.Case
	for _, id := range ids {
		c, ok := autobahn.Lookup(id)
		if !ok {
			t.Fatalf("no case %s", id)
		}
		out = append(out, c)
	}
	return out
}

// TestUnmaskedClientFails: a client that sends its echoes unmasked fails
// every echo case: the runner as the server fails the connection with
// 1002 at the first unmasked frame (R-5.1-server-rejects-unmasked), so the echo is
// never recorded.
func TestUnmaskedClientFails(t *testing.T) {
	t.Parallel()
	rs := runFlawed(t, lookup(t, "1.1.1", "1.2.3", "5.6", "6.2.1", "9.1.1"), unmasked)
	for id, r := range rs {
		if r.Behavior != conformance.Failed || !r.FailedByMe || r.LocalCloseCode != 1002 {
			t.Errorf("%s: %s/%s failedByMe=%v local close %d: %s", id, r.Behavior, r.BehaviorClose, r.FailedByMe, r.LocalCloseCode, r.Reason)
		}
		if len(r.ProtocolErrors) == 0 || !strings.Contains(r.ProtocolErrors[0], "R-5.1-server-rejects-unmasked") {
			t.Errorf("%s: protocol errors %q", id, r.ProtocolErrors)
		}
	}
}

// TestNoCloseReplyClient: a client that never answers the runner's Close
// leaves the closing handshake unfinished: UNCLEAN where the case needs a
// clean close, which the default policy fails; as the server, the runner
// closing TCP itself is never FAILED BY CLIENT.
func TestNoCloseReplyClient(t *testing.T) {
	t.Parallel()
	rs := runFlawed(t, lookup(t, "1.1.1", "2.2", "7.1.1"), noCloseReply)
	for id, r := range rs {
		// The runner drops TCP at its close-handshake timeout, or at the
		// case's killAfter if that comes first.
		if r.Behavior != conformance.OK || r.BehaviorClose != conformance.Unclean || !r.DroppedByMe || !conformance.DefaultPolicy.Fails(r) {
			t.Errorf("%s: %s/%s dropped=%v: %s", id, r.Behavior, r.BehaviorClose, r.DroppedByMe, r.Reason)
		}
	}
}

// TestSilentClientFails: a client that connects and does nothing never
// echoes and never fails the connection when it must: FAILED.
func TestSilentClientFails(t *testing.T) {
	t.Parallel()
	rs := runFlawed(t, lookup(t, "1.1.1", "3.1", "6.3.1"), silent)
	for id, r := range rs {
		if r.Behavior != conformance.Failed && r.BehaviorClose != conformance.Failed {
			t.Errorf("%s: %s/%s: %s", id, r.Behavior, r.BehaviorClose, r.Reason)
		}
	}
}

// TestServerRoleCloseTimeoutIsOK: as Autobahn's fuzzing server, a client
// that leaves the runner's Close unanswered, where the case does not ask
// for a clean close, is OK: the drop is the server's own job, never FAILED
// BY CLIENT (which only the runner as a client gives).
func TestServerRoleCloseTimeoutIsOK(t *testing.T) {
	t.Parallel()
	c := &conformance.Case{
		ID:          "99.1.1",
		Description: "The runner closes at once.",
		Expected:    map[conformance.Verdict][]conformance.Event{conformance.OK: {}},
		Close:       conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}},
		Open:        func(s *conformance.Session) { s.Close(1000, "") },
	}
	rs := runFlawed(t, []*conformance.Case{c}, noCloseReply)
	r := rs["99.1.1"]
	if r.Behavior != conformance.OK || r.BehaviorClose != conformance.OK || !r.DroppedByMe || !r.WasCloseHandshakeTimeout {
		t.Errorf("%s/%s dropped=%v timeout=%v: %s", r.Behavior, r.BehaviorClose, r.DroppedByMe, r.WasCloseHandshakeTimeout, r.Reason)
	}
}

// badReplies are the cases of category 0 whose response a client must
// refuse and whose head parses (0.1.3's status line does not: even a
// client that verifies nothing cannot read it).
var badReplies = []string{"0.1.1", "0.1.2", "0.3.1", "0.3.2", "0.3.3", "0.3.4", "0.3.8",
	"0.4.1", "0.4.2", "0.4.3", "0.4.4", "0.4.5", "0.4.6", "0.6.1", "0.6.2", "0.7.5", "0.7.6"}

// TestAnyResponseClientFails: a client that takes any response head for
// an upgrade goes on and echoes the message sent after an invalid one:
// FAILED, in both columns, for every invalid response; the valid odd
// ones still pass.
func TestAnyResponseClientFails(t *testing.T) {
	t.Parallel()
	rs := runFlawed(t, lookup(t, append(badReplies, "0.3.5", "0.3.7", "0.7.1", "0.7.2")...), anyResponse)
	for _, id := range badReplies {
		r := rs[id]
		if r.Behavior != conformance.Failed || r.BehaviorClose != conformance.Failed || len(r.Received) != 1 {
			t.Errorf("%s: %s/%s received %d: %s", id, r.Behavior, r.BehaviorClose, len(r.Received), r.Reason)
		}
	}
	for _, id := range []string{"0.3.5", "0.3.7", "0.7.1", "0.7.2"} {
		if r := rs[id]; r.Behavior != conformance.OK || r.BehaviorClose != conformance.OK {
			t.Errorf("%s: %s/%s: %s", id, r.Behavior, r.BehaviorClose, r.Reason)
		}
	}
}

// TestRefusalVerdicts: refusing an invalid response with a Close frame
// first is NON-STRICT (the connection never opened); refusing it but
// keeping the connection open is FAILED.
func TestRefusalVerdicts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f                       flaw
		behavior, behaviorClose conformance.Verdict
	}{
		{closeOnRefusal, conformance.NonStrict, conformance.OK},
		{waitOnRefusal, conformance.Failed, conformance.Failed},
	} {
		for id, r := range runFlawed(t, lookup(t, "0.1.2", "0.4.4", "0.6.2"), tc.f) {
			if r.Behavior != tc.behavior || r.BehaviorClose != tc.behaviorClose {
				t.Errorf("flaw %d, %s: %s/%s: %s", tc.f, id, r.Behavior, r.BehaviorClose, r.Reason)
			}
		}
	}
}

// TestMaskedFrameAcceptedFails: a client that takes a masked frame from
// the server (8.1.1 against clients) echoes it: FAILED.
func TestMaskedFrameAcceptedFails(t *testing.T) {
	t.Parallel()
	r := runFlawed(t, lookup(t, "8.1.1"), acceptMasked)["8.1.1"]
	if r.Behavior != conformance.Failed || r.BehaviorClose != conformance.Failed || len(r.Received) != 1 {
		t.Errorf("%s/%s received %d: %s", r.Behavior, r.BehaviorClose, len(r.Received), r.Reason)
	}
	if !slices.Contains(r.Requirements, "R-5.1-client-rejects-masked") {
		t.Errorf("requirements %q", r.Requirements)
	}
}

// TestLenientLengthsClient: a client that takes non-minimal lengths
// echoes 8.1.2-8.1.4 and closes cleanly: NON-STRICT, as a lenient server.
func TestLenientLengthsClient(t *testing.T) {
	t.Parallel()
	for id, r := range runFlawed(t, lookup(t, "8.1.2", "8.1.3", "8.1.4"), lenientLengths) {
		if r.Behavior != conformance.NonStrict || r.BehaviorClose != conformance.OK {
			t.Errorf("%s: %s/%s: %s", id, r.Behavior, r.BehaviorClose, r.Reason)
		}
	}
}
