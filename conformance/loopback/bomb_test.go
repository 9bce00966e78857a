package loopback

import (
	"bytes"
	"compress/flate"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// bomb returns a permessage-deflate payload (the 00 00 ff ff tail
// stripped) that inflates to n zero octets, built once per n.
func bomb(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	zeros := make([]byte, 1<<20)
	for left := n; left > 0; left -= len(zeros) {
		w.Write(zeros[:min(left, len(zeros))])
	}
	w.Flush()
	return bytes.TrimSuffix(buf.Bytes(), []byte{0, 0, 0xff, 0xff})
}

// TestDeflateBombCost: a compressed message that inflates to 1 GiB costs
// the server its message limit (16 MiB) plus a fixed overhead, and is
// refused with 1009 once the limit is passed (R-10.4-limits). The peak is
// the largest heap seen by a sampler while the bomb is read; what the
// test's own client holds is allocated before the sampling starts.
func TestDeflateBombCost(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("builds a 1 GiB bomb and measures memory (not under -race, whose instrumentation allocates)")
	}
	payload := bomb(t, 1<<30)
	t.Logf("bomb: %d octets inflating to 1 GiB", len(payload))
	_, addr := start(t, Config{})

	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(60 * time.Second))
	var nonce [16]byte
	req, err := handshake.NewRequest("ws://"+addr+"/", nonce, handshake.RequestOptions{
		Extensions: []handshake.Extension{{Name: "permessage-deflate", Params: []handshake.Param{{Name: "client_max_window_bits"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	nc.Write(req.Append(nil))
	rr := handshake.NewResponseReader(0)
	buf := make([]byte, 4096)
	for {
		n, err := nc.Read(buf)
		resp, _, perr := rr.Feed(buf[:n])
		if perr != nil {
			t.Fatal(perr)
		}
		if resp != nil {
			if !strings.Contains(resp.Header.Get("Sec-WebSocket-Extensions"), "permessage-deflate") {
				t.Fatalf("deflate not negotiated: %q", rr.Buffered())
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}

	// One masked binary frame with RSV1, the key all zeros (masking is
	// then the identity: the payload goes out as built).
	head := codec.AppendHeader(nil, codec.Header{Fin: true, Rsv: codec.Rsv1, Opcode: spec.OpBinary, Masked: true, Length: uint64(len(payload))})

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.GC() // the live heap: what the server holds, not garbage
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	go func() {
		nc.Write(head)
		nc.Write(payload) // may fail once the server has closed
	}()
	// The server's answer: a Close with 1009.
	got, _ := io.ReadAll(io.LimitReader(nc, 1<<10))
	close(stop)
	<-sampled
	dec, err := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleClient})
	if err != nil {
		t.Fatal(err)
	}
	if ev, _, err := dec.Decode(got); err != nil || ev.Kind != codec.EventClose || ev.Code != spec.CloseMessageTooBig {
		t.Fatalf("the server answered % x (%v, %v), want a Close with 1009", got, ev.Kind, err)
	}
	over := int64(peak.Load()) - int64(base.HeapAlloc)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("peak live heap over the idle server: %.1f MiB (limit %d MiB); allocated in all: %.1f MiB",
		float64(over)/(1<<20), DefaultMaxMessage>>20, float64(after.TotalAlloc-base.TotalAlloc)/(1<<20))
	if limit := int64(DefaultMaxMessage + 8<<20); over > limit {
		t.Errorf("the bomb cost the server %d bytes, more than its message limit plus 8 MiB", over)
	}
}
