package conformance_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/conformance"
)

// TestDropVerdictByRole: a peer that never answers the runner's Close,
// in a case that does not require a clean close, costs the runner a drop
// of TCP after its close-handshake timeout. As a client the runner
// reports FAILED BY CLIENT (the server should have closed TCP); as the
// server closing TCP is its own job, and the close is OK, as in
// Autobahn's fuzzing server.
func TestDropVerdictByRole(t *testing.T) {
	c := &conformance.Case{
		ID:       "99.1",
		Expected: map[conformance.Verdict][]conformance.Event{conformance.OK: {}},
		Close:    conformance.ExpectedClose{ClosedByMe: true, CloseCode: []int{1000}},
		Open:     func(s *conformance.Session) { s.Close(1000, "") },
	}
	for role, want := range map[codec.Role]conformance.Verdict{codec.RoleClient: conformance.FailedByClient, codec.RoleServer: conformance.OK} {
		t.Run(role.String(), func(t *testing.T) {
			t.Parallel()
			runner, peer := net.Pipe()
			go io.Copy(io.Discard, peer) // reads everything, answers nothing
			defer peer.Close()
			r, err := conformance.Play(context.Background(), runner, c, conformance.PlayOptions{Role: role, Rand: zeroReader{}})
			if err != nil {
				t.Fatal(err)
			}
			if r.Behavior != conformance.OK || r.BehaviorClose != want || !r.DroppedByMe || !r.WasCloseHandshakeTimeout {
				t.Errorf("%s/%s dropped=%v timeout=%v, want OK/%s", r.Behavior, r.BehaviorClose, r.DroppedByMe, r.WasCloseHandshakeTimeout, want)
			}
		})
	}
}

// TestNotOpened: the result of a case whose connection never opened is
// FAILED in both columns, with the error kept.
func TestNotOpened(t *testing.T) {
	c := &conformance.Case{ID: "1.1.1", Index: 1, Open: func(*conformance.Session) {}}
	r := conformance.NotOpened(c, conformance.PlayOptions{Role: codec.RoleServer, Request: []byte("GET / HTTP/1.1\r\n\r\n")}, os.ErrDeadlineExceeded)
	if r.Behavior != conformance.Failed || r.BehaviorClose != conformance.Failed || !r.IsServer || !r.WasOpenHandshakeTimeout ||
		!errors.Is(r.OpenError, os.ErrDeadlineExceeded) || r.ResultClose != "The WebSocket opening handshake was never completed!" ||
		r.HTTPRequest != "GET / HTTP/1.1\r\n\r\n" || r.HTTPResponse != "?" {
		t.Errorf("%+v", r)
	}
}
