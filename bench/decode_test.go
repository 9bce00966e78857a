package bench

// Decoding what a server receives: masked client frames, in steady state.
//
// Every library reads the same endless stream (transport_test.go), a
// repetition of one iteration's frames, and for each message must check
// the frame, unmask the payload, validate it if it is text, and hand it to
// the application; the application here only counts the bytes. Reading the
// stream copies each byte once, as reading a socket does.
//
//   - wskit: codec.Decoder (server role, default limits); the application
//     reads the stream into a 64 KiB buffer and calls Decode until
//     EventNone. Payload events alias that buffer: no second copy.
//   - wskit-whole: the same with Decoder.DecodeWhole, which returns a
//     one-frame message whose payload is all in the buffer as one
//     EventMessage (one call per small message instead of three).
//   - gorilla: a server *websocket.Conn from Upgrader.Upgrade over a
//     memConn, default 4 KiB read buffer; NextReader, then Read into a
//     64 KiB buffer until io.EOF. gorilla does not validate the UTF-8 of
//     text messages, so the application calls utf8.Valid on each one, as
//     it must to be RFC 6455 compliant.
//   - gobwas: a reused wsutil.Reader (server state, CheckUTF8, frame and
//     message limits like wskit's) over a 4 KiB bufio.Reader; NextFrame,
//     then Read into a 64 KiB buffer until io.EOF.
//   - gobwas-helper: wsutil.ReadClientData over the same bufio.Reader,
//     the one-call helper, which allocates a new Reader and a new payload
//     slice for every message.
//   - coder: a server *websocket.Conn from Accept over a memConn (4 KiB
//     read buffer, no compression); Reader, then Read into a 64 KiB buffer
//     until io.EOF. coder does not validate UTF-8 either, so the
//     application calls utf8.Valid.
//
// The peers' io.Reader APIs copy a small message twice (stream to their
// bufio.Reader, then to the application's buffer), wskit's once; a payload
// of 4 KiB or more bypasses their bufio.Reader and is copied once by all.
// That difference is part of what is measured.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// maxMessage is the frame and message limit every library gets: wskit's
// default (codec.DefaultMaxMessage).
const maxMessage = codec.DefaultMaxMessage

// readBufferSize is the application's buffer: wskit reads the stream into
// it, the peers read message payload into it.
const readBufferSize = 64 << 10

// A decodeCase is one iteration's worth of messages, each one frame.
type decodeCase struct {
	name  string
	op    spec.Opcode
	size  int // payload bytes per message
	count int // messages per iteration
}

var decodeCases = []decodeCase{
	{"16B-text", spec.OpText, 16, 1000},
	{"125B-text", spec.OpText, 125, 1000},
	{"1MiB-binary", spec.OpBinary, 1 << 20, 1},
}

// A keyReader is a repeatable source of masking keys (a xorshift
// sequence), for building inputs and for wskit's client Encoder.
type keyReader struct{ x uint32 }

func (r *keyReader) Read(p []byte) (int, error) {
	for i := range p {
		if r.x == 0 {
			r.x = 0x9E3779B9
		}
		r.x ^= r.x << 13
		r.x ^= r.x >> 17
		r.x ^= r.x << 5
		p[i] = byte(r.x)
	}
	return len(p), nil
}

const loremText = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. "

// payload returns the i-th message payload of n bytes for op: ASCII text
// starting at a different place each time, or pseudo-random binary.
func payload(op spec.Opcode, n, i int) []byte {
	p := make([]byte, n)
	if op == spec.OpText {
		for j := range p {
			p[j] = loremText[(i*7+j)%len(loremText)]
		}
		return p
	}
	rng := rand.New(rand.NewPCG(uint64(i), 42))
	for j := range p {
		p[j] = byte(rng.Uint32())
	}
	return p
}

// decodeInput returns the payloads of c's messages and their wire form as
// a client sends them: one final frame each, masked with a fresh key.
func decodeInput(c decodeCase) (payloads [][]byte, wire []byte) {
	enc, err := codec.NewEncoder(codec.RoleClient, &keyReader{})
	if err != nil {
		panic(err)
	}
	for i := range c.count {
		p := payload(c.op, c.size, i)
		payloads = append(payloads, p)
		if wire, err = enc.AppendFrame(wire, true, c.op, p); err != nil {
			panic(err)
		}
	}
	return payloads, wire
}

// A deliver function receives the next piece of a message's payload. The
// piece is valid only during the call.
type deliver func(op spec.Opcode, piece []byte)

// A serverReader reads messages from a stream of client frames.
type serverReader struct {
	lib string
	// open returns a function that reads the next message from src,
	// calling d for each piece of its payload, in order.
	open func(src io.Reader) (func(d deliver) error, error)
}

var serverReaders = []serverReader{
	{"wskit", openWskit},
	{"wskit-whole", openWskitWhole},
	{"gorilla", openGorilla},
	{"gobwas", openGobwas},
	{"gobwas-helper", openGobwasHelper},
	{"coder", openCoder},
}

func openWskit(src io.Reader) (func(deliver) error, error) {
	d, err := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleServer})
	if err != nil {
		return nil, err
	}
	buf := make([]byte, readBufferSize)
	var p []byte // bytes read and not yet consumed by d
	return func(deliver deliver) error {
		for {
			if len(p) == 0 {
				n, err := src.Read(buf)
				if err != nil {
					return err
				}
				p = buf[:n]
			}
			ev, n, err := d.Decode(p)
			p = p[n:]
			if err != nil {
				return err
			}
			switch ev.Kind {
			case codec.EventNone, codec.EventMessageStart:
			case codec.EventPayload:
				deliver(ev.Opcode, ev.Data)
			case codec.EventMessageEnd:
				return nil
			default:
				return errUnexpected
			}
		}
	}, nil
}

// openWskitWhole is openWskit with Decoder.DecodeWhole, which returns a
// one-frame message whose payload is all in the buffer as one
// EventMessage instead of three events.
func openWskitWhole(src io.Reader) (func(deliver) error, error) {
	d, err := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleServer})
	if err != nil {
		return nil, err
	}
	buf := make([]byte, readBufferSize)
	var p []byte // bytes read and not yet consumed by d
	return func(deliver deliver) error {
		for {
			if len(p) == 0 {
				n, err := src.Read(buf)
				if err != nil {
					return err
				}
				p = buf[:n]
			}
			ev, n, err := d.DecodeWhole(p)
			p = p[n:]
			if err != nil {
				return err
			}
			switch ev.Kind {
			case codec.EventNone, codec.EventMessageStart:
			case codec.EventMessage:
				deliver(ev.Opcode, ev.Data)
				return nil
			case codec.EventPayload:
				deliver(ev.Opcode, ev.Data)
			case codec.EventMessageEnd:
				return nil
			default:
				return errUnexpected
			}
		}
	}, nil
}

func openGorilla(src io.Reader) (func(deliver) error, error) {
	c, _, err := newGorillaServer(src)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, readBufferSize)
	return func(deliver deliver) error {
		typ, r, err := c.NextReader()
		if err != nil {
			return err
		}
		return drain(r, spec.Opcode(typ), buf, true, deliver)
	}, nil
}

func openGobwas(src io.Reader) (func(deliver) error, error) {
	rd := &wsutil.Reader{
		Source:         bufio.NewReaderSize(src, ioBufferSize),
		State:          ws.StateServerSide,
		CheckUTF8:      true,
		MaxFrameSize:   maxMessage,
		MaxMessageSize: maxMessage,
	}
	buf := make([]byte, readBufferSize)
	return func(deliver deliver) error {
		h, err := rd.NextFrame()
		if err != nil {
			return err
		}
		if h.OpCode != ws.OpText && h.OpCode != ws.OpBinary {
			return errUnexpected
		}
		return drain(rd, spec.Opcode(h.OpCode), buf, false, deliver)
	}, nil
}

func openGobwasHelper(src io.Reader) (func(deliver) error, error) {
	rw := struct {
		io.Reader
		io.Writer
	}{bufio.NewReaderSize(src, ioBufferSize), io.Discard}
	return func(deliver deliver) error {
		p, op, err := wsutil.ReadClientData(rw)
		if err != nil {
			return err
		}
		deliver(spec.Opcode(op), p)
		return nil
	}, nil
}

func openCoder(src io.Reader) (func(deliver) error, error) {
	c, _, err := newCoderServer(src)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	buf := make([]byte, readBufferSize)
	return func(deliver deliver) error {
		typ, r, err := c.Reader(ctx)
		if err != nil {
			return err
		}
		return drain(r, spec.Opcode(typ), buf, true, deliver)
	}, nil
}

// drain reads a message's payload from r into buf until io.EOF and
// delivers it: in buf-sized pieces, or, if the library does not validate
// text (validate), whole after checking it with utf8.Valid, which needs a
// text message to fit in buf.
func drain(r io.Reader, op spec.Opcode, buf []byte, validate bool, deliver deliver) error {
	validate = validate && op == spec.OpText
	n := 0
	for {
		if n == len(buf) {
			if validate {
				return errors.New("bench: text message larger than the read buffer")
			}
			deliver(op, buf)
			n = 0
		}
		k, err := r.Read(buf[n:])
		n += k
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if validate && !utf8.Valid(buf[:n]) {
		return errors.New("bench: invalid UTF-8 in a text message")
	}
	if n > 0 {
		deliver(op, buf[:n])
	}
	return nil
}

// checkDecode reads len(payloads) messages with next and reports whether
// they are payloads, in order.
func checkDecode(next func(deliver) error, op spec.Opcode, payloads [][]byte) error {
	for i, want := range payloads {
		var got []byte
		var gotOp spec.Opcode
		err := next(func(op spec.Opcode, piece []byte) {
			gotOp = op
			got = append(got, piece...)
		})
		if err != nil {
			return fmt.Errorf("message %d: %v", i, err)
		}
		if gotOp != op || !bytes.Equal(got, want) {
			return fmt.Errorf("message %d: got %v %q..., want %v %q...", i, gotOp, prefix(got), op, prefix(want))
		}
	}
	return nil
}

func prefix(p []byte) []byte { return p[:min(len(p), 16)] }

// TestDecodeAgree checks that every library reads the same messages from
// each case's stream, twice round, so that the stream's wrap is crossed.
func TestDecodeAgree(t *testing.T) {
	for _, c := range decodeCases {
		payloads, wire := decodeInput(c)
		for _, r := range serverReaders {
			next, err := r.open(&stream{b: wire})
			if err != nil {
				t.Fatalf("%s: %v", r.lib, err)
			}
			for round := range 2 {
				if err := checkDecode(next, c.op, payloads); err != nil {
					t.Errorf("%s, %s, round %d: %v", c.name, r.lib, round, err)
					break
				}
			}
		}
	}
}

// TestDecodeRejects checks that every library fails, rather than
// delivers, an unmasked client frame and, for those that validate text, a
// text message that is not UTF-8: the benchmarks compare libraries doing
// these checks.
func TestDecodeRejects(t *testing.T) {
	unmasked := codec.AppendHeader(nil, codec.Header{Fin: true, Opcode: spec.OpBinary, Length: 3})
	unmasked = append(unmasked, "abc"...)
	enc, err := codec.NewEncoder(codec.RoleClient, &keyReader{})
	if err != nil {
		t.Fatal(err)
	}
	badText, err := enc.AppendFrame(nil, true, spec.OpText, []byte("ab\xffc"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range serverReaders {
		for name, wire := range map[string][]byte{"unmasked": unmasked, "bad UTF-8": badText} {
			next, err := r.open(&stream{b: wire})
			if err != nil {
				t.Fatalf("%s: %v", r.lib, err)
			}
			if err := next(func(spec.Opcode, []byte) {}); err == nil {
				t.Errorf("%s accepted a message with %s", r.lib, name)
			}
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, c := range decodeCases {
		payloads, wire := decodeInput(c)
		for _, r := range serverReaders {
			b.Run(fmt.Sprintf("msg=%s/lib=%s", c.name, r.lib), func(b *testing.B) {
				next, err := r.open(&stream{b: wire})
				if err != nil {
					b.Fatal(err)
				}
				if err := checkDecode(next, c.op, payloads); err != nil {
					b.Fatal(err)
				}
				total := 0
				count := func(_ spec.Opcode, piece []byte) { total += len(piece) }
				want := c.count * c.size
				b.SetBytes(int64(want))
				b.ReportAllocs()
				for b.Loop() {
					total = 0
					for range c.count {
						if err := next(count); err != nil {
							b.Fatal(err)
						}
					}
					if total != want {
						b.Fatalf("delivered %d bytes, want %d", total, want)
					}
				}
			})
		}
	}
}
