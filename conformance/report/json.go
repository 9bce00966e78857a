package conformance

import (
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteIndexJSON writes Autobahn|Testsuite's index.json for results:
//
//	agent -> case ID -> {"behavior", "behaviorClose", "duration" (ms),
//	                     "remoteCloseCode" (int or null), "reportfile"}
//
// in Autobahn's layout (see report_pyjson.go), so tools that read
// Autobahn's index read this one. As there, agents and case IDs are JSON
// keys sorted as strings ("1.1.1" < "10.1.1" < "2.1"), not in case order.
// nil results are skipped.
func WriteIndexJSON(w io.Writer, results []*Result) error {
	byAgent := map[string][]pyjsonMember{}
	for _, r := range results {
		if r == nil {
			continue
		}
		byAgent[r.Agent] = append(byAgent[r.Agent], pyjsonMember{r.ID, pyjsonSorted(
			pyjsonMember{"behavior", string(r.Behavior)},
			pyjsonMember{"behaviorClose", string(r.BehaviorClose)},
			pyjsonMember{"duration", reportDurationMS(int64(r.Duration))},
			pyjsonMember{"remoteCloseCode", reportCloseCode(r.RemoteCloseCode, r.HasRemoteCloseCode)},
			pyjsonMember{"reportfile", CaseReportFile(r.Agent, r.ID)},
		)})
	}
	index := make([]pyjsonMember, 0, len(byAgent))
	for agent, cases := range byAgent {
		index = append(index, pyjsonMember{agent, pyjsonSorted(cases...)})
	}
	_, err := w.Write(pyjsonAppend(nil, pyjsonSorted(index...), 0))
	return err
}

// WriteCaseJSON writes the per-case report of r in Autobahn|Testsuite's
// format: its 39 keys (agent, behavior, behaviorClose, case, closedByMe,
// createStats, createWirelog, description, droppedByMe, duration,
// expectation, expected, expectedClose, failedByMe, httpRequest,
// httpResponse, id, isServer, localCloseCode, localCloseReason, received,
// remoteCloseCode, remoteCloseReason, reportCompressionRatio, reportTime,
// result, resultClose, rxFrameStats, rxOctetStats, started, trafficStats,
// txFrameStats, txOctetStats, wasClean, wasCloseHandshakeTimeout,
// wasNotCleanReason, wasOpenHandshakeTimeout,
// wasServerConnectionDropTimeout, wirelog) and wskit's three additions,
// named so as not to collide with them:
//
//	"requirements"    the requirement IDs (package spec) the case checks
//	"reason"          Result.Reason, the verdict in one line
//	"protocolErrors"  the testee's protocol violations the runner found
//
// Fields Result documents as null when empty or zero are written as null.
// "started" is UTC with milliseconds ("2024-01-18T07:40:51.334Z"), or
// null if unknown; "duration" is whole milliseconds. isServer and
// reportCompressionRatio are false and trafficStats is null: the runner is
// always the client and reports no compression ratios. A nil Expected or
// ExpectedClose (the connection never opened) is written as {}.
//
// Payloads in events and in the wire log are shown as Autobahn shows them:
// a payload longer than 60 octets is cut to its first 64 and gets " ...";
// text Python 2 can decode is shown as text (encoded surrogates as \udXXX
// escapes), anything else as "0x" and hex.
func WriteCaseJSON(w io.Writer, r *Result) error {
	_, err := w.Write(pyjsonAppend(nil, reportCaseObject(r), 0))
	return err
}

// reportCaseObject builds the per-case report object of r.
func reportCaseObject(r *Result) pyjsonObject {
	return pyjsonSorted(
		pyjsonMember{"agent", r.Agent},
		pyjsonMember{"behavior", string(r.Behavior)},
		pyjsonMember{"behaviorClose", string(r.BehaviorClose)},
		pyjsonMember{"case", r.Index},
		pyjsonMember{"closedByMe", r.ClosedByMe},
		pyjsonMember{"createStats", true},
		pyjsonMember{"createWirelog", r.CreateWirelog},
		pyjsonMember{"description", r.Description},
		pyjsonMember{"droppedByMe", r.DroppedByMe},
		pyjsonMember{"duration", reportDurationMS(int64(r.Duration))},
		pyjsonMember{"expectation", r.Expectation},
		pyjsonMember{"expected", reportExpected(r.Expected)},
		pyjsonMember{"expectedClose", reportExpectedClose(r.ExpectedClose)},
		pyjsonMember{"failedByMe", r.FailedByMe},
		pyjsonMember{"httpRequest", r.HTTPRequest},
		pyjsonMember{"httpResponse", r.HTTPResponse},
		pyjsonMember{"id", r.ID},
		pyjsonMember{"isServer", false},
		pyjsonMember{"localCloseCode", reportCloseCode(r.LocalCloseCode, r.HasLocalCloseCode)},
		pyjsonMember{"localCloseReason", reportNullString(r.LocalCloseReason)},
		pyjsonMember{"received", reportEvents(r.Received)},
		pyjsonMember{"remoteCloseCode", reportCloseCode(r.RemoteCloseCode, r.HasRemoteCloseCode)},
		pyjsonMember{"remoteCloseReason", reportNullString(r.RemoteCloseReason)},
		pyjsonMember{"reportCompressionRatio", false},
		pyjsonMember{"reportTime", r.ReportTime},
		pyjsonMember{"result", r.Result},
		pyjsonMember{"resultClose", r.ResultClose},
		pyjsonMember{"rxFrameStats", pyjsonStats(r.RxFrameStats)},
		pyjsonMember{"rxOctetStats", pyjsonStats(r.RxOctetStats)},
		pyjsonMember{"started", reportNullString(reportStarted(r.Started))},
		pyjsonMember{"trafficStats", nil},
		pyjsonMember{"txFrameStats", pyjsonStats(r.TxFrameStats)},
		pyjsonMember{"txOctetStats", pyjsonStats(r.TxOctetStats)},
		pyjsonMember{"wasClean", r.WasClean},
		pyjsonMember{"wasCloseHandshakeTimeout", r.WasCloseHandshakeTimeout},
		pyjsonMember{"wasNotCleanReason", reportNullString(r.WasNotCleanReason)},
		pyjsonMember{"wasOpenHandshakeTimeout", r.WasOpenHandshakeTimeout},
		pyjsonMember{"wasServerConnectionDropTimeout", r.WasServerConnectionDropTimeout},
		pyjsonMember{"wirelog", reportWireLog(r.WireLog)},
		// wskit's additions.
		pyjsonMember{"protocolErrors", reportStrings(r.ProtocolErrors)},
		pyjsonMember{"reason", r.Reason},
		pyjsonMember{"requirements", reportStrings(r.Requirements)},
	)
}

// reportCloseCode returns code, or nil (null) when there is none: code 0
// is a real code (an endpoint can send it, and 7.9.1 does).
func reportCloseCode(code int, has bool) any {
	if !has {
		return nil
	}
	return code
}

// reportNullInt returns n, or nil (null) for 0.
func reportNullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// reportNullString returns s, or nil (null) for "".
func reportNullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// reportStrings returns ss as a JSON array ([] when empty).
func reportStrings(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// reportExpected returns the expected event lists by verdict.
func reportExpected(m map[Verdict][]Event) pyjsonObject {
	members := make([]pyjsonMember, 0, len(m))
	for v, events := range m {
		members = append(members, pyjsonMember{string(v), reportEvents(events)})
	}
	return pyjsonSorted(members...)
}

// reportExpectedClose returns the close expectation, {} for nil. The key
// closedByWrongEndpointIsFatal is present only when true, as Autobahn's
// cases set it only where it applies.
func reportExpectedClose(c *ExpectedClose) pyjsonObject {
	if c == nil {
		return pyjsonObject{}
	}
	codes := make([]any, len(c.CloseCode))
	for i, code := range c.CloseCode {
		codes[i] = code
	}
	obj := pyjsonSorted(
		pyjsonMember{"closeCode", codes},
		pyjsonMember{"closedByMe", c.ClosedByMe},
		pyjsonMember{"requireClean", c.RequireClean},
	)
	if c.ClosedByWrongEndpointIsFatal {
		obj = pyjsonSorted(append(obj, pyjsonMember{"closedByWrongEndpointIsFatal", true})...)
	}
	return obj
}

// reportEvents encodes events as Autobahn does:
// ["message", preview, isBinary], ["pong", preview], ["timeout", tag].
func reportEvents(events []Event) []any {
	out := make([]any, len(events))
	for i, e := range events {
		switch e.Kind {
		case EventMessage:
			out[i] = []any{string(e.Kind), previewText(e.Payload, len(e.Payload)), e.Binary}
		case EventPong:
			out[i] = []any{string(e.Kind), previewText(e.Payload, len(e.Payload))}
		default:
			out[i] = []any{string(e.Kind), e.Tag}
		}
	}
	return out
}

// reportWireLog encodes a wire log in Autobahn's row layouts:
//
//	["RO", [len, hex]]
//	["TO", [len, hex], sync]
//	["RF", [len, text], opcode, fin, rsv, masked, mask|null]
//	["TF", [len, text], opcode, fin, rsv, mask|null, repeatLength|null, chopsize|null, sync]
//	["CT", delay, tag|null]   ["CTE", tag|null]
//	["KL", delay]  ["KLE"]  ["TI", delay]  ["TIE"]
//	["WLM", enabled]
//
// An entry of an unknown kind is written as its tag alone.
func reportWireLog(log []WireEntry) []any {
	out := make([]any, len(log))
	for i, e := range log {
		tag := string(e.Kind)
		switch e.Kind {
		case WireRead:
			out[i] = []any{tag, []any{e.Len, previewHex(e.Data, e.Len)}}
		case WireWrite:
			out[i] = []any{tag, []any{e.Len, previewHex(e.Data, e.Len)}, e.Sync}
		case WireFrameIn:
			out[i] = []any{tag, []any{e.Len, previewText(e.Data, e.Len)}, e.Opcode, e.Fin, e.Rsv, e.Masked, reportMask(e.Mask)}
		case WireFrameOut:
			out[i] = []any{tag, []any{e.Len, previewText(e.Data, e.Len)}, e.Opcode, e.Fin, e.Rsv, reportMask(e.Mask),
				reportNullInt(e.RepeatLength), reportNullInt(e.ChopSize), e.Sync}
		case WireContinue:
			out[i] = []any{tag, e.Delay, reportNullString(e.Tag)}
		case WireContinueRun:
			out[i] = []any{tag, reportNullString(e.Tag)}
		case WireKill, WireCloseTimer:
			out[i] = []any{tag, e.Delay}
		case WireLogging:
			out[i] = []any{tag, e.Enabled}
		default: // KLE, TIE, and kinds added later
			out[i] = []any{tag}
		}
	}
	return out
}

// reportMask returns a masking key in lower-case hex, or nil (null).
func reportMask(key []byte) any {
	if len(key) == 0 {
		return nil
	}
	return hex.EncodeToString(key)
}

// reportEventText returns an event as one line for people: the kind, then
// for messages "text" or "binary" and the payload preview, for pongs the
// preview, for timeouts the tag.
func reportEventText(e Event) string {
	switch e.Kind {
	case EventMessage:
		kind := "text"
		if e.Binary {
			kind = "binary"
		}
		return "message " + kind + " " + strconv.Itoa(len(e.Payload)) + " " + reportDisplay(previewText(e.Payload, len(e.Payload)))
	case EventPong:
		return "pong " + strconv.Itoa(len(e.Payload)) + " " + reportDisplay(previewText(e.Payload, len(e.Payload)))
	}
	return string(e.Kind) + " " + e.Tag
}

// reportDisplay turns s into valid UTF-8 for people and for HTML and XML
// pages: a character Python 2 decodes but Go cannot (an encoded surrogate)
// is written as \udXXX, a byte neither decodes as U+FFFD, and control
// characters other than line feed and tab, and noncharacters such as
// U+FFFF, as \uXXXX (\UXXXXXXXX above U+FFFF). Quotes frame the result so
// blanks at either end stay visible.
func reportDisplay(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := pyjsonDecodeRune(s[i:])
		switch {
		case size == 0:
			b.WriteRune(0xfffd)
			size = 1
		case r > 0xffff && r&0xfffe == 0xfffe:
			fmt.Fprintf(&b, "\\U%08x", r)
		case r >= 0xd800 && r <= 0xdfff, r < 0x20 && r != '\n' && r != '\t', r >= 0x7f && r <= 0x9f,
			r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
			b.Write(pyjsonAppendU(nil, r))
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

// reportStarted formats a start time for people, or "" if unknown.
func reportStarted(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
