// The script API of a Session: what a case's Open and Judge hooks, and the
// steps they schedule, call. Everything here runs on the session loop.

package conformance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// streamState is a frame whose payload a case writes in parts over time.
type streamState struct {
	masked bool
	key    [4]byte
	pos    int
}

// CloseWithBody starts the closing handshake with a Close frame carrying
// exactly body, valid or not (a 1-octet body, an invalid code, a reason
// that is not UTF-8), if the connection is open, and arms the
// close-handshake timer. It counts as the runner's close (ClosedByMe).
func (s *Session) CloseWithBody(body []byte) {
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

// sendFrame queues a frame, masked with a fresh key when the runner is
// the client (R-5.1-client-masks), unmasked when it is the server
// (R-5.1-server-never-masks).
func (s *Session) sendFrame(f Frame) {
	n := f.payloadLen()
	wire, h, ok := s.encodeFrame(make([]byte, 0, codec.MaxHeaderSize+n), f)
	if !ok {
		return
	}

	e := WireEntry{Kind: WireFrameOut, Len: len(f.Payload), Data: preview(f.Payload), Opcode: f.Opcode, Fin: f.Fin,
		Rsv: f.Rsv, ChopSize: f.ChopSize, Sync: f.Sync}
	if h.Masked {
		e.Mask = append([]byte(nil), h.Key[:]...)
	}
	if f.RepeatLength > 0 {
		e.RepeatLength = f.RepeatLength
	} else {
		e.Len = n
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
		s.queue(wire)
	}
}

// encodeFrame appends f to dst as the runner sends it, masked with a
// fresh key when the runner is the client, and returns its header. It
// returns false if no key could be had (see newKey).
func (s *Session) encodeFrame(dst []byte, f Frame) ([]byte, codec.Header, bool) {
	h := codec.Header{Fin: f.Fin, Rsv: uint8(f.Rsv), Opcode: spec.Opcode(f.Opcode), Length: uint64(f.payloadLen())}
	if !s.newKey(&h) {
		return dst, h, false
	}
	dst = codec.AppendHeader(dst, h)
	start := len(dst)
	dst = f.appendPayload(dst)
	if h.Masked {
		codec.Mask(h.Key, 0, dst[start:])
	}
	return dst, h, true
}

// newKey sets h.Masked and a fresh masking key when the runner is the
// client. If the source of randomness fails it records the error, drops
// the connection and returns false: the run then fails with that error.
func (s *Session) newKey(h *codec.Header) bool {
	if s.role != codec.RoleClient {
		return true
	}
	if s.randErr != nil {
		return false
	}
	h.Masked = true
	if _, err := io.ReadFull(s.rand, h.Key[:]); err != nil {
		s.randErr = fmt.Errorf("conformance: reading a masking key: %w", err)
		s.res.Reason = s.randErr.Error()
		s.drop()
		return false
	}
	return true
}

// CloseBody returns a Close frame's payload: the 2-byte code, big-endian,
// then the reason, neither checked.
func CloseBody(code int, reason string) []byte {
	return append([]byte{byte(code >> 8), byte(code)}, reason...)
}

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
	h := codec.Header{Fin: fin, Opcode: spec.Opcode(opcode), Length: uint64(length)}
	if !s.newKey(&h) {
		return
	}
	s.stream = streamState{masked: h.Masked, key: h.Key}
	s.flush()
	s.writes <- writeItem{data: codec.AppendHeader(nil, h), sync: true}
}

// FramePart writes the next part of the frame BeginFrame started.
func (s *Session) FramePart(p []byte) {
	if s.randErr != nil {
		return
	}
	part := append([]byte(nil), p...)
	if s.stream.masked {
		s.stream.pos = codec.Mask(s.stream.key, s.stream.pos, part)
	}
	s.flush()
	s.writes <- writeItem{data: part, sync: true}
}

// SendRaw writes p to the connection as it is, in its own write after
// everything queued before it: for bytes that are not a whole frame (a
// truncated header, a frame's parts from several calls). The wire log
// records the write; no frame row is written for it.
func (s *Session) SendRaw(p []byte) {
	s.flush()
	s.writes <- writeItem{data: append([]byte(nil), p...), sync: true}
}

// FramesSent returns how many frames with the opcode the runner has sent
// through SendFrame, SendMessage and the closing logic.
func (s *Session) FramesSent(opcode int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.res.TxFrameStats[opcode]
}

// Role returns the runner's role in the session.
func (s *Session) Role() codec.Role { return s.role }

// SetWireLog switches the recording of reads, writes and frames in the
// wire log on or off (Autobahn's performance cases switch it off), and
// records the switch. Timer rows are always recorded.
func (s *Session) SetWireLog(enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.res.CreateWirelog = enabled
	s.logLocked(WireEntry{Kind: WireLogging, Enabled: enabled})
}

// SetWireLogSilent switches the wire log like SetWireLog but records no
// switch row: Autobahn's 9.1-9.6 turn logging off at open and on again at
// the echo this way.
func (s *Session) SetWireLogSilent(enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.res.CreateWirelog = enabled
}

// HandleMessages makes fn receive every complete data message from the
// testee from now on, instead of the event list (Autobahn's performance
// cases handle their messages themselves). Such messages are neither
// recorded nor counted against the Budget, and trigger no early close:
// the session keeps one buffer for them, reused from message to message
// and bounded by the runner's message limit (16 MiB), so a peer that
// floods them costs no memory; fn judges them (SetBehavior) and closes.
// payload is valid only during the call. As for recorded messages, none
// is delivered once the runner has failed the connection; pongs are still
// recorded.
func (s *Session) HandleMessages(fn func(payload []byte, binary bool)) { s.onMessage = fn }

// SetBehavior sets the case's verdict and its result text, used when the
// received events equal none of the case's expected lists (Autobahn's
// cases without lists set their verdict themselves). Without it that
// verdict is FAILED, "Actual events differ from any expected.".
func (s *Session) SetBehavior(v Verdict, result string) {
	s.behavior, s.result, s.ownVerdict = v, result, true
}

func seconds(sec float64) time.Duration { return time.Duration(sec * float64(time.Second)) }

// Drop closes the TCP connection at once, without a Close frame, as the
// runner's own way out of a connection the peer stopped answering (a
// server still waiting for a payload it was promised, say). It counts
// against the peer like every drop by the runner (Result.DroppedByMe); a
// case that expects it says so in its Judge.
func (s *Session) Drop() { s.drop() }

// Behavior returns the verdict and result text the case set with
// SetBehavior, and whether it set one: a Judge reads there what its
// script decided while the connection was open.
func (s *Session) Behavior() (v Verdict, result string, ok bool) {
	return s.behavior, s.result, s.ownVerdict
}

// SendFrames sends count copies of frame f, each masked with a fresh key
// of its own when the runner is the client, built into one buffer and
// queued as one write (a flood of small frames costs one allocation and
// one read of the source of randomness, not count of each). f.ChopSize and
// f.Sync are ignored: the run is written in its own write. The wire log
// gets a row per frame, within its Budget.
func (s *Session) SendFrames(f Frame, count int) {
	if count <= 0 {
		return
	}
	n := f.payloadLen()
	h := codec.Header{Fin: f.Fin, Rsv: uint8(f.Rsv), Opcode: spec.Opcode(f.Opcode), Length: uint64(n)}
	var keys []byte
	if s.role == codec.RoleClient {
		if s.randErr != nil {
			return
		}
		keys = make([]byte, 4*count)
		if _, err := io.ReadFull(s.rand, keys); err != nil {
			s.randErr = fmt.Errorf("conformance: reading masking keys: %w", err)
			s.res.Reason = s.randErr.Error()
			s.drop()
			return
		}
		h.Masked = true
	}
	payload := f.appendPayload(nil)
	wire := make([]byte, 0, count*(codec.MaxHeaderSize+n))
	for i := range count {
		if h.Masked {
			copy(h.Key[:], keys[4*i:])
		}
		wire = codec.AppendHeader(wire, h)
		start := len(wire)
		wire = append(wire, payload...)
		if h.Masked {
			codec.Mask(h.Key, 0, wire[start:])
		}
	}

	s.mu.Lock()
	s.res.TxFrameStats[f.Opcode] += count
	for i := range count {
		if !s.res.CreateWirelog || len(s.res.WireLog) >= s.budget.WireLog {
			// Rows past the budget are counted, not built.
			if s.res.CreateWirelog {
				s.res.WireLogDropped += count - i
			}
			break
		}
		e := WireEntry{Kind: WireFrameOut, Len: n, Data: preview(payload), Opcode: f.Opcode, Fin: f.Fin, Rsv: f.Rsv}
		if h.Masked {
			e.Mask = append([]byte(nil), keys[4*i:4*i+4]...)
		}
		s.logLocked(e)
	}
	s.mu.Unlock()

	s.flush()
	s.writes <- writeItem{data: wire, sync: true}
}

// ErrNoProbe is ProbeServer's error when there is no server to probe: the
// runner is the server itself (Play with codec.RoleServer).
var ErrNoProbe = errors.New("conformance: no server to probe: the runner is not a client of a target")

// ProbeServer checks that the server under test still serves: it opens a
// fresh connection to the target, completes an opening handshake within
// the run's handshake timeout, sends a Close (1000) and closes the
// connection. It returns nil if the server answered with a valid 101
// response, the handshake's error otherwise (a refused connection, a
// timeout), or ErrNoProbe when the session has no target. A case's Judge
// calls it (the session's own connection is closed by then) to tell a
// server that failed one connection from one that died or stopped
// accepting connections. It blocks for up to the handshake timeout and
// records nothing in the case's result.
func (s *Session) ProbeServer() error {
	if s.target == nil {
		return ErrNoProbe
	}
	p := &Session{
		c: s.c, role: codec.RoleClient, target: s.target, tls: s.tls, origin: s.origin, protos: s.protos,
		budget: s.budget, hsTimeout: s.hsTimeout, rand: s.rand, res: newResult(s.c),
	}
	p.begin()
	_, err := p.handshake(context.Background())
	if p.randErr != nil && s.randErr == nil {
		s.randErr = p.randErr // the run fails with it, as for the case's own
	}
	if p.conn == nil {
		return err
	}
	defer p.conn.Close()
	if err != nil {
		return err
	}
	h := codec.Header{Fin: true, Opcode: spec.OpClose, Length: 2}
	if !p.newKey(&h) {
		s.randErr = p.randErr
		return p.randErr
	}
	body := CloseBody(int(spec.CloseNormal), "")
	codec.Mask(h.Key, 0, body)
	p.conn.SetWriteDeadline(time.Now().Add(time.Second))
	p.conn.Write(append(codec.AppendHeader(nil, h), body...))
	return nil
}
