package bench

// Encoding one message as one final frame and writing it to a connection,
// as a server (unmasked) and as a client (masked with a fresh key).
//
// Every library ends by writing the frame to a memConn (transport_test.go),
// which copies what it is given, as a socket write copies into the kernel;
// the buffer is reset between iterations. What each sub-benchmark does:
//
//   - wskit: codec.Encoder.AppendFrame into a reused slice, then one
//     Write of it. A client Encoder reads its keys from a repeatable
//     io.Reader (keyReader). AppendFrame does not validate text, like
//     every peer here; AppendMessage would add a utf8.Valid pass.
//   - wskit-writev (server only): codec.AppendHeader into a 14-byte
//     buffer and net.Buffers{header, payload}.WriteTo, the way to send a
//     server frame without copying its payload with wskit's frame layer.
//   - wskit-writeframe: codec.Encoder.WriteFrame with a 32 KiB scratch
//     buffer: a small server frame is copied there and written at once, a
//     large one written as the header with the payload's first 4 KiB, then
//     the rest of the payload itself; a client frame is masked into the
//     scratch buffer piece by piece, one Write each.
//   - gobwas: server: ws.WriteFrame(conn, ws.NewFrame(...)), a header
//     write and a payload write. Client: ws.WriteHeader into a reused
//     buffer, the payload appended and masked there with ws.Cipher (gobwas
//     must not mask the caller's payload in place either), one Write. Keys
//     from ws.NewMask (math/rand).
//   - gobwas-wsutil: wsutil.WriteServerMessage / WriteClientMessage, the
//     helpers; the client one copies the payload into a pooled buffer and
//     masks it there with a key from ws.NewMask.
//   - gorilla: Conn.WriteMessage on a server Conn from Upgrader.Upgrade
//     (default 4 KiB write buffer; its server fast path copies the first
//     4 KiB and writes the rest from the caller's slice) or on a client
//     Conn from Dialer.Dial. The client Conn gets WriteBufferSize 1 MiB so
//     that it sends the 1 MiB message as one frame, as the others do; with
//     its default 4 KiB it would send 256 fragments. Keys from math/rand.
//   - coder: Conn.Write on a server Conn from Accept or a client Conn from
//     Dial, without compression, with its 4 KiB bufio.Writer. Client keys
//     from crypto/rand, one read per frame.
//
// Before timing, each sub-benchmark checks that what was written parses
// as exactly one minimal final frame with the right opcode and masking
// whose unmasked payload is the message.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	coder "github.com/coder/websocket"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	gorilla "github.com/gorilla/websocket"
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

var encodeCases = []struct {
	name string
	op   spec.Opcode
	size int
}{
	{"125B-text", spec.OpText, 125},
	{"1MiB-binary", spec.OpBinary, 1 << 20},
}

// A frameWriter writes messages as single frames to a connection.
type frameWriter struct {
	lib    string
	server bool // has a server role
	client bool // has a client role
	// open returns a function that writes a message and returns the
	// bytes that reached the connection, valid until its next call.
	open func(role codec.Role) (func(op spec.Opcode, p []byte) ([]byte, error), error)
}

var frameWriters = []frameWriter{
	{"wskit", true, true, openWskitWriter},
	{"wskit-writev", true, false, openWskitWritev},
	{"wskit-writeframe", true, true, openWskitWriteFrame},
	{"gobwas", true, true, openGobwasWriter},
	{"gobwas-wsutil", true, true, openGobwasWsutil},
	{"gorilla", true, true, openGorillaWriter},
	{"coder", true, true, openCoderWriter},
}

func openWskitWriter(role codec.Role) (func(spec.Opcode, []byte) ([]byte, error), error) {
	enc, err := codec.NewEncoder(role, &keyReader{})
	if err != nil {
		return nil, err
	}
	conn := new(memConn)
	var dst []byte
	return func(op spec.Opcode, p []byte) ([]byte, error) {
		conn.out.b = conn.out.b[:0]
		if dst, err = enc.AppendFrame(dst[:0], true, op, p); err != nil {
			return nil, err
		}
		_, err := conn.Write(dst)
		return conn.out.b, err
	}, nil
}

func openWskitWritev(role codec.Role) (func(spec.Opcode, []byte) ([]byte, error), error) {
	if role != codec.RoleServer {
		return nil, errors.New("bench: wskit-writev is server-only")
	}
	conn := new(memConn)
	var hdr [codec.MaxHeaderSize]byte
	return func(op spec.Opcode, p []byte) ([]byte, error) {
		conn.out.b = conn.out.b[:0]
		bufs := net.Buffers{codec.AppendHeader(hdr[:0], codec.Header{Fin: true, Opcode: op, Length: uint64(len(p))}), p}
		_, err := bufs.WriteTo(conn)
		return conn.out.b, err
	}, nil
}

// writeFrameScratch is the scratch buffer wskit-writeframe gives
// Encoder.WriteFrame: within the 16-64 KiB its documentation suggests.
const writeFrameScratch = 32 << 10

func openWskitWriteFrame(role codec.Role) (func(spec.Opcode, []byte) ([]byte, error), error) {
	enc, err := codec.NewEncoder(role, &keyReader{})
	if err != nil {
		return nil, err
	}
	conn := new(memConn)
	scratch := make([]byte, writeFrameScratch)
	return func(op spec.Opcode, p []byte) ([]byte, error) {
		conn.out.b = conn.out.b[:0]
		err := enc.WriteFrame(conn, scratch, true, op, p)
		return conn.out.b, err
	}, nil
}

func openGobwasWriter(role codec.Role) (func(spec.Opcode, []byte) ([]byte, error), error) {
	conn := new(memConn)
	if role == codec.RoleServer {
		return func(op spec.Opcode, p []byte) ([]byte, error) {
			conn.out.b = conn.out.b[:0]
			err := ws.WriteFrame(conn, ws.NewFrame(ws.OpCode(op), true, p))
			return conn.out.b, err
		}, nil
	}
	var buf sink
	return func(op spec.Opcode, p []byte) ([]byte, error) {
		conn.out.b = conn.out.b[:0]
		buf.b = buf.b[:0]
		key := ws.NewMask()
		if err := ws.WriteHeader(&buf, ws.Header{Fin: true, OpCode: ws.OpCode(op), Masked: true, Mask: key, Length: int64(len(p))}); err != nil {
			return nil, err
		}
		start := len(buf.b)
		buf.b = append(buf.b, p...)
		ws.Cipher(buf.b[start:], key, 0)
		_, err := conn.Write(buf.b)
		return conn.out.b, err
	}, nil
}

func openGobwasWsutil(role codec.Role) (func(spec.Opcode, []byte) ([]byte, error), error) {
	conn := new(memConn)
	write := wsutil.WriteServerMessage
	if role == codec.RoleClient {
		write = wsutil.WriteClientMessage
	}
	return func(op spec.Opcode, p []byte) ([]byte, error) {
		conn.out.b = conn.out.b[:0]
		err := write(conn, ws.OpCode(op), p)
		return conn.out.b, err
	}, nil
}

func openGorillaWriter(role codec.Role) (func(spec.Opcode, []byte) ([]byte, error), error) {
	var c *gorilla.Conn
	var conn *memConn
	var err error
	if role == codec.RoleServer {
		c, conn, err = newGorillaServer(nil)
	} else {
		c, conn, err = newGorillaClient(1 << 20)
	}
	if err != nil {
		return nil, err
	}
	return func(op spec.Opcode, p []byte) ([]byte, error) {
		conn.out.b = conn.out.b[:0]
		err := c.WriteMessage(int(op), p)
		return conn.out.b, err
	}, nil
}

func openCoderWriter(role codec.Role) (func(spec.Opcode, []byte) ([]byte, error), error) {
	var c *coder.Conn
	var conn *memConn
	var err error
	if role == codec.RoleServer {
		c, conn, err = newCoderServer(nil)
	} else {
		c, conn, err = newCoderClient()
	}
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	return func(op spec.Opcode, p []byte) ([]byte, error) {
		conn.out.b = conn.out.b[:0]
		err := c.Write(ctx, coder.MessageType(op), p)
		return conn.out.b, err
	}, nil
}

// checkFrame reports whether wire is exactly one minimal, final frame
// with opcode op, masked if and only if a client sent it, carrying p.
func checkFrame(role codec.Role, op spec.Opcode, p, wire []byte) error {
	h, n, err := codec.ParseHeader(wire)
	switch {
	case err != nil:
		return err
	case n == 0:
		return fmt.Errorf("%d bytes, not a whole header", len(wire))
	case !h.Fin || h.Rsv != 0 || h.Opcode != op:
		return fmt.Errorf("header %+v, want a final %v frame", h, op)
	case h.Masked != (role == codec.RoleClient):
		return fmt.Errorf("masked = %v for a %v", h.Masked, role)
	case uint64(len(wire)-n) != h.Length:
		return fmt.Errorf("frame of %d payload bytes followed by %d bytes", h.Length, len(wire)-n)
	}
	got := bytes.Clone(wire[n:])
	if h.Masked {
		codec.Mask(h.Key, 0, got)
	}
	if !bytes.Equal(got, p) {
		return fmt.Errorf("payload %q..., want %q...", prefix(got), prefix(p))
	}
	return nil
}

// TestEncodeAgree checks that every library writes each message as one
// correct frame, twice, so that buffer reuse is covered.
func TestEncodeAgree(t *testing.T) {
	for _, role := range []codec.Role{codec.RoleServer, codec.RoleClient} {
		for _, c := range encodeCases {
			p := payload(c.op, c.size, 0)
			for _, w := range frameWriters {
				if role == codec.RoleServer && !w.server || role == codec.RoleClient && !w.client {
					continue
				}
				write, err := w.open(role)
				if err != nil {
					t.Fatalf("%s as %v: %v", w.lib, role, err)
				}
				for round := range 2 {
					wire, err := write(c.op, p)
					if err == nil {
						err = checkFrame(role, c.op, p, wire)
					}
					if err != nil {
						t.Errorf("%s as %v, %s, round %d: %v", w.lib, role, c.name, round, err)
					}
				}
			}
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, role := range []codec.Role{codec.RoleServer, codec.RoleClient} {
		for _, c := range encodeCases {
			p := payload(c.op, c.size, 0)
			for _, w := range frameWriters {
				if role == codec.RoleServer && !w.server || role == codec.RoleClient && !w.client {
					continue
				}
				b.Run(fmt.Sprintf("role=%v/msg=%s/lib=%s", role, c.name, w.lib), func(b *testing.B) {
					write, err := w.open(role)
					if err != nil {
						b.Fatal(err)
					}
					wire, err := write(c.op, p)
					if err == nil {
						err = checkFrame(role, c.op, p, wire)
					}
					if err != nil {
						b.Fatal(err)
					}
					b.SetBytes(int64(len(p)))
					b.ReportAllocs()
					for b.Loop() {
						if _, err := write(c.op, p); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
