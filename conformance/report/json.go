package report

import (
	"encoding/hex"
	"io"
	"strconv"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/report/internal/pyjson"
)

// WriteIndexJSON writes Autobahn|Testsuite's index.json for results:
//
//	agent -> case ID -> {"behavior", "behaviorClose", "duration" (ms),
//	                     "remoteCloseCode" (int or null), "reportfile"}
//
// in Autobahn's layout (see package pyjson), so tools that read
// Autobahn's index read this one. As there, agents and case IDs are JSON
// keys sorted as strings ("1.1.1" < "10.1.1" < "2.1"), not in case order.
// nil results are skipped.
func WriteIndexJSON(w io.Writer, results []*conformance.Result) error {
	byAgent := map[string][]pyjson.Member{}
	for _, r := range results {
		if r == nil {
			continue
		}
		byAgent[r.Agent] = append(byAgent[r.Agent], pyjson.Member{Key: r.ID, Value: pyjson.Sorted(
			pyjson.Member{Key: "behavior", Value: string(r.Behavior)},
			pyjson.Member{Key: "behaviorClose", Value: string(r.BehaviorClose)},
			pyjson.Member{Key: "duration", Value: durationMS(int64(r.Duration))},
			pyjson.Member{Key: "remoteCloseCode", Value: closeCode(r.RemoteCloseCode, r.HasRemoteCloseCode)},
			pyjson.Member{Key: "reportfile", Value: CaseReportFile(r.Agent, r.ID)},
		)})
	}
	index := make([]pyjson.Member, 0, len(byAgent))
	for agent, cases := range byAgent {
		index = append(index, pyjson.Member{Key: agent, Value: pyjson.Sorted(cases...)})
	}
	_, err := w.Write(pyjson.Append(nil, pyjson.Sorted(index...), 0))
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
// wasServerConnectionDropTimeout, wirelog) and wskit's five additions,
// named so as not to collide with them:
//
//	"requirements"    the requirement IDs (package spec) the case checks
//	"reason"          Result.Reason, the verdict in one line
//	"protocolErrors"  the testee's protocol violations the runner found
//	"truncated"       why the runner stopped recording (Result.Truncated), or null
//	"wirelogDropped"  wire-log entries left out past the budget
//
// Fields Result documents as null when empty or zero are written as null.
// "started" is UTC with milliseconds ("2024-01-18T07:40:51.334Z"), or
// null if unknown; "duration" is whole milliseconds. isServer is Result.IsServer;
// reportCompressionRatio is false and trafficStats null: the runner reports
// no compression ratios yet. A nil Expected or
// ExpectedClose (the connection never opened) is written as {}.
//
// Payloads in events and in the wire log are shown as Autobahn shows them:
// a payload longer than 60 octets is cut to its first 64 and gets " ...";
// text Python 2 can decode is shown as text (encoded surrogates as \udXXX
// escapes), anything else as "0x" and hex.
func WriteCaseJSON(w io.Writer, r *conformance.Result) error {
	_, err := w.Write(pyjson.Append(nil, caseObject(r), 0))
	return err
}

// caseObject builds the per-case report object of r.
func caseObject(r *conformance.Result) pyjson.Object {
	return pyjson.Sorted(
		pyjson.Member{Key: "agent", Value: r.Agent},
		pyjson.Member{Key: "behavior", Value: string(r.Behavior)},
		pyjson.Member{Key: "behaviorClose", Value: string(r.BehaviorClose)},
		pyjson.Member{Key: "case", Value: r.Index},
		pyjson.Member{Key: "closedByMe", Value: r.ClosedByMe},
		pyjson.Member{Key: "createStats", Value: true},
		pyjson.Member{Key: "createWirelog", Value: r.CreateWirelog},
		pyjson.Member{Key: "description", Value: r.Description},
		pyjson.Member{Key: "droppedByMe", Value: r.DroppedByMe},
		pyjson.Member{Key: "duration", Value: durationMS(int64(r.Duration))},
		pyjson.Member{Key: "expectation", Value: r.Expectation},
		pyjson.Member{Key: "expected", Value: expected(r.Expected)},
		pyjson.Member{Key: "expectedClose", Value: expectedClose(r.ExpectedClose)},
		pyjson.Member{Key: "failedByMe", Value: r.FailedByMe},
		pyjson.Member{Key: "httpRequest", Value: r.HTTPRequest},
		pyjson.Member{Key: "httpResponse", Value: r.HTTPResponse},
		pyjson.Member{Key: "id", Value: r.ID},
		pyjson.Member{Key: "isServer", Value: r.IsServer},
		pyjson.Member{Key: "localCloseCode", Value: closeCode(r.LocalCloseCode, r.HasLocalCloseCode)},
		pyjson.Member{Key: "localCloseReason", Value: nullString(r.LocalCloseReason)},
		pyjson.Member{Key: "received", Value: eventList(r.Received)},
		pyjson.Member{Key: "remoteCloseCode", Value: closeCode(r.RemoteCloseCode, r.HasRemoteCloseCode)},
		pyjson.Member{Key: "remoteCloseReason", Value: nullString(r.RemoteCloseReason)},
		pyjson.Member{Key: "reportCompressionRatio", Value: false},
		pyjson.Member{Key: "reportTime", Value: r.ReportTime},
		pyjson.Member{Key: "result", Value: r.Result},
		pyjson.Member{Key: "resultClose", Value: r.ResultClose},
		pyjson.Member{Key: "rxFrameStats", Value: pyjson.Stats(r.RxFrameStats)},
		pyjson.Member{Key: "rxOctetStats", Value: pyjson.Stats(r.RxOctetStats)},
		pyjson.Member{Key: "started", Value: nullString(started(r.Started))},
		pyjson.Member{Key: "trafficStats", Value: nil},
		pyjson.Member{Key: "txFrameStats", Value: pyjson.Stats(r.TxFrameStats)},
		pyjson.Member{Key: "txOctetStats", Value: pyjson.Stats(r.TxOctetStats)},
		pyjson.Member{Key: "wasClean", Value: r.WasClean},
		pyjson.Member{Key: "wasCloseHandshakeTimeout", Value: r.WasCloseHandshakeTimeout},
		pyjson.Member{Key: "wasNotCleanReason", Value: nullString(r.WasNotCleanReason)},
		pyjson.Member{Key: "wasOpenHandshakeTimeout", Value: r.WasOpenHandshakeTimeout},
		pyjson.Member{Key: "wasServerConnectionDropTimeout", Value: r.WasServerConnectionDropTimeout},
		pyjson.Member{Key: "wirelog", Value: wireLog(r.WireLog)},
		// wskit's additions.
		pyjson.Member{Key: "protocolErrors", Value: stringList(r.ProtocolErrors)},
		pyjson.Member{Key: "reason", Value: r.Reason},
		pyjson.Member{Key: "requirements", Value: stringList(r.Requirements)},
		pyjson.Member{Key: "truncated", Value: nullString(r.Truncated)},
		pyjson.Member{Key: "wirelogDropped", Value: r.WireLogDropped},
	)
}

// closeCode returns code, or nil (null) when there is none: code 0
// is a real code (an endpoint can send it, and 7.9.1 does).
func closeCode(code int, has bool) any {
	if !has {
		return nil
	}
	return code
}

// nullInt returns n, or nil (null) for 0.
func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// nullString returns s, or nil (null) for "".
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// stringList returns ss as a JSON array ([] when empty).
func stringList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// expected returns the expected event lists by verdict.
func expected(m map[conformance.Verdict][]conformance.Event) pyjson.Object {
	members := make([]pyjson.Member, 0, len(m))
	for v, evs := range m {
		members = append(members, pyjson.Member{Key: string(v), Value: eventList(evs)})
	}
	return pyjson.Sorted(members...)
}

// expectedClose returns the close expectation, {} for nil. The key
// closedByWrongEndpointIsFatal is present only when true, as Autobahn's
// cases set it only where it applies.
func expectedClose(c *conformance.ExpectedClose) pyjson.Object {
	if c == nil {
		return pyjson.Object{}
	}
	codes := make([]any, len(c.CloseCode))
	for i, code := range c.CloseCode {
		codes[i] = code
	}
	obj := pyjson.Sorted(
		pyjson.Member{Key: "closeCode", Value: codes},
		pyjson.Member{Key: "closedByMe", Value: c.ClosedByMe},
		pyjson.Member{Key: "requireClean", Value: c.RequireClean},
	)
	if c.ClosedByWrongEndpointIsFatal {
		obj = pyjson.Sorted(append(obj, pyjson.Member{Key: "closedByWrongEndpointIsFatal", Value: true})...)
	}
	return obj
}

// eventList encodes events as Autobahn does:
// ["message", preview, isBinary], ["pong", preview], ["timeout", tag].
func eventList(evs []conformance.Event) []any {
	out := make([]any, len(evs))
	for i, e := range evs {
		switch e.Kind {
		case conformance.EventMessage:
			out[i] = []any{string(e.Kind), pyjson.PreviewText(e.Payload, e.Len()), e.Binary}
		case conformance.EventPong:
			out[i] = []any{string(e.Kind), pyjson.PreviewText(e.Payload, e.Len())}
		default:
			out[i] = []any{string(e.Kind), e.Tag}
		}
	}
	return out
}

// wireLog encodes a wire log in Autobahn's row layouts:
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
func wireLog(log []conformance.WireEntry) []any {
	out := make([]any, len(log))
	for i, e := range log {
		tag := string(e.Kind)
		switch e.Kind {
		case conformance.WireRead:
			out[i] = []any{tag, []any{e.Len, pyjson.PreviewHex(e.Data, e.Len)}}
		case conformance.WireWrite:
			out[i] = []any{tag, []any{e.Len, pyjson.PreviewHex(e.Data, e.Len)}, e.Sync}
		case conformance.WireFrameIn:
			out[i] = []any{tag, []any{e.Len, pyjson.PreviewText(e.Data, e.Len)}, e.Opcode, e.Fin, e.Rsv, e.Masked, mask(e.Mask)}
		case conformance.WireFrameOut:
			out[i] = []any{tag, []any{e.Len, pyjson.PreviewText(e.Data, e.Len)}, e.Opcode, e.Fin, e.Rsv, mask(e.Mask),
				nullInt(e.RepeatLength), nullInt(e.ChopSize), e.Sync}
		case conformance.WireContinue:
			out[i] = []any{tag, e.Delay, nullString(e.Tag)}
		case conformance.WireContinueRun:
			out[i] = []any{tag, nullString(e.Tag)}
		case conformance.WireKill, conformance.WireCloseTimer:
			out[i] = []any{tag, e.Delay}
		case conformance.WireLogging:
			out[i] = []any{tag, e.Enabled}
		default: // KLE, TIE, and kinds added later
			out[i] = []any{tag}
		}
	}
	return out
}

// mask returns a masking key in lower-case hex, or nil (null).
func mask(key []byte) any {
	if len(key) == 0 {
		return nil
	}
	return hex.EncodeToString(key)
}

// eventText returns an event as one line for people: the kind, then
// for messages "text" or "binary" and the payload preview, for pongs the
// preview, for timeouts the tag.
func eventText(e conformance.Event) string {
	switch e.Kind {
	case conformance.EventMessage:
		kind := "text"
		if e.Binary {
			kind = "binary"
		}
		return "message " + kind + " " + strconv.Itoa(e.Len()) + " " + pyjson.Display(pyjson.PreviewText(e.Payload, e.Len()))
	case conformance.EventPong:
		return "pong " + strconv.Itoa(e.Len()) + " " + pyjson.Display(pyjson.PreviewText(e.Payload, e.Len()))
	}
	return string(e.Kind) + " " + e.Tag
}

// started formats a start time for people, or "" if unknown.
func started(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
