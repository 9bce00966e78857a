// The closing handshake and the end of the TCP connection, as the runner's
// role requires.

package conformance

import (
	"errors"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// closingDone runs when both Close frames have been exchanged. As a
// server the runner closes TCP now (R-5.5.1-close-tcp: the server closes
// first); as a client it waits for the server to.
func (s *Session) closingDone(runnerStarted bool) {
	if s.role == codec.RoleServer {
		s.flush()
		s.closeTCP()
		return
	}
	s.awaitServerDrop(runnerStarted)
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
		body = CloseBody(code, reason)
	}
	s.CloseWithBody(body)
}

// drop closes the TCP connection from our side where the peer should
// have: it counts against the peer (DroppedByMe).
func (s *Session) drop() {
	if s.tcpClosed {
		return
	}
	s.res.DroppedByMe = true
	s.conn.Close()
}

// closeTCP closes the TCP connection from our side as the protocol asks
// of the runner's role; the writer sends what is queued first.
func (s *Session) closeTCP() {
	if s.tcpClosed {
		return
	}
	s.flush()
	s.writes <- writeItem{closeConn: true}
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
