package deflate

import (
	"bytes"
	"compress/flate"
	"slices"
	"testing"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
	"pgregory.net/rapid"
)

// drawParams draws an agreed parameter set.
func drawParams(t *rapid.T) Params {
	bits := rapid.SampledFrom([]int{0, 8, 9, 12, 14, 15})
	return Params{
		ServerNoContextTakeover: rapid.Bool().Draw(t, "serverNoContextTakeover"),
		ClientNoContextTakeover: rapid.Bool().Draw(t, "clientNoContextTakeover"),
		ServerMaxWindowBits:     bits.Draw(t, "serverMaxWindowBits"),
		ClientMaxWindowBits:     bits.Draw(t, "clientMaxWindowBits"),
	}
}

// drawMessage draws a payload with repetitions near and far, so that
// the compressor finds matches, and long runs now and then.
func drawMessage(t *rapid.T, text bool) []byte {
	words := []string{"a", "hello", "κόσμε", " ", "websocket", "\x00\x01", "0123456789abcdef"}
	if !text {
		words = append(words, "\xff\xfe", "\x80")
	}
	n := rapid.IntRange(0, 40).Draw(t, "words")
	var b []byte
	for range n {
		switch rapid.IntRange(0, 9).Draw(t, "kind") {
		case 0:
			b = append(b, bytes.Repeat([]byte{'z'}, rapid.IntRange(1, 70000).Draw(t, "run"))...)
		case 1:
			if len(b) > 0 {
				start := rapid.IntRange(0, len(b)-1).Draw(t, "copyFrom")
				b = append(b, b[start:min(len(b), start+rapid.IntRange(1, 300).Draw(t, "copyLen"))]...)
			}
		default:
			b = append(b, rapid.SampledFrom(words).Draw(t, "word")...)
		}
	}
	return b
}

// endpoint is one side of the connection under test, with the messages
// the other side still has to receive from it.
type endpoint struct {
	conn *codec.Conn
	name string
}

// deflateMachine runs two Conns that agreed on drawn parameters against
// a model: every message one sends, in pieces of any size, with pings
// between them, arrives whole at the other, in any chunking, with
// context takeover (or not) across many messages.
type deflateMachine struct {
	ends [2]endpoint
	sent int
}

func newDeflateMachine(t *rapid.T) *deflateMachine {
	p := drawParams(t)
	level := rapid.SampledFrom([]int{flate.HuffmanOnly, flate.DefaultCompression, flate.BestSpeed, 5, flate.BestCompression}).Draw(t, "level")
	var pool WriterPool
	if rapid.Bool().Draw(t, "pooled") {
		pool = &pools{}
	}
	m := &deflateMachine{}
	for i, role := range []codec.Role{codec.RoleServer, codec.RoleClient} {
		opts := codec.ConnOptions{Role: role, Rand: zeroReader{}}
		if err := Configure(&opts, p, level, pool); err != nil {
			t.Fatal(err)
		}
		c, err := codec.NewConn(opts)
		if err != nil {
			t.Fatal(err)
		}
		m.ends[i] = endpoint{conn: c, name: role.String()}
	}
	return m
}

// deliver feeds wire to c in drawn chunks and returns what arrived.
func deliver(t *rapid.T, c *codec.Conn, wire []byte) (msgs [][]byte, pings [][]byte) {
	wire = slices.Clone(wire)
	var cur []byte
	for len(wire) > 0 {
		n := rapid.IntRange(1, max(1, len(wire))).Draw(t, "chunk")
		if rapid.IntRange(0, 3).Draw(t, "wholeChunk") == 0 {
			n = len(wire)
		}
		evs, err := c.Receive(wire[:n])
		if err != nil {
			t.Fatalf("receive: %v", err)
		}
		wire = wire[n:]
		for _, ev := range evs {
			switch ev.Kind {
			case codec.EventMessageStart:
				cur = []byte{}
			case codec.EventPayload:
				cur = append(cur, ev.Data...)
			case codec.EventMessageEnd:
				msgs = append(msgs, cur)
			case codec.EventPing:
				pings = append(pings, slices.Clone(ev.Data))
			}
		}
	}
	return msgs, pings
}

func (m *deflateMachine) send(t *rapid.T, from int) {
	snd, rcv := m.ends[from], m.ends[1-from]
	text := rapid.Bool().Draw(t, "text")
	msg := drawMessage(t, text)
	if text {
		msg = bytes.ToValidUTF8(msg, []byte("?"))
	}
	op := spec.OpBinary
	if text {
		op = spec.OpText
	}
	var wire []byte
	var wantPings [][]byte
	if rapid.Bool().Draw(t, "whole") {
		out, err := snd.conn.SendMessage(op, msg)
		if err != nil {
			t.Fatal(err)
		}
		wire = append(wire, out...)
	} else {
		// Streamed in pieces, cut anywhere (inside code points too),
		// with a ping now and then between them.
		rest := msg
		for first := true; first || len(rest) > 0; first = false {
			n := rapid.IntRange(0, len(rest)).Draw(t, "piece")
			fin := n == len(rest)
			pop := op
			if !first {
				pop = spec.OpContinuation
			}
			out, err := snd.conn.SendFrame(fin, pop, rest[:n])
			if err != nil {
				t.Fatal(err)
			}
			wire = append(wire, out...)
			rest = rest[n:]
			if !fin && rapid.IntRange(0, 4).Draw(t, "ping") == 0 {
				out, err := snd.conn.SendPing([]byte("p"))
				if err != nil {
					t.Fatal(err)
				}
				wire = append(wire, out...)
				wantPings = append(wantPings, []byte("p"))
			}
		}
	}
	// RSV1 on the first frame of the message only.
	for i, h := range headersOf(t, wire) {
		if h.Opcode.IsControl() || h.Opcode == spec.OpContinuation {
			if h.Rsv != 0 {
				t.Fatalf("frame %d (%v) has RSV %d", i, h.Opcode, h.Rsv)
			}
		} else if h.Rsv != codec.Rsv1 {
			t.Fatalf("first frame has RSV %d", h.Rsv)
		}
	}
	msgs, pings := deliver(t, rcv.conn, wire)
	if len(msgs) != 1 || !bytes.Equal(msgs[0], msg) {
		t.Fatalf("message %d from the %s: got %d messages, want one of %d bytes", m.sent, snd.name, len(msgs), len(msg))
	}
	if len(pings) != len(wantPings) {
		t.Fatalf("%d pings, want %d", len(pings), len(wantPings))
	}
	// The receiver owes a pong for each ping; take it.
	rcv.conn.Outgoing()
	m.sent++
}

func headersOf(t *rapid.T, wire []byte) []codec.Header {
	var hs []codec.Header
	for len(wire) > 0 {
		h, n, err := codec.ParseHeader(wire)
		if err != nil || n == 0 {
			t.Fatalf("ParseHeader: %v", err)
		}
		hs = append(hs, h)
		wire = wire[n+int(h.Length):]
	}
	return hs
}

// TestPropertyRoundTrip: compress then inflate is the identity for any
// messages, fragmentations, chunkings, parameter sets and levels, across
// many messages in both directions (D-7.2.1-compress,
// D-7.2.2-decompress, D-7.2.1-own-takeover, D-7.2.2-peer-takeover,
// D-6-rsv1-placement).
func TestPropertyRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newDeflateMachine(t)
		t.Repeat(map[string]func(*rapid.T){
			"server sends": func(t *rapid.T) { m.send(t, 0) },
			"client sends": func(t *rapid.T) { m.send(t, 1) },
			"": func(t *rapid.T) {
				for _, e := range m.ends {
					if e.conn.Err() != nil || e.conn.State() != codec.StateOpen {
						t.Fatalf("%s: %v, %v", e.name, e.conn.State(), e.conn.Err())
					}
				}
			},
		})
	})
}

// TestPropertyInflateChunking: the inflater gives compress/flate's input
// back whatever the sizes of the pieces it is fed, for data written at
// any level with any flushes.
func TestPropertyInflateChunking(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		level := rapid.IntRange(-2, 9).Draw(t, "level")
		var plain, comp bytes.Buffer
		w, _ := flate.NewWriter(&comp, level)
		for range rapid.IntRange(1, 6).Draw(t, "writes") {
			b := drawMessage(t, false)
			plain.Write(b)
			w.Write(b)
			if rapid.Bool().Draw(t, "flush") {
				w.Flush()
			}
		}
		w.Flush()
		data := comp.Bytes()[:comp.Len()-4]
		d, _ := NewDecompressor(0, false)
		var got []byte
		for {
			n := rapid.IntRange(0, len(data)).Draw(t, "feed")
			out, c, done, err := d.Transform(data[:n], n == len(data))
			if err != nil {
				t.Fatal(err)
			}
			if c == 0 && len(out) == 0 && !done {
				if n != 0 {
					t.Fatal("no progress")
				}
				continue
			}
			got = append(got, out...)
			data = data[c:]
			if done {
				break
			}
		}
		if !bytes.Equal(got, plain.Bytes()) {
			t.Fatalf("inflated %d bytes, want %d", len(got), plain.Len())
		}
	})
}
