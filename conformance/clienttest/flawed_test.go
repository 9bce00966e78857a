package clienttest_test

import (
	"crypto/rand"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/conformance/clienttest"
	"github.com/wskit/wskit/handshake"
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
	req, err := handshake.NewRequest(url, [16]byte{1}, handshake.RequestOptions{})
	if err != nil {
		t.Error(err)
		return
	}
	nc.Write(req.Append(nil))
	head := handshake.NewResponseReader(0)
	buf := make([]byte, 64<<10)
	var rest []byte
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
			if _, err := handshake.VerifyResponse(req, resp); err != nil {
				t.Error(err)
				return
			}
			rest = append([]byte(nil), after...)
			break
		}
	}
	ws, _ := codec.NewConn(codec.ConnOptions{Role: codec.RoleClient, Rand: rand.Reader})
	plain, _ := codec.NewEncoder(codec.RoleServer, nil)
	var msg []byte
	for p := rest; ; {
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
				case noCloseReply:
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

// runFlawed runs the cases against a flawed client through the API and
// returns the results by case ID.
func runFlawed(t *testing.T, cases []*conformance.Case, f flaw) map[string]*conformance.Result {
	t.Helper()
	srv, base := start(t, clienttest.Config{Cases: cases})
	harness(t, base, "flawed", len(cases), func(url string) { flawedClient(t, url, f) })
	out := map[string]*conformance.Result{}
	for _, r := range srv.AgentResults("flawed") {
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
