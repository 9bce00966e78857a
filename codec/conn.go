// Conn is the sans-IO WebSocket endpoint, in the spirit of python-hyper's
// wsproto: bytes in, events out (Receive); requests in, bytes out (Send*,
// Outgoing). It owns one Decoder for what the peer sends and one Encoder
// for what we send, and the closing handshake of RFC 6455 section 7 as a
// small state machine:
//
//	state    we hold                               next
//	Open     nothing                               Closing when a Close is sent or received
//	Closing  our Close sent, or the peer's         Closed when the other one happens
//	         received (its echo owed), or a
//	         failure whose Close is owed
//	Closed   both Closes, a failure whose Close    (final)
//	         went out, or a lost transport

package codec

import (
	"errors"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/wskit/wskit/spec"
)

// ConnOptions configures a Conn. Role is required, and Rand for a client.
// The limits and Extension configure the Conn's Decoder, as in
// DecoderOptions.
type ConnOptions struct {
	// Role is the role of this endpoint. Required.
	Role Role
	// Rand is the source of masking keys for a client: pass
	// crypto/rand.Reader (R-5.3-unpredictable-key). A server ignores it.
	Rand io.Reader
	// MaxFramePayload, MaxMessage, MaxFragments and
	// AllowNonMinimalLength are the receive limits of DecoderOptions; zero
	// values mean the defaults.
	MaxFramePayload       uint64
	MaxMessage            uint64
	MaxFragments          int
	AllowNonMinimalLength bool
	// Extension is the negotiated extension for received messages, or
	// nil.
	Extension Extension
	// SendExtension, if not nil, transforms every data message sent
	// (SendMessage, SendFrame) and sets its RSV bits on the first frame,
	// as permessage-deflate compresses; control frames are never
	// transformed (D-6-data-only).
	SendExtension SendExtension
	// FragmentSize, if positive, makes SendMessage send messages longer
	// than FragmentSize bytes as several frames of that size.
	FragmentSize int
}

// ConnState is the state of a Conn's closing handshake (RFC 6455 section
// 7.1.3 and 7.1.4). The opening handshake happens before a Conn exists.
type ConnState uint8

// The states of a Conn.
const (
	// StateOpen: no Close has been sent or received.
	StateOpen ConnState = iota
	// StateClosing: a Close has been sent or received, but not both, or
	// the connection failed and its Close is owed (R-7.1.3-closing).
	StateClosing
	// StateClosed: Closes were both sent and received, or the connection
	// failed and its Close went out, or the transport is gone.
	StateClosed
)

var connStateNames = [...]string{StateOpen: "open", StateClosing: "closing", StateClosed: "closed"}

// String returns "open", "closing" or "closed".
func (s ConnState) String() string {
	if int(s) < len(connStateNames) {
		return connStateNames[s]
	}
	return "ConnState(" + strconv.Itoa(int(s)) + ")"
}

// A Conn is one WebSocket endpoint after the opening handshake, with no
// I/O of its own: the caller reads bytes from the transport and passes
// them to Receive, and writes to the transport the bytes that Send* and
// Outgoing return.
//
// A Conn answers the peer by itself, as RFC 6455 requires:
//   - every Ping is answered with a Pong carrying the same payload
//     (R-5.5.2-pong, R-5.5.3-pong-echo), unless a Close was received;
//   - a received Close is echoed once, with the same code, or with an
//     empty body if it had none, never 1005 (R-5.5.1-echo-close); if we
//     already sent a Close, nothing more is sent;
//   - a protocol violation by the peer fails the connection: a Close with
//     the violation's code (1002, 1007 or 1009; 1011 for an extension's
//     own failure) is owed and nothing more is received
//     (R-7.1.7-fail-send-close, R-7.1.7-fail-stop).
//
// Those answers are queued and handed out, in order, by the next Send*
// call or by Outgoing. A Close owed by Receive (an echo or a failure) is
// held back until Outgoing or SendClose, so that data the application
// sends in answer to the events of the same Receive call goes out first,
// as if it had answered each event the moment it arrived: a valid message
// that precedes a violation in the same read can still be echoed.
//
// Who closes the transport: ShouldCloseTransport says when. A server
// closes it as soon as Closes were both sent and received
// (R-5.5.1-close-tcp); a client waits for the server to close it, with a
// timeout of its own choosing (R-7.1.1-close-tcp-cleanly); either closes
// it after failing the connection (R-7.1.7-fail). When the transport ends,
// call TransportClosed.
//
// A Conn is not safe for concurrent use.
type Conn struct {
	role         Role
	dec          Decoder
	enc          Encoder
	fragmentSize int
	sendExt      SendExtension
	scratch      []byte // a SendExtension's output, reused

	events []Event // returned by Receive, reused
	arena  []byte  // copies of control payloads for the events of one Receive
	out    []byte  // bytes owed, not yet handed out

	failed          error          // the error that failed the connection
	closeOwed       bool           // a Close (echo or failure) waits for Outgoing or SendClose
	owedCode        spec.CloseCode // its code; spec.CloseNoStatus for an empty body
	closeSent       bool           // our Close has been handed out
	closeReceived   bool
	transportClosed bool
	sending         bool // a message sent with SendFrame is unfinished

	recvCode    spec.CloseCode
	recvReason  [spec.MaxCloseReason]byte
	recvReasonN int
}

// NewConn returns a Conn in StateOpen, configured by opts.
func NewConn(opts ConnOptions) (*Conn, error) {
	c := new(Conn)
	err := c.dec.configure(DecoderOptions{
		Role: opts.Role, MaxFramePayload: opts.MaxFramePayload, MaxMessage: opts.MaxMessage,
		MaxFragments: opts.MaxFragments, AllowNonMinimalLength: opts.AllowNonMinimalLength,
		Extension: opts.Extension,
	})
	if err != nil {
		return nil, err
	}
	enc, err := NewEncoder(opts.Role, opts.Rand)
	if err != nil {
		return nil, err
	}
	if x := opts.SendExtension; x != nil {
		if bits := x.Rsv(); bits == 0 || bits&^(Rsv1|Rsv2|Rsv3) != 0 {
			return nil, errors.New("codec: SendExtension.Rsv returned " + strconv.Itoa(int(bits)) + "; want a non-zero combination of Rsv1, Rsv2 and Rsv3")
		}
	}
	c.role = opts.Role
	c.enc = *enc
	c.fragmentSize = opts.FragmentSize
	c.sendExt = opts.SendExtension
	return c, nil
}

// Reset puts c back in StateOpen, as NewConn left it, keeping its options
// and buffers, so that Conns can be pooled. It resets the Extension too.
func (c *Conn) Reset() {
	*c = Conn{
		role: c.role, dec: c.dec, enc: c.enc, fragmentSize: c.fragmentSize,
		sendExt: c.sendExt, scratch: c.scratch[:0],
		events: c.events[:0], arena: c.arena[:0], out: c.out[:0],
	}
	c.dec.Reset()
	if c.sendExt != nil {
		c.sendExt.Reset()
	}
}

// Role returns c's role.
func (c *Conn) Role() Role { return c.role }

// DiscardData makes Receive skip the peer's data messages from now on,
// the rest of one in progress included, as Decoder.DiscardData does:
// their frames are still read and checked, but their payloads are not
// unmasked, inflated or validated, and no events come for them; pings,
// pongs and the Close work as before. Call it once the application wants
// nothing more but the peer's Close, typically after SendClose: then a
// decompression bomb in flight costs no inflating. Reset ends it.
func (c *Conn) DiscardData() { c.dec.DiscardData() }

// Receive decodes p, bytes received from the peer, and returns the events
// they complete, in order (see Decoder.Decode for the events). It queues
// the answers the protocol requires (see Conn): take them with Outgoing
// or the next Send* call.
//
// Like Decoder.Decode, Receive unmasks p in place; payload events alias p.
// The Data of control events, and the payload of messages an Extension
// transforms, are copied into a buffer of the Conn. The returned slice and
// those copies are reused by the next call to Receive. (With an Extension,
// that buffer holds the transformed bytes of the messages that p
// completes or continues, each within MaxMessage; pass reads of bounded
// size.)
//
// If the peer broke a rule, Receive returns the events decoded before the
// violation together with the *ProtocolError, and every later call
// returns the same error and no events: nothing more is processed
// (R-7.1.7-fail-stop). After a Close has been received, Receive ignores
// its input: nothing the peer sends after its Close is processed, and the
// Close event is the last one.
func (c *Conn) Receive(p []byte) ([]Event, error) {
	c.events = c.events[:0]
	c.arena = c.arena[:0]
	if c.failed != nil {
		return nil, c.failed
	}
	if c.closeReceived || c.transportClosed {
		return nil, nil
	}
	for {
		// A whole one-frame message takes one step instead of three
		// (see Decoder.DecodeWhole); anything else, errors included,
		// goes through Decode.
		if d := &c.dec; d.state == stateHeader && d.hdr.n == 0 && d.err == nil {
			if op, data, n := d.quickWhole(p); n > 0 {
				d.off += int64(n)
				p = p[n:]
				c.events = append(c.events, Event{Kind: EventMessageStart, Opcode: op})
				if len(data) > 0 {
					c.events = append(c.events, Event{Kind: EventPayload, Opcode: op, Data: data})
				}
				c.events = append(c.events, Event{Kind: EventMessageEnd, Opcode: op})
				continue
			}
		}
		ev, n, err := c.dec.Decode(p)
		p = p[n:]
		if err != nil {
			c.fail(err)
			return c.events, err
		}
		switch ev.Kind {
		case EventNone:
			return c.events, nil
		case EventPing:
			ev.Data = c.keep(ev.Data)
			// R-5.5.2-pong: answer every ping with its payload.
			out, err := c.enc.AppendPong(c.out, ev.Data)
			c.out = out
			if err != nil {
				c.events = append(c.events, ev)
				c.fail(err)
				return c.events, c.failed
			}
		case EventPong:
			ev.Data = c.keep(ev.Data)
		case EventPayload:
			// A transformed message's payload aliases the extension's
			// buffer, valid only until the next Decode: keep a copy,
			// extending the previous piece when it is the arena's last
			// bytes, so that the arena's growth leaves no older copy
			// of a large message referenced.
			if c.dec.msgExt {
				if c.extendPayload(ev.Data) {
					continue
				}
				ev.Data = c.keep(ev.Data)
			}
		case EventClose:
			ev.Data = c.keep(ev.Data)
			c.closeReceived = true
			c.recvCode = ev.Code
			c.recvReasonN = copy(c.recvReason[:], ev.Data)
			if !c.closeSent {
				// R-5.5.1-echo-close: echo the code; an empty Close
				// gets an empty Close, never 1005.
				c.closeOwed = true
				c.owedCode = ev.Code
			}
			c.events = append(c.events, ev)
			return c.events, nil
		}
		c.events = append(c.events, ev)
	}
}

// keep copies control payload into the arena of the current Receive.
func (c *Conn) keep(b []byte) []byte {
	if c.arena == nil {
		c.arena = make([]byte, 0, 256) // so that even empty Data is not nil
	}
	start := len(c.arena)
	c.arena = append(c.arena, b...)
	return c.arena[start:len(c.arena):len(c.arena)]
}

// extendPayload appends b to the last event when that event is a
// payload piece ending at the arena's end, and reports whether it did.
func (c *Conn) extendPayload(b []byte) bool {
	n := len(c.events)
	if n == 0 || len(b) == 0 || len(c.arena) == 0 {
		return false
	}
	last := &c.events[n-1]
	if last.Kind != EventPayload || len(last.Data) == 0 || &last.Data[len(last.Data)-1] != &c.arena[len(c.arena)-1] {
		return false
	}
	start := len(c.arena) - len(last.Data)
	c.arena = append(c.arena, b...)
	last.Data = c.arena[start:len(c.arena):len(c.arena)]
	return true
}

// fail records err as the reason the connection failed and owes the
// peer a Close with its code, unless ours was already sent.
func (c *Conn) fail(err error) {
	c.failed = err
	code := spec.CloseInternalError
	var pe *ProtocolError
	if errors.As(err, &pe) {
		code = pe.Code
	}
	var mk *maskKeyError
	if errors.As(err, &mk) {
		c.closeOwed = false // a client without mask keys cannot send a Close
		return
	}
	if !c.closeSent {
		c.closeOwed = true
		c.owedCode = code
	}
}

// Outgoing returns every byte owed to the peer and not yet handed out, in
// order, ending with the Close that Receive owes, if any. Write them to
// the transport. The slice is valid until the next call to a method of c.
func (c *Conn) Outgoing() []byte {
	if c.closeOwed {
		c.appendOwedClose()
	}
	return c.take()
}

// appendOwedClose queues the Close that Receive owes.
func (c *Conn) appendOwedClose() {
	c.closeOwed = false
	out, err := c.enc.AppendClose(c.out, c.owedCode, "")
	c.out = out
	if err != nil {
		// Only a failure to read a masking key can get here: owed codes
		// are received codes (all sendable), 1005 (an empty body) or an
		// error code.
		if c.failed == nil {
			c.failed = err
		}
		return
	}
	c.closeSent = true
}

// take hands out the queued bytes.
func (c *Conn) take() []byte {
	out := c.out
	c.out = c.out[:0]
	return out
}

// canSendData reports why data frames cannot be sent now, if they cannot.
func (c *Conn) canSendData() error {
	switch {
	case c.transportClosed, c.failed != nil && !c.closeOwed:
		return ErrClosed
	case c.closeSent:
		// R-5.5.1-no-data-after-close
		return ErrCloseSent
	}
	return nil
}

// SendMessage sends a whole data message: op is spec.OpText (the payload
// must be UTF-8) or spec.OpBinary, fragmented at ConnOptions.FragmentSize
// if that is set. It returns every byte now owed to the peer, in order:
// answers queued by Receive first, then the message. The slice is valid
// until the next call to a method of c.
//
// SendMessage fails with ErrCloseSent after our Close went out
// (R-5.5.1-no-data-after-close), with ErrFrameOrder while a message
// started with SendFrame is unfinished, and with the Encoder's errors.
func (c *Conn) SendMessage(op spec.Opcode, payload []byte) ([]byte, error) {
	if err := c.canSendData(); err != nil {
		return nil, err
	}
	if c.sending {
		return nil, ErrFrameOrder
	}
	if c.sendExt != nil {
		return c.sendTransformed(op, payload)
	}
	out, err := c.enc.AppendMessage(c.out, op, payload, c.fragmentSize)
	c.out = out
	if err != nil {
		return nil, err
	}
	return c.take(), nil
}

// sendBuffersMin is the payload size from which SendMessageBuffers and
// SendFrameBuffers leave a server's payload out of the bytes they return:
// a shorter one costs less to copy than to write on its own.
const sendBuffersMin = 2 << 10

// SendMessageBuffers is SendMessage for a caller that can write two
// buffers, such as net.Buffers{head, body} (writev on a TCP connection):
// a server's message of 2 KiB or more that goes out as it is, in one
// frame, is not copied. head is every byte owed up to and including the
// message's frame header, and body is payload itself, to be written after
// head, unchanged: the caller must not modify payload before body is
// written. In every other case (a shorter message, a client's, which is
// masked, one fragmented at FragmentSize, one the SendExtension
// transforms) body is nil and head holds the whole message, as SendMessage
// returns it. head is valid until the next call to a method of c. The
// errors are SendMessage's.
func (c *Conn) SendMessageBuffers(op spec.Opcode, payload []byte) (head, body []byte, err error) {
	if c.role != RoleServer || len(payload) < sendBuffersMin || c.fragmentSize > 0 && len(payload) > c.fragmentSize {
		head, err = c.SendMessage(op, payload)
		return head, nil, err
	}
	if err := c.canSendData(); err != nil {
		return nil, nil, err
	}
	if c.sending {
		return nil, nil, ErrFrameOrder
	}
	if op != spec.OpText && op != spec.OpBinary {
		return nil, nil, ErrReservedOpcode
	}
	if op == spec.OpText && !utf8.Valid(payload) {
		return nil, nil, ErrTextNotUTF8
	}
	if c.sendExt != nil && c.sendExt.TransformMessage(len(payload)) {
		head, err = c.transformMessage(op, payload)
		return head, nil, err
	}
	c.out = AppendHeader(c.out, Header{Fin: true, Opcode: op, Length: uint64(len(payload))})
	return c.take(), payload, nil
}

// SendFrameBuffers is SendFrame for a caller that can write two buffers,
// as SendMessageBuffers is SendMessage: a server's frame of 2 KiB or more
// that no SendExtension transforms comes as head (the bytes owed and the
// frame header) and body (payload itself, unchanged); otherwise body is
// nil and head is what SendFrame returns. The errors are SendFrame's.
func (c *Conn) SendFrameBuffers(fin bool, op spec.Opcode, payload []byte) (head, body []byte, err error) {
	if c.role != RoleServer || len(payload) < sendBuffersMin || c.sendExt != nil {
		head, err = c.SendFrame(fin, op, payload)
		return head, nil, err
	}
	if op != spec.OpText && op != spec.OpBinary && op != spec.OpContinuation {
		return nil, nil, ErrReservedOpcode
	}
	if err := c.canSendData(); err != nil {
		return nil, nil, err
	}
	if (op == spec.OpContinuation) != c.sending {
		return nil, nil, ErrFrameOrder
	}
	c.out = AppendHeader(c.out, Header{Fin: fin, Opcode: op, Length: uint64(len(payload))})
	c.sending = !fin
	return c.take(), payload, nil
}

// SendFrame sends one data frame of a message streamed in pieces: the
// first with op spec.OpText or spec.OpBinary, the rest with
// spec.OpContinuation, the last with fin set. Messages cannot interleave
// (R-5.4-no-interleave): out of order, SendFrame fails with ErrFrameOrder.
// Text frames may split a code point; SendFrame does not check UTF-8. It
// returns the bytes now owed, like SendMessage.
func (c *Conn) SendFrame(fin bool, op spec.Opcode, payload []byte) ([]byte, error) {
	if op != spec.OpText && op != spec.OpBinary && op != spec.OpContinuation {
		return nil, ErrReservedOpcode
	}
	if err := c.canSendData(); err != nil {
		return nil, err
	}
	if (op == spec.OpContinuation) != c.sending {
		return nil, ErrFrameOrder
	}
	if c.sendExt != nil {
		return c.sendTransformedFrame(fin, op, payload)
	}
	out, err := c.enc.AppendFrame(c.out, fin, op, payload)
	c.out = out
	if err != nil {
		return nil, err
	}
	c.sending = !fin
	return c.take(), nil
}

// SendPing sends a Ping (at most 125 bytes of payload), which may be done
// at any time before the Conn is closed (R-5.5.2-ping-any-time). It
// returns the bytes now owed, like SendMessage.
func (c *Conn) SendPing(payload []byte) ([]byte, error) {
	return c.sendControl(spec.OpPing, payload)
}

// SendPong sends an unsolicited Pong, a one-way heartbeat
// (R-5.5.3-unsolicited). Pings are answered without it. It returns the
// bytes now owed, like SendMessage.
func (c *Conn) SendPong(payload []byte) ([]byte, error) {
	return c.sendControl(spec.OpPong, payload)
}

func (c *Conn) sendControl(op spec.Opcode, payload []byte) ([]byte, error) {
	if c.State() == StateClosed {
		return nil, ErrClosed
	}
	out, err := c.enc.AppendFrame(c.out, true, op, payload)
	c.out = out
	if err != nil {
		return nil, err
	}
	return c.take(), nil
}

// SendClose starts the closing handshake with code and reason
// (R-7.1.2-start-close), or answers a received Close with them instead of
// the echo Receive owes. code must be sendable and reason at most 123
// bytes of UTF-8, as for Encoder.AppendClose; spec.CloseNoStatus with an
// empty reason sends an empty body. After it no data can be sent. It
// returns the bytes now owed, ending with the Close.
//
// SendClose fails with ErrCloseSent if a Close was already sent, or is
// owed because the connection failed, and with ErrClosed once the Conn is
// closed.
func (c *Conn) SendClose(code spec.CloseCode, reason string) ([]byte, error) {
	switch {
	case c.transportClosed, c.failed != nil && !c.closeOwed:
		return nil, ErrClosed
	case c.closeSent, c.failed != nil:
		return nil, ErrCloseSent
	}
	out, err := c.enc.AppendClose(c.out, code, reason)
	c.out = out
	if err != nil {
		return nil, err
	}
	c.closeOwed = false
	c.closeSent = true
	return c.take(), nil
}

// TransportClosed records that the transport is gone, whoever closed it,
// and returns the connection's close code (R-7.1.5-close-code):
// spec.CloseAbnormal (1006) if no Close was received. Bytes still owed are
// dropped, and the Conn is closed.
func (c *Conn) TransportClosed() spec.CloseCode {
	c.transportClosed = true
	c.closeOwed = false
	c.out = c.out[:0]
	return c.CloseCode()
}

// State returns the state of the closing handshake.
func (c *Conn) State() ConnState {
	switch {
	case c.transportClosed:
		return StateClosed
	case c.failed != nil:
		if c.closeOwed {
			return StateClosing
		}
		return StateClosed
	case c.closeSent && c.closeReceived:
		return StateClosed
	case c.closeSent || c.closeReceived:
		return StateClosing
	}
	return StateOpen
}

// ShouldCloseTransport reports whether the caller should now close the
// transport, after writing what Outgoing returns: a server once Closes
// were both sent and received (R-5.5.1-close-tcp: the server closes
// first), either role once it failed the connection (R-7.1.7-fail). A
// client that completed the closing handshake waits for the server to
// close the transport, and may close it itself after a timeout
// (R-7.1.1-close-tcp-cleanly). It is false while bytes are still owed.
func (c *Conn) ShouldCloseTransport() bool {
	switch {
	case c.transportClosed, c.closeOwed, len(c.out) > 0:
		return false
	case c.failed != nil:
		return true
	}
	return c.closeSent && c.closeReceived && c.role == RoleServer
}

// CloseSent reports whether our Close has been handed out.
func (c *Conn) CloseSent() bool { return c.closeSent }

// CloseReceived reports whether the peer's Close has been received.
func (c *Conn) CloseReceived() bool { return c.closeReceived }

// Clean reports whether the closing handshake completed: a Close was
// both sent and received (R-7.1.4-closed).
func (c *Conn) Clean() bool { return c.closeSent && c.closeReceived }

// CloseCode returns the connection's close code (R-7.1.5-close-code): the
// code of the Close received, spec.CloseNoStatus (1005) if it had none,
// spec.CloseAbnormal (1006) if the transport closed before a Close was
// received, and 0 while neither has happened.
func (c *Conn) CloseCode() spec.CloseCode {
	switch {
	case c.closeReceived:
		return c.recvCode
	case c.transportClosed:
		return spec.CloseAbnormal
	}
	return 0
}

// CloseReason returns the reason of the Close received, or an empty
// string (R-7.1.6-close-reason).
func (c *Conn) CloseReason() string { return string(c.recvReason[:c.recvReasonN]) }

// Err returns the error that failed the connection, or nil: the
// *ProtocolError Receive returned, or a local failure such as an error
// reading masking keys.
func (c *Conn) Err() error { return c.failed }
