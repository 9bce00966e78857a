package handshake_test

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/vectors"
	"pgregory.net/rapid"
)

// headReader is what RequestReader and ResponseReader have in common.
type headReader[T any] interface {
	Feed(p []byte) (*T, []byte, error)
	Buffered() []byte
	Reset()
}

// side is one role of the handshake: its one-shot parser and its reader.
type side[T any] struct {
	parse     func(p []byte, maxSize int) (*T, int, error)
	newReader func(maxSize int) headReader[T]
}

var (
	requestSide = side[handshake.Request]{handshake.ParseRequest,
		func(maxSize int) headReader[handshake.Request] { return handshake.NewRequestReader(maxSize) }}
	responseSide = side[handshake.Response]{handshake.ParseResponse,
		func(maxSize int) headReader[handshake.Response] { return handshake.NewResponseReader(maxSize) }}
)

type fataler interface {
	Fatalf(format string, args ...any)
}

// clip quotes b for a failure message, eliding the middle of long input.
func clip(b []byte) string {
	if len(b) <= 160 {
		return strconv.Quote(string(b))
	}
	return strconv.Quote(string(b[:80])) + "..." + strconv.Quote(string(b[len(b)-80:]))
}

// checkChunked feeds in to a new reader in pieces cut at the offsets in
// cuts (ascending; equal offsets feed an empty piece) and checks after
// every Feed that the reader gives what the one-shot parser gives for
// all the bytes fed so far: the same value or the same error, the bytes
// after the head cut to the last piece, and nothing held beyond the limit
// (H-10.4-limits). Once it has answered, later pieces must not change the
// answer, which also proves the parser itself reports a fault in a prefix
// exactly as in any longer input.
func checkChunked[T any](t fataler, s side[T], in []byte, maxSize int, cuts []int) {
	limit := maxSize
	if limit <= 0 {
		limit = handshake.DefaultMaxHeadSize
	}
	r := s.newReader(maxSize)
	prev := 0
	for _, end := range append(slices.Clone(cuts), len(in)) {
		got, rest, err := r.Feed(in[prev:end])
		want, n, wantErr := s.parse(in[:end], maxSize)
		switch {
		case n > 0 && !bytes.Equal(rest, in[max(n, prev):end]):
			t.Fatalf("bytes %d-%d: rest %s, want %s", prev, end, clip(rest), clip(in[max(n, prev):end]))
		case n == 0 && rest != nil:
			t.Fatalf("bytes %d-%d: rest %s without a head", prev, end, clip(rest))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("bytes %d-%d of %s: value (-parser +reader):\n%s", prev, end, clip(in), diff)
		}
		if diff := cmp.Diff(wantErr, err); diff != "" {
			t.Fatalf("bytes %d-%d of %s: error (-parser +reader):\n%s", prev, end, clip(in), diff)
		}
		held := r.Buffered()
		if len(held) > limit || cap(held) > limit {
			t.Fatalf("bytes %d-%d: holds %d bytes (capacity %d) with a limit of %d", prev, end, len(held), cap(held), limit)
		}
		switch {
		case err != nil:
			// What the reader kept is enough to show the fault.
			if !bytes.HasPrefix(in, held) {
				t.Fatalf("holds %s, not a prefix of the input", clip(held))
			}
			_, _, again := s.parse(held, maxSize)
			if diff := cmp.Diff(err, again); diff != "" {
				t.Fatalf("the bytes held, %s, do not give the same error (-reader +parser of held):\n%s", clip(held), diff)
			}
		case n > 0 && !bytes.Equal(held, in[:n]):
			t.Fatalf("holds %s, want the head %s", clip(held), clip(in[:n]))
		case n == 0 && !bytes.Equal(held, in[:end]):
			t.Fatalf("holds %s, want everything fed, %s", clip(held), clip(in[:end]))
		}
		prev = end
	}
}

// checkAllChunkings plays in whole, one byte at a time, and cut at cuts.
func checkAllChunkings[T any](t fataler, s side[T], in []byte, maxSize int, cuts []int) {
	checkChunked(t, s, in, maxSize, nil)
	every := make([]int, len(in))
	for i := range every {
		every[i] = i
	}
	checkChunked(t, s, in, maxSize, every)
	checkChunked(t, s, in, maxSize, cuts)
}

// cutsGen draws where to cut an input of n bytes: a few ascending offsets,
// repeats (empty pieces) allowed.
func cutsGen(n int) *rapid.Generator[[]int] {
	return rapid.Custom(func(t *rapid.T) []int {
		cuts := rapid.SliceOfN(rapid.IntRange(0, n), 0, 12).Draw(t, "cuts")
		slices.Sort(cuts)
		return cuts
	})
}

// headGen draws a request or response head built line by line from
// labelled parts, valid or not: empty lines before a request line, a
// start line, fields (some folded, some malformed), line ends that are
// not always CRLF, maybe no final empty line, then a few bytes a head may
// not hold inserted anywhere, and trailing bytes.
func headGen(request bool) *rapid.Generator[[]byte] {
	starts := []string{"HTTP/1.1 101 Switching Protocols", "HTTP/1.1 101 ", "HTTP/1.0 200 OK", "HTTP/1.1 101", "HTTP/1.1 1011 x", ""}
	if request {
		starts = []string{"GET / HTTP/1.1", "GET /chat?x=1 HTTP/1.1", "GET http://h/p HTTP/1.1", "POST / HTTP/1.0",
			"GET  / HTTP/1.1", "GET /a#b HTTP/1.1", "G@T / HTTP/1.1", "GET / HTTP/11", ""}
	}
	return rapid.Custom(func(t *rapid.T) []byte {
		eol := func() string {
			return rapid.SampledFrom([]string{"\r\n", "\r\n", "\r\n", "\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n", "\r \n"}).Draw(t, "eol")
		}
		ows := func() string { return rapid.SampledFrom([]string{"", " ", "\t", "  "}).Draw(t, "ows") }
		value := rapid.SampledFrom([]string{"", "websocket", "Upgrade", "dGhlIHNhbXBsZSBub25jZQ==", "13", "a, b", "caf\xc3\xa9", "x\xff"})
		var b []byte
		if request {
			for i, n := 0, rapid.IntRange(0, 2).Draw(t, "emptyLines"); i < n; i++ {
				b = append(b, eol()...)
			}
		}
		b = append(b, rapid.OneOf(rapid.SampledFrom(starts), rapid.StringMatching(`[ -~]{0,24}`)).Draw(t, "start")...)
		b = append(b, eol()...)
		for i, n := 0, rapid.IntRange(0, 8).Draw(t, "fields"); i < n; i++ {
			switch rapid.IntRange(0, 5).Draw(t, "fieldKind") {
			case 0: // obs-fold
				b = append(b, rapid.SampledFrom([]string{" ", "\t"}).Draw(t, "fold")+value.Draw(t, "value")...)
			case 1: // malformed
				b = append(b, rapid.SampledFrom([]string{"Host : a", ": a", "NoColon", "Ho st: a", "H\xc3\xb6st: a"}).Draw(t, "malformed")...)
			default:
				b = append(b, tokenGen().Draw(t, "name")+":"+ows()+value.Draw(t, "value")+ows()...)
			}
			b = append(b, eol()...)
		}
		if rapid.IntRange(0, 4).Draw(t, "unfinished") != 0 {
			b = append(b, eol()...)
		}
		for i, n := 0, rapid.IntRange(0, 2).Draw(t, "damages"); i < n; i++ {
			at := rapid.IntRange(0, len(b)).Draw(t, "at")
			b = slices.Insert(b, at, rapid.SampledFrom([]byte{'\r', '\n', 0, ' ', '\t', ':', 0x7f, 0x80}).Draw(t, "damage"))
		}
		return append(b, rapid.SliceOfN(rapid.Byte(), 0, 8).Draw(t, "trailing")...)
	})
}

// limitGen draws a head size limit: the default, or one small enough to
// cut the generated heads.
func limitGen() *rapid.Generator[int] {
	return rapid.OneOf(rapid.Just(0), rapid.IntRange(1, 200))
}

// TestReaderVectors plays every request and response vector into a
// reader whole and one byte at a time: each Feed gives what ParseRequest
// or ParseResponse gives for the bytes fed so far, so the vectors' verdicts
// (H-4.2.1-reject, H-10.4-limits, H-4.1-resp-conform) hold for the
// readers in any chunking.
func TestReaderVectors(t *testing.T) {
	f, err := vectors.Handshake()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range f.Requests {
		t.Run(v.ID, func(t *testing.T) {
			checkAllChunkings(t, requestSide, append([]byte(v.Request), v.Trailing...), v.MaxHeadSize, []int{len(v.Request) / 2})
		})
	}
	for _, v := range f.Responses {
		t.Run(v.ID, func(t *testing.T) {
			checkAllChunkings(t, responseSide, append([]byte(v.Response), v.Trailing...), 0, []int{len(v.Response) / 2})
		})
	}
}

// TestReaderChunkingVectors: the request and response vectors, cut at
// random points.
func TestReaderChunkingVectors(t *testing.T) {
	f, err := vectors.Handshake()
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		if rapid.Bool().Draw(t, "request") {
			v := rapid.SampledFrom(f.Requests).Draw(t, "vector")
			in := append([]byte(v.Request), v.Trailing...)
			checkChunked(t, requestSide, in, v.MaxHeadSize, cutsGen(len(in)).Draw(t, "cuts"))
			return
		}
		v := rapid.SampledFrom(f.Responses).Draw(t, "vector")
		in := append([]byte(v.Response), v.Trailing...)
		checkChunked(t, responseSide, in, 0, cutsGen(len(in)).Draw(t, "cuts"))
	})
}

// TestRequestReaderChunking: for generated request heads, valid or
// broken, and any limit, the reader agrees with ParseRequest whole, one
// byte at a time and at random cuts.
func TestRequestReaderChunking(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := headGen(true).Draw(t, "head")
		checkAllChunkings(t, requestSide, in, limitGen().Draw(t, "limit"), cutsGen(len(in)).Draw(t, "cuts"))
	})
}

// TestResponseReaderChunking is TestRequestReaderChunking for responses,
// whose folded lines are joined instead of refused.
func TestResponseReaderChunking(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := headGen(false).Draw(t, "head")
		checkAllChunkings(t, responseSide, in, limitGen().Draw(t, "limit"), cutsGen(len(in)).Draw(t, "cuts"))
	})
}

// TestReaderFailsFast: a byte that breaks the head fails it in the Feed
// that brings it, before any line end or the limit (H-4.2.1-reject,
// H-4.1-resp-conform), and a head that reaches the limit fails in the
// Feed that reaches it (H-10.4-limits).
func TestReaderFailsFast(t *testing.T) {
	tests := []struct {
		name             string
		before, breaking string
		maxSize          int
		status           int
		requirement      string
	}{
		{"TLS ClientHello", "", "\x16\x03\x01", 0, 400, "H-4.2.1-reject"},
		{"NUL in a value", "GET / HTTP/1.1\r\nHost: a", "\x00", 0, 400, "H-4.2.1-reject"},
		{"bare LF", "GET / HTTP/1.1\r\nHost: a", "\n", 0, 400, "H-4.2.1-reject"},
		{"bare CR", "GET / HTTP/1.1\r", "x", 0, 400, "H-4.2.1-reject"},
		{"space before the colon", "GET / HTTP/1.1\r\nHost : a\r", "\n", 0, 400, "H-4.2.1-reject"},
		{"obs-fold", "GET / HTTP/1.1\r\nA: b\r\n c\r", "\n", 0, 400, "H-4.2.1-reject"},
		{"fields fill the limit", "GET / HTTP/1.1\r\nA: " + strings.Repeat("b", 40), "b", 60, 431, "H-10.4-limits"},
		{"request-target fills the limit", "GET /" + strings.Repeat("a", 54), "a", 60, 414, "H-10.4-limits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := handshake.NewRequestReader(tt.maxSize)
			for i := range len(tt.before) {
				if req, rest, err := r.Feed([]byte{tt.before[i]}); req != nil || rest != nil || err != nil {
					t.Fatalf("byte %d: %v, %q, %v; want need-more", i, req, rest, err)
				}
			}
			_, _, err := r.Feed([]byte(tt.breaking))
			var rej *handshake.Rejection
			if !errors.As(err, &rej) || rej.Status != tt.status || rej.Requirement != tt.requirement {
				t.Fatalf("Feed(%q) = %v, want %d %s", tt.breaking, err, tt.status, tt.requirement)
			}
			if _, _, again := r.Feed([]byte("\r\n\r\n")); again != err {
				t.Errorf("after the error, Feed returns %v", again)
			}
		})
	}
	r := handshake.NewResponseReader(0)
	r.Feed([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket"))
	_, _, err := r.Feed([]byte("\n"))
	if !errors.Is(err, &handshake.ResponseError{Requirement: "H-4.1-resp-conform"}) {
		t.Errorf("bare LF in a response: %v, want H-4.1-resp-conform", err)
	}
}

// TestReaderAfterHead: once the head is complete, more bytes are all
// rest and the request stays the same; Reset reads a new head with the
// same limit; the zero reader uses the default limit.
func TestReaderAfterHead(t *testing.T) {
	r := handshake.NewRequestReader(len(benchSeed))
	req, rest, err := r.Feed([]byte(benchSeed + "\x81"))
	if err != nil || req == nil || string(rest) != "\x81" {
		t.Fatalf("Feed = %v, %q, %v", req, rest, err)
	}
	if string(r.Buffered()) != benchSeed {
		t.Errorf("Buffered = %q, want the head", r.Buffered())
	}
	again, rest, err := r.Feed([]byte("\x85abc"))
	if again != req || string(rest) != "\x85abc" || err != nil {
		t.Errorf("Feed after the head = %v, %q, %v; want the same request and all bytes as rest", again, rest, err)
	}
	r.Reset()
	if len(r.Buffered()) != 0 {
		t.Errorf("Buffered after Reset = %q", r.Buffered())
	}
	if _, _, err := r.Feed([]byte(benchSeed[:len(benchSeed)-2] + "X: y\r\n\r\n")); !errors.Is(err, &handshake.Rejection{Status: 431}) {
		t.Errorf("after Reset, a head one field over the limit: %v, want 431", err)
	}
	var zero handshake.RequestReader
	long := "GET / HTTP/1.1\r\nX: " + strings.Repeat("x", handshake.DefaultMaxHeadSize-len("GET / HTTP/1.1\r\nX: \r\n\r\n")) + "\r\n\r\n"
	if req, _, err := zero.Feed([]byte(long)); req == nil || err != nil {
		t.Errorf("zero RequestReader, head of DefaultMaxHeadSize bytes: %v, %v", req, err)
	}
	var zeroResp handshake.ResponseReader
	if resp, _, err := zeroResp.Feed([]byte("HTTP/1.1 101 Switching Protocols\r\n\r\n")); resp == nil || resp.Status != 101 || err != nil {
		t.Errorf("zero ResponseReader: %v, %v", resp, err)
	}
}

// TestRequestReaderDripAllocs: dripping a head of the default limit one
// byte at a time allocates a few times for the buffer's growth and the
// request, not once per byte.
func TestRequestReaderDripAllocs(t *testing.T) {
	p := []byte(dripHead())
	r := handshake.NewRequestReader(0)
	allocs := testing.AllocsPerRun(10, func() {
		r.Reset()
		for i := range p {
			if req, _, err := r.Feed(p[i : i+1]); err != nil || (req != nil) != (i == len(p)-1) {
				t.Fatalf("byte %d: %v, %v", i, req, err)
			}
		}
	})
	if allocs > 10 {
		t.Errorf("%v allocations to drip an %d-byte head", allocs, len(p))
	}
}

// TestFaultInArrivalOrder: a line holding a bad byte and ending in a bare
// LF is refused for the bad byte, which arrives first, so the whole input
// and each of its prefixes that already shows a fault give the same error
// (H-4.2.1-reject, H-4.1-resp-conform). Before the parser was made
// resumable, the whole line reported the bare LF while its prefix
// reported the bad byte.
func TestFaultInArrivalOrder(t *testing.T) {
	for _, in := range []string{"GET\x01 / HTTP/1.1\n", "GE\rT / HTTP/1.1\n", "\rGET / HTTP/1.1\n", "GET / HTTP/1.1\r\nA: \x7f\n"} {
		_, _, whole := handshake.ParseRequest([]byte(in), 0)
		_, _, prefix := handshake.ParseRequest([]byte(in[:len(in)-1]), 0)
		if whole == nil || !cmp.Equal(whole, prefix) {
			t.Errorf("ParseRequest(%q) = %v; without its LF: %v", in, whole, prefix)
		}
		_, _, whole = handshake.ParseResponse([]byte("HTTP/1.1 101 x\r\n"+in), 0)
		_, _, prefix = handshake.ParseResponse([]byte("HTTP/1.1 101 x\r\n"+in[:len(in)-1]), 0)
		if whole == nil || !cmp.Equal(whole, prefix) {
			t.Errorf("ParseResponse(...%q) = %v; without its LF: %v", in, whole, prefix)
		}
	}
}
