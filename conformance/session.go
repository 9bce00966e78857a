package conformance

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// Engine timeouts, as in Autobahn|Testsuite's fuzzing client.
const (
	openHandshakeTimeout  = 5 * time.Second // TCP connect to WebSocket open
	closeHandshakeTimeout = 1 * time.Second // our Close sent, no Close back
	serverDropTimeout     = 1 * time.Second // closing handshake done, server keeps TCP open
	chopPause             = 10 * time.Microsecond
)

// Limits of the runner's own decoder: large enough for every echo the
// catalogue asks for (16 MiB in category 9), small enough to bound memory.
const (
	runnerMaxFrame   = 64 << 20
	runnerMaxMessage = 64 << 20
)

// wsState is the WebSocket state of the runner's end of a session.
type wsState int

const (
	stateConnecting wsState = iota
	stateOpen
	stateClosing
	stateClosed
)

// A Session runs one case over one TCP connection, as the client of the
// server under test. Everything that touches its state runs on one
// goroutine (the session loop); the reader, the writer and the timers
// only post work to it. Case scripts receive the Session in Case.open and
// in the steps they schedule.
type Session struct {
	c      *Case
	target *Target
	tls    *tls.Config // for wss:// targets; nil means the defaults
	agent  string
	rand   io.Reader

	conn   net.Conn
	res    *Result
	t0     time.Time // TCP connect
	opened time.Time // WebSocket open

	work   chan func()   // closures for the loop
	closed chan struct{} // closed when the session is over
	once   sync.Once

	// Loop state.
	state         wsState
	closeSent     bool // we sent a Close through the closing logic
	closeReceived bool // a Close from the testee arrived
	tcpClosed     bool
	dec           *codec.Decoder
	decErr        error // the decoder's sticky error
	track         frameTracker
	msg           []byte
	msgBinary     bool
	pending       []byte         // plain frames of this loop turn, written together
	timers        []pendingTimer // armed timers, fired in deadline order
	timerSeq      int
	stream        streamState
	remoteClose   bool // the first Close's body has been recorded
	// uncleanByTimeout is set when a closing timer had to end the
	// connection: the close is then not clean, whatever else happened.
	uncleanByTimeout bool

	// Writer.
	writes chan writeItem

	// mu guards the parts of res the writer goroutine also touches: the
	// wire log, the write statistics and the logging switch.
	mu sync.Mutex
}

// A writeItem is one unit for the writer goroutine.
type writeItem struct {
	data []byte
	chop int  // write in pieces of this size, each its own write
	sync bool // its own write
}

// streamState is a frame whose payload a case writes in parts over time.
type streamState struct {
	key [4]byte
	pos int
}

// post runs f on the session loop, unless the session is over.
func (s *Session) post(f func()) {
	select {
	case s.work <- f:
	case <-s.closed:
	}
}

// run executes the case: connect, open, run the script, wait for the TCP
// close, evaluate. It returns the filled result. ctx bounds the session.
func (s *Session) run(ctx context.Context) *Result {
	s.res.Started = time.Now().UTC()
	s.t0 = time.Now()
	s.res.CreateWirelog = true
	s.res.RxOctetStats = map[int]int{}
	s.res.TxOctetStats = map[int]int{}
	s.res.RxFrameStats = map[int]int{}
	s.res.TxFrameStats = map[int]int{}
	s.res.HTTPRequest, s.res.HTTPResponse = "?", "?"

	rest, err := s.handshake(ctx)
	if err != nil {
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

	dec, err := codec.NewDecoder(codec.DecoderOptions{
		Role:            codec.RoleClient,
		MaxFramePayload: runnerMaxFrame,
		MaxMessage:      runnerMaxMessage,
	})
	if err != nil {
		panic(err) // the options are constants
	}
	s.dec = dec
	s.state = stateOpen
	s.opened = time.Now()
	s.res.Expected = map[Verdict][]Event{}
	for v, evs := range s.c.Expected {
		s.res.Expected[v] = evs
	}
	ec := s.c.Close
	s.res.ExpectedClose = &ec

	s.work = make(chan func(), 64)
	s.closed = make(chan struct{})
	s.writes = make(chan writeItem, 1024)
	writerDone := make(chan struct{})
	go s.writer(writerDone)
	go s.reader()

	limit := s.c.limit
	if limit == 0 {
		limit = defaultCaseLimit
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
		s.c.open(s)
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
		case f := <-s.work:
			s.turn(f)
		case <-wakeC:
			s.turn(s.fireTimers)
		}
	}
	s.once.Do(func() { close(s.closed) })
	close(s.writes)
	<-writerDone
	s.res.Duration = time.Since(s.opened)
	s.evaluate(true)
	return s.res
}

// turn runs one step on the loop, then writes the plain frames it queued
// as one write, like one turn of Autobahn's event loop.
func (s *Session) turn(f func()) {
	f()
	s.flush()
}

func (s *Session) flush() {
	if len(s.pending) > 0 && !s.tcpClosed {
		s.writes <- writeItem{data: s.pending}
	}
	s.pending = nil
}

// reader posts every TCP read to the loop, then the end of the stream.
func (s *Session) reader() {
	for {
		buf := make([]byte, 64<<10)
		n, err := s.conn.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			s.post(func() { s.onData(chunk) })
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
		if it.chop <= 0 {
			s.write(it.data, it.sync)
			continue
		}
		for p := it.data; len(p) > 0; {
			n := min(it.chop, len(p))
			s.write(p[:n], true)
			p = p[n:]
			if len(p) > 0 {
				time.Sleep(chopPause)
			}
		}
	}
}

func (s *Session) write(p []byte, sync bool) {
	s.mu.Lock()
	s.res.TxOctetStats[len(p)]++
	s.logLocked(WireEntry{Kind: WireWrite, Len: len(p), Data: preview(p), Sync: sync})
	s.mu.Unlock()
	s.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	s.conn.Write(p) // a failed write shows up as the reader's end of stream
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
	e.At = time.Since(s.t0)
	s.res.WireLog = append(s.res.WireLog, e)
}

func preview(p []byte) []byte {
	return append([]byte(nil), p[:min(len(p), WirePreviewLen)]...)
}

// onData handles bytes from the testee: it follows frame boundaries with
// the tracker and feeds the validating decoder frame by frame, so events,
// violations and Close frames are handled in wire order.
func (s *Session) onData(p []byte) {
	s.mu.Lock()
	s.res.RxOctetStats[len(p)]++
	s.logLocked(WireEntry{Kind: WireRead, Len: len(p), Data: preview(p)})
	s.mu.Unlock()
	for len(p) > 0 && !s.tcpClosed {
		n, done := s.track.next(p)
		s.decode(p[:n])
		p = p[n:]
		if done {
			s.onFrame(s.track.finished)
		}
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
			s.msg = append(s.msg, ev.Data...)
		case codec.EventMessageEnd:
			if !s.res.FailedByMe {
				s.record(Message(append([]byte(nil), s.msg...), s.msgBinary))
			}
		case codec.EventPing:
			if s.state == stateOpen {
				s.sendFrame(Frame{Opcode: int(spec.OpPong), Fin: true, Payload: append([]byte(nil), ev.Data...)})
			}
		case codec.EventPong:
			s.record(Pong(append([]byte(nil), ev.Data...)))
		case codec.EventClose:
			// Handled by onFrame, from the tracker's copy of the body,
			// so that invalid bodies are reported too.
		}
	}
}

// onFrame logs a complete frame and handles Close frames.
func (s *Session) onFrame(f trackedFrame) {
	h := f.header
	s.mu.Lock()
	s.res.RxFrameStats[int(h.Opcode)]++
	e := WireEntry{Kind: WireFrameIn, Len: int(min(h.Length, 1<<31)), Data: f.preview,
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
		if len(f.control) >= 2 {
			s.res.RemoteCloseCode = int(f.control[0])<<8 | int(f.control[1])
			s.res.HasRemoteCloseCode = true
			if len(f.control) > 2 {
				s.res.RemoteCloseReason = string(f.control[2:])
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
		// The testee starts the closing handshake: answer 1000, then
		// wait for the server to close TCP (R-5.5.1-echo-close).
		s.closeSent = true
		s.state = stateClosing
		s.res.LocalCloseCode, s.res.HasLocalCloseCode, s.res.LocalCloseReason = 1000, true, ""
		s.sendFrame(Frame{Opcode: int(spec.OpClose), Fin: true, Payload: closeBody(1000, "")})
		s.awaitServerDrop(false)
	case stateClosing:
		if s.closeSent {
			s.awaitServerDrop(true)
		}
	}
}

// awaitServerDrop waits for the server to close TCP once the closing
// handshake is complete (R-5.5.1-close-tcp): the server must close first.
// If it does not within a second the runner drops the connection itself.
// fuzzerInitiated marks the wait Autobahn times (the runner sent the first
// Close); for a testee-initiated close Autobahn has no timer, and the
// runner's drop only shows as FAILED BY CLIENT.
func (s *Session) awaitServerDrop(fuzzerInitiated bool) {
	s.after(serverDropTimeout, func() {
		if s.tcpClosed {
			return
		}
		if fuzzerInitiated {
			s.res.WasServerConnectionDropTimeout = true
			s.res.WasNotCleanReason = "server did not drop TCP connection (in time)"
			s.uncleanByTimeout = true
		}
		s.drop()
	})
}

// onViolation fails the connection for a protocol violation by the testee.
func (s *Session) onViolation(err error) {
	var pe *codec.ProtocolError
	code, reason := spec.CloseProtocolError, err.Error()
	if errors.As(err, &pe) {
		code, reason = pe.Code, pe.Detail
	}
	s.res.ProtocolErrors = append(s.res.ProtocolErrors, err.Error())
	s.fail(code, reason)
}

// fail fails the connection: a Close with the code while open, a TCP drop
// while closing (R-7.1.7-fail, R-7.1.7-fail-send-close).
func (s *Session) fail(code spec.CloseCode, reason string) {
	s.res.FailedByMe = true
	switch s.state {
	case stateOpen:
		s.close(int(code), truncateUTF8(reason, spec.MaxCloseReason))
	case stateClosing:
		s.drop()
	}
}

// close starts the closing handshake with the given code (0 for an empty
// Close) and reason, if the connection is open.
func (s *Session) close(code int, reason string) {
	var body []byte
	if code != 0 {
		body = closeBody(code, reason)
	}
	s.closeWithBody(body)
}

// closeWithBody starts the closing handshake with a Close frame carrying
// exactly body, checked or not, if the connection is open, and arms the
// close-handshake timer. It counts as the runner's close (ClosedByMe).
func (s *Session) closeWithBody(body []byte) {
	if s.state != stateOpen {
		return
	}
	s.state = stateClosing
	s.closeSent = true
	s.res.ClosedByMe = true
	s.res.LocalCloseCode, s.res.HasLocalCloseCode, s.res.LocalCloseReason = 0, false, ""
	switch {
	case len(body) >= 2:
		s.res.LocalCloseCode, s.res.HasLocalCloseCode = int(body[0])<<8|int(body[1]), true
		s.res.LocalCloseReason = string(body[2:])
	case len(body) == 1:
		s.res.LocalCloseReason = string(body) // a malformed body, sent on purpose (7.3.2)
	}
	s.sendFrame(Frame{Opcode: int(spec.OpClose), Fin: true, Payload: body})
	s.after(closeHandshakeTimeout, func() {
		if s.tcpClosed || s.closeReceived {
			return
		}
		s.res.WasCloseHandshakeTimeout = true
		s.res.WasNotCleanReason = "peer did not respond (in time) in closing handshake"
		s.uncleanByTimeout = true
		s.drop()
	})
}

// drop closes the TCP connection from our side.
func (s *Session) drop() {
	if s.tcpClosed {
		return
	}
	s.res.DroppedByMe = true
	s.conn.Close()
}

// onTCPClosed ends the session.
func (s *Session) onTCPClosed() {
	if s.tcpClosed {
		return
	}
	s.tcpClosed = true
	s.conn.Close()
	s.state = stateClosed
	if !s.uncleanByTimeout {
		s.res.WasClean = s.closeSent && s.closeReceived
	}
	if !s.res.WasClean && s.res.WasNotCleanReason == "" && !s.res.DroppedByMe {
		s.res.WasNotCleanReason = "peer dropped the TCP connection without previous WebSocket closing handshake"
	}
}

// A pendingTimer is a step armed to run on the loop at a given time.
type pendingTimer struct {
	at  time.Time
	seq int // arming order, to break ties
	f   func()
}

// after runs f on the loop after d, unless the session is over by then.
// Timers fire in deadline order (and in arming order for equal
// deadlines), like the timers of Autobahn's event loop, so that a case's
// outcome does not depend on goroutine scheduling.
func (s *Session) after(d time.Duration, f func()) {
	s.timerSeq++
	t := pendingTimer{at: time.Now().Add(d), seq: s.timerSeq, f: f}
	i, _ := slices.BinarySearchFunc(s.timers, t, func(a, b pendingTimer) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	s.timers = slices.Insert(s.timers, i, t)
}

// fireTimers runs every timer whose deadline has passed, in order, while
// the connection is up.
func (s *Session) fireTimers() {
	now := time.Now()
	// Once the runner has dropped the connection, later timers have
	// nothing left to decide, even if a late wake-up finds them due.
	for len(s.timers) > 0 && !s.timers[0].at.After(now) && !s.tcpClosed && !s.res.DroppedByMe {
		t := s.timers[0]
		s.timers = s.timers[1:]
		t.f()
	}
}

// record appends an observed event and, once the events equal every
// expected list, closes normally (Autobahn's early finish).
func (s *Session) record(e Event) {
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

// sendFrame masks and queues a frame.
func (s *Session) sendFrame(f Frame) {
	payload := f.payload()
	h := codec.Header{Fin: f.Fin, Rsv: uint8(f.Rsv), Opcode: spec.Opcode(f.Opcode), Masked: true, Length: uint64(len(payload))}
	s.newKey(&h.Key)
	wire := codec.AppendHeader(make([]byte, 0, codec.MaxHeaderSize+len(payload)), h)
	start := len(wire)
	wire = append(wire, payload...)
	codec.Mask(h.Key, 0, wire[start:])

	e := WireEntry{Kind: WireFrameOut, Len: len(f.Payload), Data: preview(f.Payload), Opcode: f.Opcode, Fin: f.Fin,
		Rsv: f.Rsv, Mask: append([]byte(nil), h.Key[:]...), ChopSize: f.ChopSize, Sync: f.Sync}
	if f.RepeatLength > 0 {
		e.RepeatLength = f.RepeatLength
	} else {
		e.Len = len(payload)
	}
	s.mu.Lock()
	s.res.TxFrameStats[f.Opcode]++
	s.logLocked(e)
	s.mu.Unlock()

	switch {
	case f.ChopSize > 0:
		s.flush()
		s.writes <- writeItem{data: wire, chop: f.ChopSize}
	case f.Sync:
		s.flush()
		s.writes <- writeItem{data: wire, sync: true}
	default:
		s.pending = append(s.pending, wire...)
	}
}

func (s *Session) newKey(key *[4]byte) {
	if _, err := io.ReadFull(s.rand, key[:]); err != nil {
		panic("conformance: reading a masking key: " + err.Error())
	}
}

// closeBody returns a Close payload: the 2-byte code and the reason.
func closeBody(code int, reason string) []byte {
	return append([]byte{byte(code >> 8), byte(code)}, reason...)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
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

// Case script primitives. They run on the session loop.

// SendFrame sends a raw frame, with no checks, masked with a fresh key.
func (s *Session) SendFrame(f Frame) { s.sendFrame(f) }

// SendMessage sends a data message, fragmented into frames of fragmentSize
// octets when that is positive and smaller than the payload. Like
// Autobahn, a payload that is an exact multiple of fragmentSize ends with
// an extra empty final frame.
func (s *Session) SendMessage(opcode int, payload []byte, fragmentSize int, sync bool) {
	if fragmentSize <= 0 || len(payload) <= fragmentSize {
		s.sendFrame(Frame{Opcode: opcode, Fin: true, Payload: payload, Sync: sync})
		return
	}
	op := opcode
	for i := 0; ; {
		j := i + fragmentSize
		done := j > len(payload)
		if done {
			j = len(payload)
		}
		s.sendFrame(Frame{Opcode: op, Fin: done, Payload: payload[i:j], Sync: sync})
		if done {
			return
		}
		op, i = int(spec.OpContinuation), j
	}
}

// Close starts the closing handshake with a code (0: empty body) and a
// reason, as the runner's own close: it counts for ClosedByMe.
func (s *Session) Close(code int, reason string) { s.close(code, reason) }

// IsOpen reports whether the connection is still open: no Close sent or
// received and TCP up.
func (s *Session) IsOpen() bool { return s.state == stateOpen }

// KillAfter arms Autobahn's killAfter timer: when it fires the runner
// fails the connection with 1001 "Going Away" if it is open, or drops TCP
// if it is closing.
func (s *Session) KillAfter(sec float64) {
	s.log(WireEntry{Kind: WireKill, Delay: sec})
	s.after(seconds(sec), func() {
		s.log(WireEntry{Kind: WireKillRun})
		s.fail(spec.CloseGoingAway, "Going Away")
	})
}

// CloseAfter arms Autobahn's closeAfter timer: when it fires the runner
// sends an empty Close if the connection is still open.
func (s *Session) CloseAfter(sec float64) {
	s.log(WireEntry{Kind: WireCloseTimer, Delay: sec})
	s.after(seconds(sec), func() {
		s.log(WireEntry{Kind: WireCloseRun})
		s.close(0, "")
	})
}

// ContinueLater runs the next step of a case after sec seconds, if the
// connection has not closed by then.
func (s *Session) ContinueLater(sec float64, tag string, step func()) {
	s.log(WireEntry{Kind: WireContinue, Delay: sec, Tag: tag})
	s.after(seconds(sec), func() {
		s.log(WireEntry{Kind: WireContinueRun, Tag: tag})
		step()
	})
}

// RecordTimeout records that a step found the connection still open.
// Unlike received events it does not trigger the early close.
func (s *Session) RecordTimeout(tag string) {
	s.res.Received = append(s.res.Received, Timeout(tag))
}

// BeginFrame writes the header of a frame whose payload the case will
// write later in parts with FramePart. No wire-log frame row is written
// for it, as in Autobahn.
func (s *Session) BeginFrame(opcode int, fin bool, length int) {
	h := codec.Header{Fin: fin, Opcode: spec.Opcode(opcode), Masked: true, Length: uint64(length)}
	s.newKey(&h.Key)
	s.stream = streamState{key: h.Key}
	s.flush()
	s.writes <- writeItem{data: codec.AppendHeader(nil, h), sync: true}
}

// FramePart writes the next part of the frame BeginFrame started.
func (s *Session) FramePart(p []byte) {
	part := append([]byte(nil), p...)
	s.stream.pos = codec.Mask(s.stream.key, s.stream.pos, part)
	s.flush()
	s.writes <- writeItem{data: part, sync: true}
}

func seconds(sec float64) time.Duration { return time.Duration(sec * float64(time.Second)) }
