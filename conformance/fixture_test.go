package conformance

import (
	"encoding/binary"
	"errors"
	"net"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// A flaw is a deliberate bug of the fixture server, one per rule family,
// to prove the runner reports FAILED and NON-STRICT where it should.
type flaw int

const (
	flawNone        flaw = iota
	flawNoUTF8           // never validates UTF-8: echoes invalid text
	flawUTF8AtEnd        // validates text only when the message is complete
	flawNoPong           // never answers pings
	flawAcceptRSV        // ignores RSV bits
	flawWrongCode        // answers every Close with 1011
	flawNeverCloses      // completes the closing handshake but keeps TCP open
	flawDropsTCP         // answers a Close, and fails, by dropping TCP without a Close
	flawHangs            // completes the opening handshake, then never answers
	flawFailFirst        // checks every frame of a read before echoing any message
)

// fixture is a small echo server written on the frame layer, with one
// optional flaw. Without a flaw it follows the rules closely enough to
// pass the cases the tests below run against it; it is not the loopback
// server.
type fixture struct {
	flaw flaw
	ln   net.Listener
	wg   sync.WaitGroup

	// Connections still in the opening handshake: now and at most.
	mu                     sync.Mutex
	connecting, connectMax int
	handshakeDelay         time.Duration // before answering each handshake
}

// connectingAdd counts connections into or out of the CONNECTING state.
func (f *fixture) connectingAdd(d int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.connecting += d
	f.connectMax = max(f.connectMax, f.connecting)
}

// startFixture starts a fixture on 127.0.0.1 and returns its target; the
// test's cleanup stops it and waits for every connection to end.
func startFixture(t *testing.T, f flaw) *Target {
	t.Helper()
	tg, _ := startFixtureServer(t, &fixture{flaw: f})
	return tg
}

// startFixtureServer starts fx on 127.0.0.1.
func startFixtureServer(t *testing.T, fx *fixture) (*Target, *fixture) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fx.ln = ln
	var mu sync.Mutex
	var conns []net.Conn
	fx.wg.Add(1)
	go func() {
		defer fx.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			fx.wg.Add(1)
			go func() {
				defer fx.wg.Done()
				defer c.Close()
				fx.serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		fx.wg.Wait()
	})
	tg, err := NewTarget("ws://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	return tg, fx
}

var errFixtureDone = errors.New("fixture: connection over")

// fixtureConn is the state of one fixture connection.
type fixtureConn struct {
	flaw   flaw
	c      net.Conn
	in     []byte // bytes read and not yet parsed
	msg    []byte
	msgOp  spec.Opcode
	inMsg  bool
	closed bool // a Close was received
}

func (f *fixture) serve(c net.Conn) {
	// A connection is CONNECTING from the first byte of its handshake to
	// the response (a bare TCP connect, like the runner's reachability
	// probe, is not a WebSocket connection yet).
	connecting := false
	defer func() {
		if connecting {
			f.connectingAdd(-1)
		}
	}()
	buf := make([]byte, 64<<10)
	var head []byte
	var rest []byte
	for {
		n, err := c.Read(buf)
		if n > 0 && !connecting {
			connecting = true
			f.connectingAdd(1)
		}
		if err != nil {
			return
		}
		head = append(head, buf[:n]...)
		req, m, err := handshake.ParseRequest(head, 0)
		if err != nil {
			var rej *handshake.Rejection
			if errors.As(err, &rej) {
				c.Write(rej.Response())
			}
			return
		}
		if m == 0 {
			continue
		}
		time.Sleep(f.handshakeDelay)
		acc, err := (&handshake.Server{}).Accept(req)
		if err != nil {
			var rej *handshake.Rejection
			if errors.As(err, &rej) {
				c.Write(rej.Response())
			}
			return
		}
		f.connectingAdd(-1) // the client leaves CONNECTING when it reads this
		connecting = false
		if _, err := c.Write(acc.Response); err != nil {
			return
		}
		rest = head[m:]
		break
	}
	if f.flaw == flawHangs {
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	}
	fc := &fixtureConn{flaw: f.flaw, c: c, in: append([]byte(nil), rest...)}
	for {
		if err := fc.process(); err != nil {
			return
		}
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		fc.in = append(fc.in, buf[:n]...)
	}
}

// frames returns the complete frames at the front of in.
func (fc *fixtureConn) frames() (hs []codec.Header, payloads [][]byte, used int) {
	p := fc.in
	for {
		h, n, err := codec.ParseHeader(p)
		if n == 0 || (err != nil && h.Length > spec.MaxPayloadLength) || uint64(len(p)-n) < h.Length {
			return hs, payloads, len(fc.in) - len(p)
		}
		payload := append([]byte(nil), p[n:n+int(h.Length)]...)
		if h.Masked {
			codec.Mask(h.Key, 0, payload)
		}
		hs, payloads = append(hs, h), append(payloads, payload)
		p = p[n+int(h.Length):]
	}
}

// process handles every complete frame read so far.
func (fc *fixtureConn) process() error {
	hs, payloads, used := fc.frames()
	fc.in = fc.in[used:]
	if fc.flaw == flawFailFirst {
		// Check the whole read before acting on any of it.
		inMsg := fc.inMsg
		for _, h := range hs {
			if code := fc.violation(h, inMsg); code != 0 {
				return fc.fail(code)
			}
			if !h.Opcode.IsControl() {
				inMsg = !h.Fin
			}
		}
	}
	for i, h := range hs {
		if err := fc.frame(h, payloads[i]); err != nil {
			return err
		}
	}
	return nil
}

// violation returns the close code a frame's header earns, or 0.
func (fc *fixtureConn) violation(h codec.Header, inMsg bool) spec.CloseCode {
	switch {
	case h.Rsv != 0 && fc.flaw != flawAcceptRSV,
		h.Opcode.IsReserved(),
		h.Opcode.IsControl() && (!h.Fin || h.Length > spec.MaxControlPayload),
		!h.Masked,
		h.Opcode == spec.OpContinuation && !inMsg,
		(h.Opcode == spec.OpText || h.Opcode == spec.OpBinary) && inMsg:
		return spec.CloseProtocolError
	}
	return 0
}

func (fc *fixtureConn) frame(h codec.Header, payload []byte) error {
	if fc.closed {
		return nil
	}
	if code := fc.violation(h, fc.inMsg); code != 0 {
		return fc.fail(code)
	}
	switch h.Opcode {
	case spec.OpPing:
		if fc.flaw != flawNoPong {
			return fc.send(spec.OpPong, payload)
		}
	case spec.OpPong:
	case spec.OpClose:
		return fc.onClose(payload)
	default:
		if !fc.inMsg {
			fc.msg, fc.msgOp, fc.inMsg = fc.msg[:0], h.Opcode, true
		}
		fc.msg = append(fc.msg, payload...)
		if fc.msgOp == spec.OpText && fc.flaw != flawNoUTF8 && fc.flaw != flawUTF8AtEnd && !validPrefix(fc.msg) {
			return fc.fail(spec.CloseInvalidPayload)
		}
		if !h.Fin {
			return nil
		}
		fc.inMsg = false
		if fc.msgOp == spec.OpText && fc.flaw != flawNoUTF8 && !utf8.Valid(fc.msg) {
			return fc.fail(spec.CloseInvalidPayload)
		}
		return fc.send(fc.msgOp, fc.msg)
	}
	return nil
}

func (fc *fixtureConn) onClose(body []byte) error {
	fc.closed = true
	code := spec.CloseCode(0)
	switch {
	case len(body) == 1:
		return fc.fail(spec.CloseProtocolError)
	case len(body) >= 2:
		code = spec.CloseCode(binary.BigEndian.Uint16(body))
		if !code.IsValidReceived() {
			return fc.fail(spec.CloseProtocolError)
		}
		if fc.flaw != flawNoUTF8 && !utf8.Valid(body[2:]) {
			return fc.fail(spec.CloseInvalidPayload)
		}
	}
	if fc.flaw == flawDropsTCP {
		return errFixtureDone
	}
	reply := []byte{}
	switch {
	case fc.flaw == flawWrongCode:
		reply = binary.BigEndian.AppendUint16(reply, uint16(spec.CloseInternalError))
	case code != 0:
		reply = binary.BigEndian.AppendUint16(reply, uint16(code))
	}
	if err := fc.send(spec.OpClose, reply); err != nil {
		return err
	}
	if fc.flaw == flawNeverCloses {
		return nil // keep reading until the client gives up
	}
	return errFixtureDone
}

// fail fails the connection: a Close with the code, then TCP closed.
func (fc *fixtureConn) fail(code spec.CloseCode) error {
	if fc.flaw != flawDropsTCP {
		fc.send(spec.OpClose, binary.BigEndian.AppendUint16(nil, uint16(code)))
	}
	return errFixtureDone
}

func (fc *fixtureConn) send(op spec.Opcode, payload []byte) error {
	if op == spec.OpClose && fc.flaw == flawWrongCode && len(payload) >= 2 {
		payload = binary.BigEndian.AppendUint16(nil, uint16(spec.CloseInternalError))
	}
	wire := codec.AppendHeader(nil, codec.Header{Fin: true, Opcode: op, Length: uint64(len(payload))})
	_, err := fc.c.Write(append(wire, payload...))
	return err
}

// validPrefix reports whether b could still become valid UTF-8: it is
// valid except, at most, for an unfinished last character.
func validPrefix(b []byte) bool {
	for i := len(b) - 1; i >= 0 && i >= len(b)-3; i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.Valid(b[:i]) && !utf8.FullRune(b[i:]) {
				// An unfinished sequence: valid if some completion is.
				for _, tail := range [][]byte{{0x80, 0x80, 0x80}, {0xbf, 0xbf, 0xbf}, {0x90, 0x80, 0x80}, {0xa0, 0x80, 0x80}, {0x8f, 0xbf, 0xbf}, {0x9f, 0xbf, 0xbf}} {
					c := append(append([]byte(nil), b[i:]...), tail...)
					if r, n := utf8.DecodeRune(c); r != utf8.RuneError && n > len(b)-i {
						return true
					}
				}
				return false
			}
			break
		}
	}
	return utf8.Valid(b)
}
