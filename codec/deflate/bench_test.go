package deflate

import (
	"compress/flate"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// pools is the WriterPool of the documentation: one sync.Pool per level.
type pools [12]sync.Pool

func (p *pools) Get(level int) *flate.Writer {
	w, _ := p[level+2].Get().(*flate.Writer)
	return w
}

func (p *pools) Put(level int, w *flate.Writer) { p[level+2].Put(w) }

// serverConn returns a server Conn that agreed on p (nil: no deflate).
func serverConn(b testing.TB, p *Params, pool WriterPool) *codec.Conn {
	opts := codec.ConnOptions{Role: codec.RoleServer}
	if p != nil {
		if err := Configure(&opts, *p, 0, pool); err != nil {
			b.Fatal(err)
		}
	}
	c, err := codec.NewConn(opts)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

var benchText = []byte(strings.Repeat("{\"id\":12345,\"name\":\"wskit\",\"tags\":[\"websocket\",\"deflate\"]} ", 16)) // about 1 KiB

// BenchmarkConnMemory measures what one server connection holds once it
// has sent and received one compressed message: live-B/conn is the heap
// still in use per connection (64 connections kept alive, after a GC),
// B/op what creating one and exchanging the message allocated.
//
//	go test -run='^$' -bench=ConnMemory -benchmem ./codec/deflate
func BenchmarkConnMemory(b *testing.B) {
	takeover := Params{}
	none := Params{ServerNoContextTakeover: true, ClientNoContextTakeover: true}
	small := Params{ServerMaxWindowBits: 9, ClientMaxWindowBits: 9}
	var shared pools
	for _, bc := range []struct {
		name string
		p    *Params
		pool WriterPool
	}{
		{"plain", nil, nil},
		{"takeover", &takeover, nil},
		{"no-takeover", &none, nil},
		{"no-takeover-pooled", &none, &shared},
		{"window-bits-9", &small, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			// The peer's message, compressed as the client would.
			var in []byte
			if bc.p != nil {
				c, _ := NewCompressor(0, bc.p.ClientMaxWindowBits, bc.p.ClientNoContextTakeover)
				data, _ := c.AppendTransform(nil, benchText, true)
				enc, _ := codec.NewEncoder(codec.RoleClient, zeroReader{})
				in, _ = enc.AppendFrameRsv(nil, true, codec.Rsv1, spec.OpText, data)
			} else {
				enc, _ := codec.NewEncoder(codec.RoleClient, zeroReader{})
				in, _ = enc.AppendMessage(nil, spec.OpText, benchText, 0)
			}
			buf := make([]byte, len(in))
			use := func(c *codec.Conn) {
				copy(buf, in)
				if _, err := c.Receive(buf); err != nil {
					b.Fatal(err)
				}
				if _, err := c.SendMessage(spec.OpText, benchText); err != nil {
					b.Fatal(err)
				}
			}
			const keep = 64
			conns := make([]*codec.Conn, keep)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for i := range conns {
				conns[i] = serverConn(b, bc.p, bc.pool)
				use(conns[i])
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			live := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / keep
			runtime.KeepAlive(conns)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				use(serverConn(b, bc.p, bc.pool))
			}
			b.ReportMetric(live, "live-B/conn")
		})
	}
}

// BenchmarkMessage sends and receives compressed text messages of 1 KiB
// and 64 KiB over one connection with context takeover (the steady
// state: no allocation per message), and without.
func BenchmarkMessage(b *testing.B) {
	for _, size := range []int{1 << 10, 64 << 10} {
		msg := []byte(strings.Repeat(string(benchText), size/len(benchText)+1)[:size])
		for _, bc := range []struct {
			name string
			p    Params
		}{{"takeover", Params{}}, {"no-takeover", Params{ServerNoContextTakeover: true, ClientNoContextTakeover: true}}} {
			b.Run(bc.name+"/"+itoa(size), func(b *testing.B) {
				srv, cli := handshakePair(b, &ServerOptions{}, &ClientOptions{Offers: []Params{bc.p}}, codec.ConnOptions{})
				var buf []byte
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for range b.N {
					wire, err := srv.SendMessage(spec.OpText, msg)
					if err != nil {
						b.Fatal(err)
					}
					buf = append(buf[:0], wire...)
					if _, err := cli.Receive(buf); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkInflate inflates 64 KiB of text compressed by compress/flate
// with this package's inflater and with compress/flate's reader.
func BenchmarkInflate(b *testing.B) {
	msg := []byte(strings.Repeat(string(benchText), 64))
	comp := flateCompress(b, 6, msg)[0]
	b.Run("wskit", func(b *testing.B) {
		d, _ := NewDecompressor(0, true)
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for range b.N {
			rest := comp
			for {
				_, n, done, err := d.Transform(rest, true)
				if err != nil {
					b.Fatal(err)
				}
				rest = rest[n:]
				if done {
					break
				}
			}
		}
	})
	b.Run("compress-flate", func(b *testing.B) {
		src := append(append([]byte{}, comp...), 0, 0, 0xff, 0xff, 1, 0, 0, 0xff, 0xff)
		r := flate.NewReader(nil)
		out := make([]byte, len(msg)+1)
		b.SetBytes(int64(len(msg)))
		b.ReportAllocs()
		for range b.N {
			br := &byteReader{p: src}
			r.(flate.Resetter).Reset(br, nil)
			n := 0
			for {
				k, err := r.Read(out[n:])
				n += k
				if err != nil {
					break
				}
			}
		}
	})
}

type byteReader struct {
	p []byte
	i int
}

func (r *byteReader) Read(p []byte) (int, error) {
	if r.i == len(r.p) {
		return 0, errEOF
	}
	n := copy(p, r.p[r.i:])
	r.i += n
	return n, nil
}

func (r *byteReader) ReadByte() (byte, error) {
	if r.i == len(r.p) {
		return 0, errEOF
	}
	r.i++
	return r.p[r.i-1], nil
}

var errEOF = errorString("EOF")
