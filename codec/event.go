package codec

import (
	"strconv"

	"github.com/wskit/wskit/spec"
)

// An EventKind says what a Decoder found in its input.
type EventKind uint8

// The events a Decoder reports, in the spirit of wsproto's events. A data
// message arrives as EventMessageStart, zero or more EventPayload pieces
// and EventMessageEnd; control frames may come between its pieces
// (R-5.4-control-interleave) and arrive whole.
const (
	EventNone         EventKind = iota // nothing (more) to report: all of the input was consumed
	EventMessageStart                  // a data message starts; Opcode is spec.OpText or spec.OpBinary
	EventPayload                       // Data is the next piece of the current message's payload (unmasked, validated)
	EventMessageEnd                    // the current message is complete (text: UTF-8 verified to the end)
	EventPing                          // Data is the ping payload (whole, at most 125 bytes)
	EventPong                          // Data is the pong payload
	EventClose                         // Code (spec.CloseNoStatus if the body was empty) and Data = reason bytes
	EventMessage                       // a whole one-frame data message (Decoder.DecodeWhole only): Opcode, and Data is its entire payload
)

var eventKindNames = [...]string{
	EventNone:         "none",
	EventMessageStart: "message-start",
	EventPayload:      "payload",
	EventMessageEnd:   "message-end",
	EventPing:         "ping",
	EventPong:         "pong",
	EventClose:        "close",
	EventMessage:      "message",
}

// String returns the kind's name, such as "message-start", or
// "EventKind(n)" for an unknown value.
func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// An Event is one thing a Decoder found: the start, a payload piece or the
// end of a data message, or a whole control frame.
//
// Data aliases memory the Event does not own; the method that returned the
// Event says which memory and until when it stays valid.
type Event struct {
	// Kind says what happened.
	Kind EventKind
	// Opcode is the message's opcode (spec.OpText or spec.OpBinary) for
	// EventMessageStart, EventPayload, EventMessageEnd and EventMessage, and the
	// frame's opcode for control events.
	Opcode spec.Opcode
	// Data is the payload piece (EventPayload), the whole payload
	// (EventMessage), the ping or pong payload,
	// or the close reason (EventClose). It is nil for EventMessageStart
	// and EventMessageEnd.
	Data []byte
	// Code is the status code of a Close frame, or spec.CloseNoStatus
	// (1005) when its body was empty (R-7.1.5-close-code). It is zero
	// for other events.
	Code spec.CloseCode
}
