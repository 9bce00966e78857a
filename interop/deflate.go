package interop

// The decoder vectors of deflate.json: byte streams an endpoint receives
// after agreeing on permessage-deflate (RFC 7692). Each library runs with
// permessage-deflate on, as its driver's Deflate line says, and agrees on it
// through a real opening handshake: as a server it answers the vector's
// "agreed" element sent as the offer; as a client it makes its own offers
// and the harness answers with the vector's parameters, adjusted to what the
// client offered so that the answer stays valid (RFC 7692 section 7.1).
// When the parameters the library agreed on give the vector's bytes another
// meaning (wskit's Conn, configured with them, reads other messages or
// another failure), the vector is not applicable to it: a library is judged
// only on streams that are right for what it agreed.

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
)

// isBomb reports whether a deflate vector is one whose inflated size is
// its point: its run goes alone, with the memory it allocates recorded.
// Every input in deflate.json inflates to at most 16 MiB (bomb-16MiB-text),
// far below allocBound, so a library that inflates it whole cannot take the
// machine down; no vector is cut or skipped for its size.
func isBomb(v vectors.DeflateDecoderVector) bool {
	for _, id := range v.Requirements {
		if id == "R-10.4-limits" {
			return true
		}
	}
	return false
}

// asDecoderVector is v without its agreed parameters, for judgeDecoder.
func asDecoderVector(v vectors.DeflateDecoderVector) vectors.DecoderVector {
	return vectors.DecoderVector{Common: v.Common, Role: v.Role, Limits: v.Limits, Input: v.Input, Events: v.Events, Error: v.Error}
}

// runDeflate runs one decoder vector of deflate.json through lib with
// permessage-deflate on.
func runDeflate(lib Library, v vectors.DeflateDecoderVector) Result {
	r := Result{Library: lib.Name, File: "deflate", ID: v.ID, Requirements: v.Requirements, Valid: v.Error == nil}
	if lib.Deflate == "" {
		r.Verdict, r.Detail = NotApplicable, "no permessage-deflate"
		return r
	}
	if ok, why := applicable(lib, v.Limits); !ok {
		r.Verdict, r.Detail = NotApplicable, why
		return r
	}
	want, err := agreedParams(v.Agreed)
	if err != nil {
		r.Verdict, r.Detail = Crashes, "vector: "+err.Error()
		return r
	}
	var plan extPlan
	if v.Role == "server" {
		plan.offer = []handshake.Extension{want.Extension()}
	} else {
		plan.answer = func(offered []handshake.Extension) []handshake.Extension {
			if e, ok := answerOffers(offered, want); ok {
				return []handshake.Extension{e}
			}
			return nil
		}
	}
	l, err := openWith(lib, v.Role, Config{Limits: v.Limits, Deflate: true, DeflateOffer: &want}, plan)
	if err != nil {
		if v.Role == "client" {
			r.Verdict, r.Detail = NotApplicable, "the client failed the opening handshake: "+oneLine(err.Error())
		} else {
			r.Verdict, r.Detail = Crashes, "no connection: "+oneLine(err.Error())
		}
		return r
	}
	agreement := paramsText(l.accepted)
	got, ok, err := deflate.VerifyResponse(l.offered, l.accepted)
	note := ""
	if err != nil {
		// A server's answer a client must fail (gws adds window bits
		// nobody offered): read on with the parameters it states, to
		// see what its decoder does.
		got, ok = responseParams(l.accepted)
		note = "; a client must fail that answer: " + err.Error()
	}
	switch {
	case !ok:
		l.close()
		why := "declined permessage-deflate"
		if v.Role == "client" {
			why = fmt.Sprintf("offered %q, which no answer with the vector's parameters fits", handshake.FormatExtensions(l.offered))
		}
		r.Verdict, r.Detail = NotApplicable, oneLine(why)
		return r
	case got != want && !sameMeaning(v, got):
		l.close()
		r.Verdict, r.Detail = NotApplicable, fmt.Sprintf("the stream means something else under %s%s", agreement, note)
		return r
	}
	dv := asDecoderVector(v)
	run := observe(l, v.Input)
	r.Verdict, r.Detail = judgeDecoder(dv, run)
	if r.Verdict == Conforms && run.wireErr != nil {
		r.Verdict, r.Detail = Differs, "sent a frame RFC 6455 forbids: "+oneLine(run.wireErr.Error())
	}
	if got != want {
		r.Detail += fmt.Sprintf(" (agreed: %s%s)", agreement, note)
	}
	return r
}

// paramsText prints the parameters of the permessage-deflate element of a
// server's answer, briefly, for a table cell.
func paramsText(accepted []handshake.Extension) string {
	for _, e := range accepted {
		if e.Name != deflate.ExtensionName {
			continue
		}
		if len(e.Params) == 0 {
			return "no parameters"
		}
		s := handshake.FormatExtensions([]handshake.Extension{e})
		return strings.TrimPrefix(s, deflate.ExtensionName+"; ")
	}
	return "nothing"
}

// responseParams reads the permessage-deflate element of a server's
// answer without comparing it with the offers.
func responseParams(accepted []handshake.Extension) (deflate.Params, bool) {
	for _, e := range accepted {
		if e.Name == deflate.ExtensionName {
			p, err := deflate.ParseResponse(e)
			return p, err == nil
		}
	}
	return deflate.Params{}, false
}

// agreedParams parses a vector's agreed element.
func agreedParams(s string) (deflate.Params, error) {
	exts, err := handshake.ParseExtensions(s)
	if err != nil {
		return deflate.Params{}, err
	}
	if len(exts) != 1 {
		return deflate.Params{}, fmt.Errorf("agreed %q is not one element", s)
	}
	return deflate.ParseResponse(exts[0])
}

// answerOffers is the harness server's answer to a library client's
// offers: the first valid permessage-deflate offer, answered with the
// vector's parameters as far as RFC 7692 section 7.1 allows, which the
// client's offer may change: server_no_context_takeover echoed when offered,
// server_max_window_bits only when offered (its offered value when the
// vector has none or a larger one), client_no_context_takeover added when
// offered (the client's own sending, which the vector does not test: gorilla's
// client fails an answer without it), client_max_window_bits never.
func answerOffers(offered []handshake.Extension, want deflate.Params) (handshake.Extension, bool) {
	for _, e := range offered {
		if e.Name != deflate.ExtensionName {
			continue
		}
		o, err := deflate.ParseOffer(e)
		if err != nil {
			continue
		}
		p := deflate.Params{
			ServerNoContextTakeover: want.ServerNoContextTakeover || o.ServerNoContextTakeover,
			ClientNoContextTakeover: want.ClientNoContextTakeover || o.ClientNoContextTakeover,
		}
		switch {
		case o.ServerMaxWindowBits == 0:
		case want.ServerMaxWindowBits == 0 || want.ServerMaxWindowBits > o.ServerMaxWindowBits:
			p.ServerMaxWindowBits = o.ServerMaxWindowBits
		default:
			p.ServerMaxWindowBits = want.ServerMaxWindowBits
		}
		return p.Extension(), true
	}
	return handshake.Extension{}, false
}

// sameMeaning reports whether wskit's Conn, in v's role and configured with
// parameters p instead of v's, reads v's input as v expects: the same
// messages and the same failure.
func sameMeaning(v vectors.DeflateDecoderVector, p deflate.Params) bool {
	role := codec.RoleServer
	if v.Role == "client" {
		role = codec.RoleClient
	}
	opts := codec.ConnOptions{Role: role, Rand: rand.Reader}
	if l := v.Limits; l != nil {
		opts.MaxFramePayload, opts.MaxMessage = l.MaxFramePayload, l.MaxMessage
		opts.MaxFragments, opts.AllowNonMinimalLength = l.MaxFragments, l.AllowNonMinimalLength
	}
	if err := deflate.Configure(&opts, p, 0, nil); err != nil {
		return false
	}
	c, err := codec.NewConn(opts)
	if err != nil {
		return false
	}
	var got []Message
	var msg []byte
	text := false
	in := append([]byte(nil), v.Input...)
	var perr error
	for len(in) > 0 && perr == nil {
		n := min(len(in), 1024)
		evs, err := c.Receive(in[:n])
		in = in[n:]
		perr = err
		for _, ev := range evs {
			switch ev.Kind {
			case codec.EventMessageStart:
				msg, text = []byte{}, ev.Opcode == spec.OpText
			case codec.EventPayload:
				msg = append(msg, ev.Data...)
			case codec.EventMessageEnd:
				got = append(got, Message{Text: text, Data: msg})
			}
		}
	}
	if !sameMessages(got, dataEvents(beforeClose(v.Events))) {
		return false
	}
	var pe *codec.ProtocolError
	if v.Error == nil {
		return perr == nil
	}
	return errors.As(perr, &pe) && int(pe.Code) == v.Error.CloseCode
}

// measuredAlloc runs f alone and records in its result what the process
// allocated meanwhile (runtime.MemStats.TotalAlloc), turning it into
// Crashes beyond allocBound.
func measuredAlloc(f func() Result) Result {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := f()
	runtime.ReadMemStats(&after)
	r.Alloc = after.TotalAlloc - before.TotalAlloc
	r.Measured = true
	if r.Alloc > allocBound && r.Verdict != NotApplicable {
		r.Verdict = Crashes
		r.Detail = "allocated " + mib(r.Alloc) + " during the run (" + r.Detail + ")"
	}
	return r
}

// bombSizes gives, for each deflate.json vector on the inflated size, its
// input size and the total size of the messages its input inflates to,
// as "input | inflated" table cells.
func bombSizes() map[string]string {
	out := map[string]string{}
	df, err := vectors.Deflate()
	if err != nil {
		return out
	}
	for _, v := range df.Decoder {
		if !isBomb(v) {
			continue
		}
		out[v.ID] = fmt.Sprintf("%s | %s", kib(uint64(len(v.Input))), kib(inflatedSize(v)))
	}
	return out
}

// inflatedSize is what wskit's Conn inflates v's input to with no limit:
// the size of the messages it holds, whole.
func inflatedSize(v vectors.DeflateDecoderVector) uint64 {
	p, err := agreedParams(v.Agreed)
	if err != nil {
		return 0
	}
	role := codec.RoleServer
	if v.Role == "client" {
		role = codec.RoleClient
	}
	opts := codec.ConnOptions{Role: role, Rand: rand.Reader, MaxMessage: 1 << 30}
	if deflate.Configure(&opts, p, 0, nil) != nil {
		return 0
	}
	c, err := codec.NewConn(opts)
	if err != nil {
		return 0
	}
	var n uint64
	in := append([]byte(nil), v.Input...)
	for len(in) > 0 {
		k := min(len(in), 1024)
		evs, err := c.Receive(in[:k])
		in = in[k:]
		for _, ev := range evs {
			if ev.Kind == codec.EventPayload {
				n += uint64(len(ev.Data))
			}
		}
		if err != nil {
			break
		}
	}
	return n
}

// runOffer sends one offers vector of deflate.json to lib's server, with
// permessage-deflate on, and judges the Sec-WebSocket-Extensions of its
// answer. wskit, configured with the vector's policy, must answer exactly
// the vector's response. Another server may answer differently (SCHEMA.md):
// it conforms when it answers 101 (declining is never an HTTP error,
// D-7-server-decline) and either declines or accepts a valid offer with an
// answer a client's checks pass (deflate.VerifyResponse against the valid
// offers). Accepting when every offer is invalid is lenient.
func runOffer(lib Library, v vectors.DeflateOfferVector) Result {
	r := Result{Library: lib.Name, File: "deflate", ID: v.ID, Requirements: v.Requirements, Valid: true}
	switch {
	case lib.Deflate == "":
		r.Verdict, r.Detail = NotApplicable, "no permessage-deflate"
		return r
	case v.Server != nil && !lib.Exact:
		r.Verdict, r.Detail = NotApplicable, "the driver sets no permessage-deflate policy"
		return r
	}
	srv, err := lib.Serve(Config{Deflate: true, DeflatePolicy: v.Server})
	if err != nil {
		r.Verdict, r.Detail = Crashes, err.Error()
		return r
	}
	defer srv.Stop()
	conn, err := net.DialTimeout("tcp", srv.Addr, hangTimeout)
	if err != nil {
		r.Verdict, r.Detail = Crashes, err.Error()
		return r
	}
	defer conn.Close()
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	req, err := handshake.NewRequest("ws://"+srv.Addr+"/", nonce, handshake.RequestOptions{
		Header: handshake.Header{{Name: "Sec-WebSocket-Extensions", Value: v.Offers}},
	})
	if err != nil {
		r.Verdict, r.Detail = Crashes, "vector: "+err.Error()
		return r
	}
	_ = conn.SetDeadline(time.Now().Add(hangTimeout))
	_, _ = conn.Write(req.Append(nil))
	resp, _, err := readResponse(conn)
	r.Verdict, r.Detail = judgeOffer(lib, v, resp, err)
	return r
}

// judgeOffer compares a server's answer to an offers vector.
func judgeOffer(lib Library, v vectors.DeflateOfferVector, resp *handshake.Response, err error) (Verdict, string) {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return Hangs, fmt.Sprintf("no answer within %v", hangTimeout)
	case err != nil && resp == nil && isEOF(err):
		return RejectsValid, "closed the connection without an answer"
	case err != nil:
		return Differs, "unreadable answer: " + oneLine(err.Error())
	case resp.Status != 101:
		return RejectsValid, fmt.Sprintf("answered %d", resp.Status)
	}
	accepted, err := handshake.ParseExtensions(resp.Header.Values("Sec-WebSocket-Extensions")...)
	if err != nil {
		return Differs, "unparsable Sec-WebSocket-Extensions: " + oneLine(err.Error())
	}
	got := handshake.FormatExtensions(accepted)
	if lib.Exact {
		if got != v.Response {
			return Differs, fmt.Sprintf("answered %q, want %q", got, v.Response)
		}
		return Conforms, fmt.Sprintf("answered %q", got)
	}
	offers, perr := handshake.ParseExtensions(v.Offers)
	var valid []handshake.Extension
	for i, o := range offers {
		if perr == nil && i < len(v.Valid) && v.Valid[i] {
			valid = append(valid, o)
		}
	}
	if _, ok := responseParams(accepted); !ok && !slices.ContainsFunc(accepted, func(e handshake.Extension) bool { return e.Name == deflate.ExtensionName }) {
		return Conforms, "declined"
	}
	if len(valid) == 0 {
		return Lenient, fmt.Sprintf("accepted an invalid offer: %q", got)
	}
	if _, _, err := deflate.VerifyResponse(valid, accepted); err != nil {
		return Differs, fmt.Sprintf("answered %q, which a client must fail: %v", got, err)
	}
	if got != v.Response {
		return Conforms, fmt.Sprintf("answered %q (wskit: %q)", got, v.Response)
	}
	return Conforms, fmt.Sprintf("answered %q", got)
}
