package conformance

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/spec"
)

// Engine timeouts, as in Autobahn|Testsuite's fuzzing client.
const (
	DefaultHandshakeTimeout = 5 * time.Second // TCP connect to WebSocket open
	closeHandshakeTimeout   = 1 * time.Second // our Close sent, no Close back
	serverDropTimeout       = 1 * time.Second // closing handshake done, server keeps TCP open
	chopPause               = 10 * time.Microsecond
	readSize                = 64 << 10 // bytes per read from the peer
)

// Limits of the runner's own decoder: exactly the largest echo the
// catalogue asks for (16 MiB, case 9.1.6), so that one case holds at most
// one such message being reassembled (a larger one fails the connection
// with 1009 at its header).
const (
	runnerMaxFrame   = codec.DefaultMaxFramePayload
	runnerMaxMessage = codec.DefaultMaxMessage
)

// wsState is the WebSocket state of the runner's end of a session.
type wsState int

const (
	stateConnecting wsState = iota
	stateOpen
	stateClosing
	stateClosed
)

// A Session runs one case over one connection to the peer under test. Its
// role is the runner's: codec.RoleClient when it tests a server (it masks
// every frame it sends, expects unmasked frames, and waits for the server
// to close TCP first), codec.RoleServer when it tests a client (it sends
// unmasked frames, expects masked ones, and closes TCP itself once the
// closing handshake is done, R-5.5.1-close-tcp).
//
// Everything that touches a Session's state runs on one goroutine (the
// session loop); the reader, the writer and the timers only post work to
// it. Case scripts receive the Session in Case.Open and Case.Judge and in
// the steps they schedule; its methods are for those callers only.
type Session struct {
	c         *Case
	role      codec.Role
	budget    Budget        // with its defaults filled in
	hsTimeout time.Duration // for the opening handshake
	target    *Target
	tls       *tls.Config // for wss:// targets; nil means the defaults
	origin    string      // the Origin field to send, if any
	protos    []string    // subprotocols to offer
	agent     string
	rand      io.Reader
	// randErr is the first failure of rand: the session then drops the
	// connection and the run reports the error.
	randErr error

	conn   net.Conn
	res    *Result
	t0     time.Time // TCP connect
	opened time.Time // WebSocket open

	work   chan workItem // steps for the loop
	closed chan struct{} // closed when the session is over
	once   sync.Once

	// Loop state.
	state         wsState
	closeSent     bool // we sent a Close through the closing logic
	closeReceived bool // a Close from the testee arrived
	tcpClosed     bool
	dec           *codec.Decoder
	decErr        error               // the decoder's sticky error
	frames        *codec.FrameScanner // frame boundaries, for the wire log and Close bodies
	msg           []byte
	msgBinary     bool
	pending       net.Buffers    // plain frames of this loop turn, written together (queue)
	timers        []pendingTimer // armed timers, fired in deadline order
	timerSeq      int
	stream        streamState
	remoteClose   bool   // the first Close's body has been recorded
	eventBytes    int64  // payload bytes of the recorded events
	pong          []byte // the payload of the latest ping, if owePong
	owePong       bool   // a ping is not answered yet
	// onMessage, when set (HandleMessages), takes the data messages
	// instead of the event list.
	onMessage func(payload []byte, binary bool)
	msgDone   bool // s.msg is a whole message for onMessage
	// behavior and result are the verdict the case set (SetBehavior),
	// used when no expected list matches; ownVerdict says one was set.
	behavior   Verdict
	result     string
	ownVerdict bool
	// deflate is the permessage-deflate agreement, if any; compressor
	// compresses what the case sends with it (deflate.go).
	deflate    *deflate.Params
	compressor *deflate.Compressor
	zbuf       []byte // SendCompressed's output, reused
	// uncleanByTimeout is set when a closing timer had to end the
	// connection: the close is then not clean, whatever else happened.
	uncleanByTimeout bool

	// Reader.
	free chan []byte // read buffers the loop is done with

	// Writer.
	writes chan writeItem

	// mu guards the parts of res the writer goroutine also touches: the
	// wire log, the write statistics and the logging switch.
	mu sync.Mutex
}

// A writeItem is one unit for the writer goroutine.
type writeItem struct {
	data      []byte
	frames    net.Buffers // a turn's plain frames: one write (writev), not data
	chop      int         // write in pieces of this size, each its own write
	sync      bool        // its own write
	closeConn bool        // close the connection (after the writes before it)
}

// A workItem is a step posted to the session loop from another
// goroutine, stamped with the time it was posted.
type workItem struct {
	at time.Time
	f  func()
}

// post runs f on the session loop, unless the session is over. The loop
// runs it after every timer due before now and before every timer due
// after now, however late the loop itself gets to it.
func (s *Session) post(f func()) {
	select {
	case s.work <- workItem{time.Now(), f}:
	case <-s.closed:
	}
}

// begin readies the result for recording.
func (s *Session) begin() {
	s.res.Started = time.Now().UTC()
	s.t0 = time.Now()
	s.res.CreateWirelog = true
	s.res.RxOctetStats = map[int]int{}
	s.res.TxOctetStats = map[int]int{}
	s.res.RxFrameStats = map[int]int{}
	s.res.TxFrameStats = map[int]int{}
	s.res.HTTPRequest, s.res.HTTPResponse = "?", "?"
}

// run executes the case as the client: connect, open, run the script,
// wait for the TCP close, evaluate. It returns the filled result. ctx
// bounds the session.
func (s *Session) run(ctx context.Context) *Result {
	s.begin()
	var rest []byte
	var err error
	if s.c.Opening != nil {
		var goOn bool
		rest, goOn, err = s.ownOpening(ctx)
		if err == nil && !goOn {
			if s.conn != nil {
				s.conn.Close()
			}
			return s.res
		}
	} else {
		rest, err = s.handshake(ctx)
	}
	if err != nil {
		s.res.OpenError = err
		s.res.WasClean = false
		if s.res.WasNotCleanReason == "" {
			s.res.WasNotCleanReason = err.Error()
		}
		if s.conn != nil {
			s.conn.Close()
		}
		s.res.Duration = time.Since(s.t0)
		s.evaluate(false)
		return s.res
	}
	return s.play(ctx, rest)
}

// play runs the case over the open connection s.conn, where rest are the
// bytes that followed the opening handshake, until TCP is closed, and
// evaluates it.
func (s *Session) play(ctx context.Context, rest []byte) *Result {
	opts := codec.DecoderOptions{
		Role:            s.role,
		MaxFramePayload: runnerMaxFrame,
		MaxMessage:      runnerMaxMessage,
	}
	s.deflateOptions(&opts)
	dec, err := codec.NewDecoder(opts)
	if err != nil {
		panic(err) // the options are constants
	}
	s.dec = dec
	s.frames = codec.NewFrameScanner(WirePreviewLen)
	s.state = stateOpen
	s.opened = time.Now()
	s.res.Expected = map[Verdict][]Event{}
	for v, evs := range s.c.Expected {
		s.res.Expected[v] = evs
	}
	ec := s.c.Close
	s.res.ExpectedClose = &ec

	s.work = make(chan workItem, 64)
	s.closed = make(chan struct{})
	s.writes = make(chan writeItem, 1024)
	s.free = make(chan []byte, 4)
	writerDone := make(chan struct{})
	go s.writer(writerDone)
	go s.reader()

	limit := s.c.Limit
	if limit == 0 {
		limit = DefaultCaseLimit
	}
	guard := time.AfterFunc(limit, func() {
		s.post(func() {
			s.res.Reason = fmt.Sprintf("the case did not end within %v; the runner dropped the connection", limit)
			s.drop()
		})
	})
	defer guard.Stop()
	stop := context.AfterFunc(ctx, func() { s.post(s.drop) })
	defer stop()

	s.turn(func() {
		s.c.Open(s)
		if len(rest) > 0 {
			s.onData(rest)
		}
	})
	wake := time.NewTimer(time.Hour)
	defer wake.Stop()
	for !s.tcpClosed {
		var wakeC <-chan time.Time
		if len(s.timers) > 0 {
			wake.Reset(time.Until(s.timers[0].at))
			wakeC = wake.C
		}
		select {
		case w := <-s.work:
			s.runWork(w)
		case <-wakeC:
			// What the reader read before the timers fell due comes
			// first: a reply that arrived in time is not judged late
			// because the loop woke late and select chose the timer.
			for n := len(s.work); n > 0 && !s.tcpClosed; n-- {
				s.runWork(<-s.work)
			}
			s.fireTimers(time.Now())
			s.flush()
		}
	}
	s.once.Do(func() { close(s.closed) })
	close(s.writes)
	<-writerDone
	s.res.Duration = time.Since(s.opened)
	s.evaluate(true)
	return s.res
}

// runWork runs a posted step after the timers that fell due before it
// was posted.
func (s *Session) runWork(w workItem) {
	s.fireTimers(w.at)
	s.flush()
	s.turn(w.f)
}

// turn runs one step on the loop, then writes the plain frames it queued
// as one write, like one turn of Autobahn's event loop.
func (s *Session) turn(f func()) {
	f()
	s.flush()
}

func (s *Session) flush() {
	if len(s.pending) > 0 && !s.tcpClosed {
		s.writes <- writeItem{frames: s.pending}
	}
	s.pending = nil
}

// queue adds an encoded frame to this turn's write. Small frames are
// copied together into one buffer; a large one keeps its own, so that it
// is never copied, and the turn is written with writev. A copy of tens of
// MiB cannot be preempted: one of 64 MiB into fresh memory held every
// session of the run for 200 ms (more under -race), enough for a prompt
// testee to miss a 1 s timer in a parallel case.
func (s *Session) queue(wire []byte) {
	last := len(s.pending) - 1
	if last < 0 || len(wire) > maxCopy || len(s.pending[last]) > maxCopy {
		s.pending = append(s.pending, wire)
		return
	}
	s.pending[last] = append(s.pending[last], wire...)
}

// reader posts every TCP read to the loop, then the end of the stream.
//
// Read buffers go back to s.free once the loop has handled them (nothing
// the loop keeps aliases them), so a peer that floods the runner costs no
// garbage per read.
func (s *Session) reader() {
	for {
		var buf []byte
		select {
		case buf = <-s.free:
		default:
			buf = make([]byte, readSize)
		}
		n, err := s.conn.Read(buf)
		if n > 0 {
			s.post(func() {
				s.onData(buf[:n])
				select {
				case s.free <- buf:
				default:
				}
			})
		}
		if err != nil {
			s.post(s.onTCPClosed)
			return
		}
	}
}

// writer performs the writes the loop queued, in order.
func (s *Session) writer(done chan<- struct{}) {
	defer close(done)
	for it := range s.writes {
		if it.closeConn {
			s.conn.Close()
			continue
		}
		if it.frames != nil {
			s.write(it.frames, false)
			continue
		}
		if it.chop <= 0 {
			s.write(net.Buffers{it.data}, it.sync)
			continue
		}
		for p := it.data; len(p) > 0; {
			n := min(it.chop, len(p))
			if s.write(net.Buffers{p[:n]}, true) != nil {
				break // the rest of a chopped frame cannot arrive either
			}
			p = p[n:]
			if len(p) > 0 {
				time.Sleep(chopPause)
			}
		}
	}
}

// write writes the buffers as one write (writev on TCP) and returns the
// error of the write; a failed write also shows up as the reader's end of
// stream.
func (s *Session) write(p net.Buffers, sync bool) error {
	n, head := 0, []byte(nil)
	for _, b := range p {
		n += len(b)
		if len(head) < WirePreviewLen {
			head = append(head, b[:min(len(b), WirePreviewLen-len(head))]...)
		}
	}
	s.mu.Lock()
	s.res.TxOctetStats[n]++
	s.logLocked(WireEntry{Kind: WireWrite, Len: n, Data: head, Sync: sync})
	s.mu.Unlock()
	s.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := p.WriteTo(s.conn)
	return err
}

func (s *Session) log(e WireEntry) {
	s.mu.Lock()
	s.logLocked(e)
	s.mu.Unlock()
}

func (s *Session) logLocked(e WireEntry) {
	switch e.Kind {
	case WireRead, WireWrite, WireFrameIn, WireFrameOut:
		if !s.res.CreateWirelog {
			return
		}
	}
	if len(s.res.WireLog) >= s.budget.WireLog {
		s.res.WireLogDropped++
		return
	}
	e.At = time.Since(s.t0)
	s.res.WireLog = append(s.res.WireLog, e)
}

func preview(p []byte) []byte {
	return append([]byte(nil), p[:min(len(p), WirePreviewLen)]...)
}

// onData handles bytes from the testee: it follows frame boundaries with
// the codec's FrameScanner, which judges nothing, and feeds the validating
// decoder the same bytes frame by frame, so that events, violations and
// Close frames are handled in wire order. Once a 64-bit length with its
// top bit set has lost the framing, only the decoder (which has failed
// the connection for it) sees the bytes.
func (s *Session) onData(p []byte) {
	s.mu.Lock()
	s.res.RxOctetStats[len(p)]++
	s.logLocked(WireEntry{Kind: WireRead, Len: len(p), Data: preview(p)})
	s.mu.Unlock()
	for len(p) > 0 && !s.tcpClosed {
		n, done, _ := s.frames.Scan(p)
		s.decode(p[:n])
		p = p[n:]
		if done {
			f := s.frames.Frame()
			if f.Header.Opcode != spec.OpPing {
				s.sendPong()
			}
			s.onFrame(f)
		}
		if s.msgDone {
			s.msgDone = false
			s.onMessage(s.msg, s.msgBinary)
		}
	}
	s.sendPong()
}

// sendPong answers the latest ping not answered yet, if the connection is
// still open (R-5.5.2-pong).
func (s *Session) sendPong() {
	if !s.owePong {
		return
	}
	s.owePong = false
	if s.state == stateOpen {
		s.sendFrame(Frame{Opcode: int(spec.OpPong), Fin: true, Payload: append([]byte(nil), s.pong...)})
	}
}

// decode feeds bytes to the decoder until it has nothing more to report.
func (s *Session) decode(p []byte) {
	for s.decErr == nil {
		ev, n, err := s.dec.Decode(p)
		p = p[n:]
		if err != nil {
			s.decErr = err
			s.onViolation(err)
			return
		}
		switch ev.Kind {
		case codec.EventNone:
			return
		case codec.EventMessageStart:
			s.msg = s.msg[:0]
			s.msgBinary = ev.Opcode == spec.OpBinary
		case codec.EventPayload:
			if s.onMessage != nil {
				// Handed over, not recorded: one reused buffer, at most
				// the decoder's message limit.
				s.msg = append(s.msg, ev.Data...)
				continue
			}
			// A message that cannot fit in the budget stops the
			// recording now, not once it is whole.
			if s.res.Truncated != "" || s.eventBytes+int64(len(s.msg)+len(ev.Data)) > s.budget.EventBytes {
				s.admit(len(s.msg) + len(ev.Data))
				s.msg = nil
				continue
			}
			s.msg = append(s.msg, ev.Data...)
		case codec.EventMessageEnd:
			if s.onMessage != nil {
				// Delivered by onData once the last frame is logged, as
				// Autobahn logs a frame before it delivers the message.
				s.msgDone = !s.res.FailedByMe
				continue
			}
			if !s.res.FailedByMe && s.res.Truncated == "" && s.admit(len(s.msg)) {
				// The event takes s.msg over, with no copy; the next
				// message starts a buffer of its own.
				s.note(Message(s.msg[:len(s.msg):len(s.msg)], s.msgBinary))
				s.msg = nil
			}
		case codec.EventPing:
			// Answered once the read is handled, or before a frame that
			// is not a ping: a peer that sends many pings at once gets a
			// pong for the latest only (R-5.5.3-latest-only), so that a
			// ping flood cannot queue pongs without bound.
			s.pong = append(s.pong[:0], ev.Data...)
			s.owePong = true
		case codec.EventPong:
			s.record(Pong(ev.Data))
		case codec.EventClose:
			// Handled by onFrame, from the scanner's copy of the body,
			// so that invalid bodies are reported too.
		}
	}
}

// onFrame logs a complete frame and handles Close frames.
func (s *Session) onFrame(f codec.ScannedFrame) {
	h := f.Header
	s.mu.Lock()
	s.res.RxFrameStats[int(h.Opcode)]++
	e := WireEntry{Kind: WireFrameIn, Len: int(min(h.Length, 1<<31)), Data: preview(f.Preview),
		Opcode: int(h.Opcode), Fin: h.Fin, Rsv: int(h.Rsv), Masked: h.Masked}
	if h.Masked {
		e.Mask = append([]byte(nil), h.Key[:]...)
	}
	s.logLocked(e)
	s.mu.Unlock()
	if h.Opcode != spec.OpClose {
		return
	}
	if !s.remoteClose {
		// The first Close's code and reason are reported even when the
		// body is invalid: an echoed invalid code is the testee's answer.
		s.remoteClose = true
		if len(f.Control) >= 2 {
			s.res.RemoteCloseCode = int(f.Control[0])<<8 | int(f.Control[1])
			s.res.HasRemoteCloseCode = true
			if len(f.Control) > 2 {
				s.res.RemoteCloseReason = string(f.Control[2:])
			}
		}
	}
	if s.decErr != nil || s.closeReceived {
		// After failing the connection nothing more is processed, not
		// even the peer's Close (R-7.1.7-fail-stop); a second Close is
		// ignored.
		return
	}
	s.closeReceived = true
	switch s.state {
	case stateOpen:
		// The testee starts the closing handshake: answer 1000
		// (R-5.5.1-echo-close), then wait for the server to close TCP.
		s.closeSent = true
		s.state = stateClosing
		s.res.LocalCloseCode, s.res.HasLocalCloseCode, s.res.LocalCloseReason = 1000, true, ""
		s.sendFrame(Frame{Opcode: int(spec.OpClose), Fin: true, Payload: CloseBody(1000, "")})
		s.closingDone(false)
	case stateClosing:
		if s.closeSent {
			s.closingDone(true)
		}
	}
}

// record appends an observed event, a copy of it, if the budget admits it
// and, once the events equal every expected list, closes normally
// (Autobahn's early finish).
func (s *Session) record(e Event) {
	if !s.admit(len(e.Payload)) {
		return
	}
	e.Payload = append([]byte(nil), e.Payload...) // e aliases the decoder's input
	s.note(e)
}

// note appends an admitted event that the session owns and, once the
// events equal every expected list, closes normally (Autobahn's early
// finish).
func (s *Session) note(e Event) {
	s.res.Received = append(s.res.Received, e)
	if s.c.SuppressClose || !s.c.Close.ClosedByMe {
		return
	}
	for _, want := range s.c.Expected {
		if !eventsEqual(want, s.res.Received) {
			return
		}
	}
	s.close(s.c.Close.CloseCode[0], "")
}

// eventsEqual compares event lists exactly, payload bytes included.
func eventsEqual(a, b []Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Kind != y.Kind || x.Binary != y.Binary || x.Tag != y.Tag || string(x.Payload) != string(y.Payload) {
			return false
		}
	}
	return true
}
