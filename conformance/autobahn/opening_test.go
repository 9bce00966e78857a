package autobahn_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
	"github.com/wskit/wskit/handshake"
)

// A cannedServer answers every opening handshake with what answer
// returns for the request (nil: no answer at all; empty: close at once),
// then reads until the
// client closes. It proves category 0's verdicts on servers that get the
// handshake wrong in one way each.
type cannedServer struct {
	ln     net.Listener
	answer func(req *handshake.Request, err error) []byte
	wg     sync.WaitGroup
}

func startCanned(t *testing.T, answer func(req *handshake.Request, err error) []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &cannedServer{ln: ln, answer: answer}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return "ws://" + ln.Addr().String() + "/"
}

func (s *cannedServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	rr := handshake.NewRequestReader(4 << 20) // room for the oversized heads
	buf := make([]byte, 32<<10)
	for {
		n, err := c.Read(buf)
		req, _, perr := rr.Feed(buf[:n])
		if req != nil || perr != nil {
			a := s.answer(req, perr)
			if a != nil && len(a) == 0 {
				return // hang up
			}
			c.Write(a)
			io.Copy(io.Discard, c)
			return
		}
		if err != nil {
			return
		}
	}
}

// upgradeAll accepts anything, selecting whatever was offered.
func upgradeAll(req *handshake.Request, _ error) []byte {
	if req == nil {
		return []byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n",
		handshake.AcceptKey(strings.TrimSpace(req.Header.Get("Sec-WebSocket-Key"))))
	if p := req.Header.Get("Sec-WebSocket-Protocol"); p != "" {
		fmt.Fprintf(&b, "Sec-WebSocket-Protocol: %s\r\n", strings.Split(p, ",")[0])
	}
	if e := req.Header.Get("Sec-WebSocket-Extensions"); e != "" {
		fmt.Fprintf(&b, "Sec-WebSocket-Extensions: %s\r\n", e)
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

// TestOpeningVerdicts runs category 0 against servers that get the
// opening handshake wrong and checks each case's verdict.
func TestOpeningVerdicts(t *testing.T) {
	tests := []struct {
		name   string
		answer func(req *handshake.Request, err error) []byte
		want   map[string]string // case ID -> behavior/behaviorClose
	}{
		{"upgrades anything", upgradeAll, map[string]string{
			"0.1.1": "FAILED/OK", "0.1.2": "FAILED/OK", "0.2.1": "FAILED/OK", "0.3.1": "FAILED/OK",
			"0.3.2": "FAILED/OK", "0.4.3": "FAILED/OK", "0.5.1": "INFORMATIONAL/OK", "0.5.2": "FAILED/OK", "0.5.3": "FAILED/OK",
			"0.6.1": "FAILED/OK", "0.6.2": "FAILED/OK", "0.7.4": "INFORMATIONAL/OK",
			// Upgraded as it must be, but it never echoes.
			"0.3.5": "FAILED/UNCLEAN",
		}},
		{"never answers", func(*handshake.Request, error) []byte { return nil }, map[string]string{
			"0.1.1": "FAILED/OK", "0.3.1": "FAILED/OK", "0.3.5": "FAILED/OK", "0.5.1": "FAILED/OK", "0.7.3": "FAILED/OK",
		}},
		{"400 without a version", func(*handshake.Request, error) []byte {
			return []byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
		}, map[string]string{
			"0.1.1": "OK/OK", "0.3.1": "OK/OK", "0.5.1": "FAILED/OK", "0.5.2": "FAILED/OK", "0.5.3": "OK/OK",
			"0.3.5": "FAILED/OK", "0.3.8": "NON-STRICT/OK", "0.4.6": "FAILED/OK", "0.6.1": "NON-STRICT/OK", "0.7.3": "OK/OK", "0.7.5": "OK/OK",
		}},
		{"400 with the version", func(*handshake.Request, error) []byte {
			return []byte("HTTP/1.1 400 Bad Request\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n")
		}, map[string]string{
			"0.5.1": "NON-STRICT/OK", "0.5.2": "NON-STRICT/OK",
		}},
		{"426 listing other versions", func(*handshake.Request, error) []byte {
			return []byte("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 8, 7\r\nContent-Length: 0\r\n\r\n")
		}, map[string]string{
			"0.5.1": "FAILED/OK",
		}},
		{"500 for everything", func(*handshake.Request, error) []byte {
			return []byte("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n")
		}, map[string]string{
			"0.1.1": "NON-STRICT/OK", "0.3.1": "OK/OK", "0.3.5": "FAILED/OK",
		}},
		{"hangs up", func(*handshake.Request, error) []byte { return []byte{} }, map[string]string{
			"0.1.1": "OK/OK", "0.4.1": "OK/OK", "0.5.1": "FAILED/OK", "0.7.4": "OK/OK", "0.3.5": "FAILED/OK",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tg, err := conformance.NewTarget(startCanned(t, tt.answer))
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for id := range tt.want {
				ids = append(ids, id)
			}
			cases, err := autobahn.Select(ids, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := conformance.Run(context.Background(), conformance.Options{
				Target: tg, Cases: cases, Parallel: len(cases), HandshakeTimeout: 500 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res {
				if got := string(r.Behavior) + "/" + string(r.BehaviorClose); got != tt.want[r.ID] {
					t.Errorf("%s: %s, want %s (%s)", r.ID, got, tt.want[r.ID], r.Result)
				}
				if !strings.HasPrefix(r.Result, "Server answered: ") && r.Behavior != conformance.Failed {
					t.Errorf("%s: result %q does not show the answer", r.ID, r.Result)
				}
			}
		})
	}
}

// TestOpeningShowsStatusLine: the result shows the status line, the
// report the request and response heads.
func TestOpeningShowsStatusLine(t *testing.T) {
	tg, err := conformance.NewTarget(startCanned(t, func(*handshake.Request, error) []byte {
		return []byte("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\nContent-Length: 0\r\n\r\n")
	}))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := autobahn.Lookup("0.1.1")
	res, err := conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: []*conformance.Case{c}})
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if !strings.Contains(r.Result, "HTTP/1.1 405 Method Not Allowed") || !strings.Contains(r.HTTPResponse, "Allow: GET") || !strings.HasPrefix(r.HTTPRequest, "POST / HTTP/1.1\r\n") {
		t.Errorf("result %q, response %q, request %q", r.Result, r.HTTPResponse, r.HTTPRequest)
	}
}

// TestOpeningAgainstClients: every case of category 0 has a form against
// clients (its own answer to the client's handshake, same ID and index)
// or a reason it has none, and the forms are refused by Run, which tests
// servers.
func TestOpeningAgainstClients(t *testing.T) {
	cases, err := autobahn.Select([]string{"0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	forms := 0
	for _, c := range cases {
		v, ok := c.AgainstClients()
		sub := autobahn.SubcategoryOf(c.ID)
		if want := sub != "0.2" && sub != "0.5"; ok != want {
			t.Errorf("%s: a form against clients: %v, want %v (server-only: %q)", c.ID, ok, want, c.ServerOnly)
			continue
		}
		if !ok {
			if c.ServerOnly == "" {
				t.Errorf("%s: no form against clients and no reason", c.ID)
			}
			continue
		}
		forms++
		if v.ID != c.ID || v.Index != c.Index || v.Reply == nil || v.Open == nil || v.Opening != nil || len(v.Requirements) == 0 {
			t.Errorf("%s: form against clients %+v", c.ID, v)
		}
		if !strings.HasPrefix(v.Description, "Answer the client's opening handshake with ") {
			t.Errorf("%s: description %q", c.ID, v.Description)
		}
	}
	if forms != 25 {
		t.Errorf("%d forms against clients, want 25", forms)
	}
	target, err := conformance.NewTarget("ws://127.0.0.1:1/")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := cases[0].AgainstClients()
	if _, err := conformance.Run(context.Background(), conformance.Options{Target: target, Cases: []*conformance.Case{v}}); err == nil ||
		!strings.Contains(err.Error(), "runs only against clients") {
		t.Errorf("Run of a case with a Reply: %v", err)
	}
}
