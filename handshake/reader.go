// A head that arrives in pieces is read by a RequestReader (server) or a
// ResponseReader (client). Each keeps the bytes of the unfinished head,
// never more than the size limit, and the headScanner's place in them, so
// every byte is examined once: a head dripped one byte at a time costs
// time linear in its size, where calling ParseRequest again after every
// byte costs time quadratic in it.
//
// The readers share the one parser with ParseRequest and ParseResponse
// and give, after every Feed, exactly what the one-shot function gives
// for all the bytes fed so far. The scanner reports a fault as soon as
// the bytes that show it have arrived, so a reader fails a peer that is
// not speaking HTTP without waiting for a line end or the limit.

package handshake

// headReader is the part RequestReader and ResponseReader share: the
// bytes of the head so far and the scanner's place in them.
type headReader struct {
	s    headScanner
	buf  []byte // the head so far, at most s.limit bytes
	done bool   // a complete head or a fault has been found
}

// init prepares the reader for a new head; limit 0 or less means
// DefaultMaxHeadSize. The buffer is kept.
func (h *headReader) init(limit int, request bool) {
	h.s = newHeadScanner(limit, request)
	h.buf = h.buf[:0]
	h.done = false
}

// feed takes from p the bytes the head can still occupy and scans them.
// It returns the complete head (an alias of h.buf) and the bytes of p
// after it; or a fault; or all nils when the head needs more bytes. It
// must not be called once done is set.
func (h *headReader) feed(p []byte, request bool) (head, rest []byte, f *headFault) {
	if h.s.limit == 0 {
		h.init(0, request) // the zero value
	}
	before := len(h.buf)
	take := min(len(p), h.s.limit-before)
	if before+take > cap(h.buf) {
		h.buf = grow(h.buf, take, h.s.limit)
	}
	h.buf = h.buf[:before+take] // not append: no pointer written, so no write barrier per piece
	if take == 1 {
		h.buf[before] = p[0] // a dripped byte: cheaper than a call to copy
	} else {
		copy(h.buf[before:], p)
	}
	n, f := h.s.scan(h.buf)
	switch {
	case f != nil:
		h.done = true
		h.buf = h.buf[:f.end]
		return nil, nil, f
	case n > 0:
		h.done = true
		h.buf = h.buf[:n]
		return h.buf, p[n-before:], nil
	}
	return nil, nil, nil
}

// grow returns a copy of b with room for n more bytes, its capacity never
// above limit: a buffer sized to what has arrived, not to what might
// (len(b)+n must not exceed limit).
func grow(b []byte, n, limit int) []byte {
	nb := make([]byte, len(b), min(max(2*cap(b), len(b)+n, 512), limit))
	copy(nb, b)
	return nb
}

// A RequestReader reads one request head from bytes fed to it as they
// arrive, for a server that reads its connection in pieces. It keeps the
// unfinished head, at most the size limit, and its place in it, so no
// byte is scanned twice however the head is cut, and gives the results
// ParseRequest gives for all the bytes fed so far.
//
// The zero RequestReader reads a head of up to DefaultMaxHeadSize bytes.
// A RequestReader reads one head; Reset readies it for another (a pooled
// reader keeps its buffer). It is not safe for concurrent use.
type RequestReader struct {
	h   headReader
	req *Request
	err error
}

// NewRequestReader returns a RequestReader for a head of at most maxSize
// bytes, final empty line included; 0 or less means DefaultMaxHeadSize
// (H-10.4-limits).
func NewRequestReader(maxSize int) *RequestReader {
	r := new(RequestReader)
	r.h.init(maxSize, true)
	return r
}

// Feed adds p, the next bytes received, to the head. It returns:
//
//   - the request and rest, the bytes of p after the head (an alias of
//     p, possibly empty: a client that sends frames early puts them
//     there), once the head is complete;
//   - nil, nil and a nil error while the head is a proper prefix of a
//     head that could still fit in the limit: feed more;
//   - an error, as soon as the bytes fed show that they cannot begin a
//     valid head, or reach the limit without ending it.
//
// The request or error is the one ParseRequest returns for all the bytes
// fed so far, as one slice, and rest is what that call leaves after the
// head, cut to the part that came in p. So errors are the same
// *Rejection values: 400 for a head that breaks the HTTP/1.1 grammar
// (H-4.2.1-reject), 431 for a head larger than the limit and 414 for a
// request line that alone does not fit (H-10.4-limits).
//
// Feed copies what it keeps of p; the caller may reuse p once Feed
// returns, which invalidates rest. Once Feed has returned a request or an
// error, the head is over and later calls return the same result, with
// all of their p as rest after a request.
func (r *RequestReader) Feed(p []byte) (*Request, []byte, error) {
	if r.h.done {
		if r.err != nil {
			return nil, nil, r.err
		}
		return r.req, p, nil
	}
	head, rest, f := r.h.feed(p, true)
	if head == nil && f == nil {
		return nil, nil, nil
	}
	if r.req, r.err = newRequest(head, &r.h.s, f); r.err != nil {
		return nil, nil, r.err
	}
	return r.req, rest, nil
}

// Buffered returns the bytes of the head the reader holds: every byte fed
// while the head is unfinished; the head itself, final empty line
// included, once it is complete; after an error, the bytes up to the one
// that showed the fault (the line's LF for a fault found at a line end,
// the limit's worth for a head too large, the whole head for a bad
// request line). A server may quote them when it logs a rejection. The
// result aliases the reader's buffer and is valid until Reset.
func (r *RequestReader) Buffered() []byte { return r.h.buf }

// Reset readies r to read a new head with the same limit. It keeps the
// buffer, so the bytes Buffered returned earlier may be overwritten.
func (r *RequestReader) Reset() {
	r.h.init(r.h.s.limit, true)
	r.req, r.err = nil, nil
}

// A ResponseReader reads one response head from bytes fed to it as they
// arrive, for a client that reads its connection in pieces. It keeps the
// unfinished head, at most the size limit, and its place in it, so no
// byte is scanned twice however the head is cut, and gives the results
// ParseResponse gives for all the bytes fed so far.
//
// The zero ResponseReader reads a head of up to DefaultMaxHeadSize bytes.
// A ResponseReader reads one head; Reset readies it for another. It is
// not safe for concurrent use.
type ResponseReader struct {
	h    headReader
	resp *Response
	err  error
}

// NewResponseReader returns a ResponseReader for a head of at most
// maxSize bytes, final empty line included; 0 or less means
// DefaultMaxHeadSize (H-10.4-limits).
func NewResponseReader(maxSize int) *ResponseReader {
	r := new(ResponseReader)
	r.h.init(maxSize, false)
	return r
}

// Feed adds p, the next bytes received, to the head. It returns the
// response and rest, the bytes of p after the head (an alias of p: after
// a 101, the server's first frames), once the head is complete; nil, nil
// and a nil error while more bytes are needed; or an error as soon as the
// bytes fed cannot begin a valid head within the limit.
//
// The response or error is the one ParseResponse returns for all the
// bytes fed so far, as one slice, and rest is what that call leaves after
// the head, cut to the part that came in p. So errors are the same
// *ResponseError values: H-10.4-limits for a head larger than the limit,
// H-4.1-resp-conform for one that breaks the HTTP/1.1 grammar.
//
// Feed copies what it keeps of p; the caller may reuse p once Feed
// returns, which invalidates rest. Once Feed has returned a response or
// an error, the head is over and later calls return the same result, with
// all of their p as rest after a response.
func (r *ResponseReader) Feed(p []byte) (*Response, []byte, error) {
	if r.h.done {
		if r.err != nil {
			return nil, nil, r.err
		}
		return r.resp, p, nil
	}
	head, rest, f := r.h.feed(p, false)
	if head == nil && f == nil {
		return nil, nil, nil
	}
	if r.resp, r.err = newResponse(head, &r.h.s, f); r.err != nil {
		return nil, nil, r.err
	}
	return r.resp, rest, nil
}

// Buffered returns the bytes of the head the reader holds, as
// (*RequestReader).Buffered does. The result aliases the reader's buffer
// and is valid until Reset.
func (r *ResponseReader) Buffered() []byte { return r.h.buf }

// Reset readies r to read a new head with the same limit. It keeps the
// buffer, so the bytes Buffered returned earlier may be overwritten.
func (r *ResponseReader) Reset() {
	r.h.init(r.h.s.limit, false)
	r.resp, r.err = nil, nil
}
