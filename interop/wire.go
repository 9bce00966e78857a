package interop

import (
	"crypto/rand"
	"errors"
	"net"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// wireDeadline bounds every read of the harness's side of a connection, so
// that no reader goroutine outlives a run by more than this.
const wireDeadline = 15 * time.Second

// A wire is the harness's side of a connection with a library: it writes
// raw bytes (a vector's input, frames it builds) and decodes what the
// library sends into the session.
type wire struct {
	conn net.Conn
	enc  *codec.Encoder
	done chan struct{}
}

// startWire starts decoding the library's frames from conn, beginning with
// rest (bytes that followed the handshake head). harness is the harness's
// role: the opposite of the library's.
func startWire(s *session, conn net.Conn, rest []byte, harness codec.Role) (*wire, error) {
	enc, err := codec.NewEncoder(harness, rand.Reader)
	if err != nil {
		return nil, err
	}
	dec, err := codec.NewDecoder(codec.DecoderOptions{Role: harness})
	if err != nil {
		return nil, err
	}
	w := &wire{conn: conn, enc: enc, done: make(chan struct{})}
	_ = conn.SetReadDeadline(time.Now().Add(wireDeadline))
	go w.read(s, dec, append([]byte(nil), rest...))
	return w, nil
}

// read feeds the library's bytes to dec and records each message and
// control frame, until the transport ends.
func (w *wire) read(s *session, dec *codec.Decoder, first []byte) {
	defer close(w.done)
	var msg []byte
	var op spec.Opcode
	broken := false
	feed := func(p []byte) {
		for !broken {
			ev, n, err := dec.Decode(p)
			p = p[n:]
			if err != nil {
				broken = true
				s.update(func() { s.wireErr = err })
				return
			}
			switch ev.Kind {
			case codec.EventNone:
				return
			case codec.EventMessageStart:
				op, msg = ev.Opcode, []byte{}
			case codec.EventPayload:
				msg = append(msg, ev.Data...)
			case codec.EventMessageEnd:
				f := wireFrame{Op: op, Data: msg}
				s.update(func() { s.frames = append(s.frames, f) })
			case codec.EventPing, codec.EventPong, codec.EventClose:
				f := wireFrame{Op: ev.Opcode, Data: append([]byte(nil), ev.Data...), Code: int(ev.Code)}
				s.update(func() { s.frames = append(s.frames, f) })
			}
		}
	}
	feed(first)
	buf := make([]byte, 32<<10)
	for {
		n, err := w.conn.Read(buf)
		feed(buf[:n])
		if err != nil {
			s.update(func() { s.wireEnded = true })
			return
		}
	}
}

// write sends raw bytes to the library, ignoring errors: a library that
// already closed the transport is judged by what it did, not by our write.
func (w *wire) write(p []byte) {
	_ = w.conn.SetWriteDeadline(time.Now().Add(hangTimeout))
	_, _ = w.conn.Write(p)
}

// probe is the payload of the Ping the harness sends after a vector's
// input: a Pong with it shows the library is alive and has processed
// everything before it.
var probe = []byte("interop-probe")

// sendProbe writes the probe Ping.
func (w *wire) sendProbe() {
	p, err := w.enc.AppendPing(nil, probe)
	if err == nil {
		w.write(p)
	}
}

// close closes the harness's side and waits for its reader.
func (w *wire) close() {
	_ = w.conn.Close()
	select {
	case <-w.done:
	case <-time.After(hangTimeout):
	}
}

// errNoEndpoint reports a library that completed no handshake in time.
var errNoEndpoint = errors.New("interop: the library completed no handshake in time")
