package autobahn

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// Categories 12 and 13: permessage-deflate (RFC 7692). Each case offers
// permessage-deflate as Autobahn|Testsuite's fuzzing client does, then
// sends 1,000 compressed messages one at a time, each after the echo of
// the one before, and compares every echo with what it sent (type,
// length, content). Category 12 varies the payload (five corpora), 13
// the parameters offered (always the JSON corpus). A server that declines
// permessage-deflate gets UNIMPLEMENTED. The cases declare no event lists:
// like category 9 they judge their messages themselves, with Autobahn's
// texts (autobahn.md section 3.8), and report their durations.
var (
	payloadCompression = &Category{ID: "12", Name: "WebSocket Compression (different payloads)", AutobahnCases: 90,
		build: payloadCompressionCases, Captions: payloadCaptions()}
	paramCompression = &Category{ID: "13", Name: "WebSocket Compression (different parameters)", AutobahnCases: 126,
		build: paramCompressionCases, Captions: paramCaptions()}
)

// compressionMessages is how many messages each case of 12 and 13 sends.
const compressionMessages = 1000

// A compressionRow is one row of Autobahn's message-size table: the last
// component of every 12.x and 13.x case ID.
type compressionRow struct {
	size     int     // message size, in octets or (text) code points
	wait     float64 // the case's timeout, seconds
	fragment int     // frames of this many octets of compressed payload; 0: one frame
}

// compressionRows are rows 1-18 of the table.
var compressionRows = []compressionRow{
	{16, 60, 0}, {64, 60, 0}, {256, 120, 0}, {1024, 240, 0}, {4096, 480, 0},
	{8192, 480, 0}, {16384, 480, 0}, {32768, 480, 0}, {65536, 480, 0}, {131072, 480, 0},
	{8192, 480, 256}, {16384, 480, 256}, {32768, 480, 256}, {65536, 480, 256}, {131072, 480, 256},
	{131072, 480, 1024}, {131072, 480, 4096}, {131072, 480, 32768},
}

// deflateOffer writes one permessage-deflate offer as Autobahn's fuzzing
// client does: client_no_context_takeover and client_max_window_bits
// (without a value) first, then what it requests of the server.
func deflateOffer(serverNoContextTakeover bool, serverMaxWindowBits int) handshake.Extension {
	e := handshake.Extension{Name: "permessage-deflate", Params: []handshake.Param{
		{Name: "client_no_context_takeover"}, {Name: "client_max_window_bits"},
	}}
	if serverNoContextTakeover {
		e.Params = append(e.Params, handshake.Param{Name: "server_no_context_takeover"})
	}
	if serverMaxWindowBits != 0 {
		e.Params = append(e.Params, handshake.Param{Name: "server_max_window_bits", Value: fmt.Sprint(serverMaxWindowBits)})
	}
	return e
}

// A paramSet is one sub-category of 13: what the runner asks of the
// server, as Autobahn's (requestNoContextTakeover, requestMaxWindowBits)
// pairs, one offer per pair.
type paramSet [][2]int // {noContextTakeover (0/1), maxWindowBits}

var paramSets = []paramSet{
	{{0, 0}}, {{1, 0}}, {{0, 9}}, {{0, 15}}, {{1, 9}}, {{1, 15}},
	{{1, 9}, {1, 0}, {0, 0}},
}

// offers returns the Sec-WebSocket-Extensions elements of the set.
func (p paramSet) offers() []handshake.Extension {
	var out []handshake.Extension
	for _, o := range p {
		out = append(out, deflateOffer(o[0] == 1, o[1]))
	}
	return out
}

// python writes the set as Autobahn's captions do: [(True, 9), (False, 0)].
func (p paramSet) python() string {
	var parts []string
	for _, o := range p {
		parts = append(parts, fmt.Sprintf("(%s, %d)", pyBool(o[0] == 1), o[1]))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// accept is the set's accept rule as Autobahn's fuzzing server applies
// it to a client's offers (autobahn.md section 4, categories 12 and 13):
// for each pair in turn (13.7 has three: rule 13.5, else 13.2, else
// 13.1), the first valid permessage-deflate offer (the first that also
// offers client_max_window_bits, when the pair asks for a window) is
// accepted as it is, answering server_no_context_takeover and
// server_max_window_bits as offered, and asking client_no_context_takeover
// and client_max_window_bits=N of the client as the pair requests (never
// more than a value the client's offer gave, which deflate.ServerOptions
// keeps: Autobahn would ask for N, which RFC 7692 also allows). A client
// whose offers no pair accepts is declined: the case is then
// UNIMPLEMENTED, as Autobahn's is.
func (p paramSet) accept(offered []handshake.Extension) (deflate.Params, bool) {
	for _, o := range p {
		opts := deflate.ServerOptions{ClientNoContextTakeover: o[0] == 1, ClientMaxWindowBits: o[1]}
		candidates := offered
		if o[1] != 0 {
			candidates = nil
			for _, e := range offered {
				if q, err := deflate.ParseOffer(e); err == nil && e.Name == deflate.ExtensionName && q.ClientMaxWindowBits != 0 {
					candidates = append(candidates, e)
				}
			}
		}
		if _, agreed, ok := opts.Negotiate(candidates); ok {
			return agreed, true
		}
	}
	return deflate.Params{}, false
}

// rule describes the accept rule for the cases' descriptions against
// clients.
func (p paramSet) rule() string {
	var parts []string
	for _, o := range p {
		var asks []string
		if o[0] == 1 {
			asks = append(asks, "client_no_context_takeover")
		}
		if o[1] != 0 {
			asks = append(asks, fmt.Sprintf("client_max_window_bits=%d", o[1]))
		}
		switch {
		case len(asks) == 0:
			parts = append(parts, "the first valid offer, as it is")
		case o[1] != 0:
			parts = append(parts, "the first valid offer with client_max_window_bits, asking "+strings.Join(asks, " and "))
		default:
			parts = append(parts, "the first valid offer, asking "+strings.Join(asks, " and "))
		}
	}
	return strings.Join(parts, "; else ")
}

// requirements lists what the set asks the testee to honour: with client
// false, what the runner's offers ask of a server; with client true, what
// the runner's answer by the set's rule asks of a client.
func (p paramSet) requirements(client bool) []string {
	var nct, bits bool
	for _, o := range p {
		nct = nct || o[0] == 1
		bits = bits || o[1] != 0
	}
	var ids []string
	switch {
	case client && nct:
		ids = append(ids, "D-7.1.1.2-client_no_context_takeover", "D-7.2.1-own-takeover")
	case nct:
		ids = append(ids, "D-7.1.1.1-server_no_context_takeover", "D-7.2.1-own-takeover")
	}
	switch {
	case client && bits:
		ids = append(ids, "D-7.1.2.2-client_max_window_bits")
	case bits:
		ids = append(ids, "D-7.1.2.1-server_max_window_bits")
	}
	if !client {
		ids = append([]string{"D-7.1.2.2-client_max_window_bits"}, ids...)
	}
	return ids
}

func payloadCaptions() map[string]string {
	m := map[string]string{}
	for j, c := range corpora {
		m[fmt.Sprintf("12.%d", j+1)] = c.caption()
	}
	return m
}

func paramCaptions() map[string]string {
	m := map[string]string{}
	for j, p := range paramSets {
		l := p.python()
		m[fmt.Sprintf("13.%d", j+1)] = fmt.Sprintf("%s - client offers (requestNoContextTakeover, requestMaxWindowBits): %s / server accept (requestNoContextTakeover, requestMaxWindowBits): %s",
			corpusJSON.caption(), l, l)
	}
	return m
}

// payloadCompressionCases are category 12: each corpus with the default
// offer.
func payloadCompressionCases() []*conformance.Case {
	var out []*conformance.Case
	offers := paramSets[0].offers()
	for j, c := range corpora {
		for i, row := range compressionRows {
			out = append(out, compressionCase(fmt.Sprintf("12.%d.%d", j+1, i+1), c, row, offers, nil))
		}
	}
	return out
}

// paramCompressionCases are category 13: the JSON corpus with each set of
// parameters.
func paramCompressionCases() []*conformance.Case {
	var out []*conformance.Case
	for j, p := range paramSets {
		for i, row := range compressionRows {
			out = append(out, compressionCase(fmt.Sprintf("13.%d.%d", j+1, i+1), corpusJSON, row, p.offers(), p))
		}
	}
	return out
}

// offerText writes offers as the Sec-WebSocket-Extensions field's value.
func offerText(offers []handshake.Extension) string {
	var parts []string
	for _, e := range offers {
		parts = append(parts, e.String())
	}
	return strings.Join(parts, ", ")
}

// compressionCase is one case of 12 or 13: against servers it offers
// offers, against clients (Case.ForClients) it accepts by set's rule;
// a set of nil is category 12's, whose offer asks nothing of the server.
func compressionCase(id string, c *corpus, row compressionRow, offers []handshake.Extension, set paramSet) *conformance.Case {
	binary := !c.text
	t, unit := typeName(binary), "octets"
	op := int(spec.OpText)
	if binary {
		op = int(spec.OpBinary)
	} else {
		unit = "characters"
	}
	script := fmt.Sprintf("Then send %d compressed %s messages of %d %s, each after the echo of the one before: consecutive windows "+
		"(wrapping around) of a corpus wskit generates, deterministically, with the size and kind of content of %s (%d octets; Autobahn's file itself is not shipped).",
		compressionMessages, t, row.size, unit, c.like, c.size)
	if row.fragment > 0 {
		script += fmt.Sprintf(" The compressed payload goes out in frames of %d octets.", row.fragment)
	}
	ids := reqs("D-5-accept", "D-5-use-agreed", "D-7.2.2-decompress", "D-7.2.1-compress", "D-6-rsv1-placement", "D-7.2.2-peer-takeover")
	if !binary {
		ids = append(ids, "D-6-utf8-after")
	}
	if row.fragment > 0 {
		ids = append(ids, "R-5.4-fragmented")
	}
	if set != nil {
		ids = append(ids, set.requirements(false)...)
	} else {
		set = paramSets[0]
	}
	expect := fmt.Sprintf("Receive echo'ed %s messages (with payload as sent), compressed or not. Clean close with normal code. "+
		"UNIMPLEMENTED if the %%s. Timeout case after %g secs.", t, row.wait)
	sc := &conformance.Case{
		ID:            id,
		Description:   "Offer " + offerText(offers) + ". " + script,
		Expectation:   fmt.Sprintf(expect, "server declines permessage-deflate"),
		Requirements:  ids,
		Extensions:    offers,
		AcceptDeflate: set.accept,
		Expected:      map[conformance.Verdict][]conformance.Event{},
		Close:         closeNormal,
		ReportTime:    true,
		Limit:         time.Duration(row.wait)*time.Second + 10*time.Second,
		Open:          func(s *conformance.Session) { runCompression(s, c, row, op, binary) },
		Judge:         judgeCompression,
	}
	cc := *sc
	cc.Description = "Accept the client's permessage-deflate offer by Autobahn's fuzzing-server rule: " + set.rule() + ". " + script
	cc.Expectation = fmt.Sprintf(expect, "client makes no offer the rule accepts")
	cc.Requirements = reqs("D-5-offer", "D-5-use-agreed", "D-7.2.2-decompress", "D-7.2.1-compress", "D-6-rsv1-placement", "D-7.2.2-peer-takeover")
	if !binary {
		cc.Requirements = append(cc.Requirements, "D-6-utf8-after")
	}
	if row.fragment > 0 {
		cc.Requirements = append(cc.Requirements, "R-5.4-fragmented")
	}
	cc.Requirements = append(cc.Requirements, set.requirements(true)...)
	cc.Extensions = nil
	sc.ForClients = &cc
	return sc
}

// runCompression is the script of a case of 12 or 13.
func runCompression(s *conformance.Session, c *corpus, row compressionRow, op int, binary bool) {
	if _, ok := s.Deflate(); !ok {
		s.SetBehavior(conformance.Unimplemented, "Actual events differ from any expected.")
		s.Close(1000, "")
		return
	}
	s.SetWireLog(false)
	s.SetBehavior(conformance.Failed, fmt.Sprintf("Case did not finish within %g seconds.", row.wait))
	s.CloseAfter(row.wait)
	var msg []byte
	sent, done := 0, false
	send := func() {
		msg = c.appendWindow(msg[:0], sent*row.size, row.size)
		s.SendCompressed(op, msg, row.fragment)
		sent++
	}
	s.HandleMessages(func(got []byte, gotBinary bool) {
		if done {
			return
		}
		switch {
		case gotBinary != binary:
			s.SetBehavior(conformance.Failed, fmt.Sprintf("Echo'ed message type differs from what I sent (got binary %s, expected binary %s).",
				pyBool(gotBinary), pyBool(binary)))
		case units(got, binary) != units(msg, binary):
			s.SetBehavior(conformance.Failed, fmt.Sprintf("Echo'ed message length differs from what I sent (got length %d, expected length %d).",
				units(got, binary), units(msg, binary)))
		case !bytes.Equal(got, msg):
			s.SetBehavior(conformance.Failed, fmt.Sprintf("Echo'ed message contents differs from what I sent (got SHA1 %x, expected SHA1 %x).",
				sha1.Sum(got), sha1.Sum(msg)))
		case sent < compressionMessages:
			send()
			return
		default:
			s.SetBehavior(conformance.OK, "Ok, received all echo'ed messages in time.")
		}
		done = true
		s.SetWireLog(true)
		s.Close(1000, "")
	})
	send()
}

// units is a message's length as Autobahn compares it: code points for
// text, octets for binary.
func units(p []byte, binary bool) int {
	if binary {
		return len(p)
	}
	return utf8.RuneCount(p)
}

// judgeCompression adds the negotiated extension and the traffic to the
// reason (Autobahn saves compression statistics with these cases).
func judgeCompression(s *conformance.Session, r *conformance.Result) {
	p, ok := s.Deflate()
	if !ok {
		r.Reason = "UNIMPLEMENTED: " + declined(s) + "; " + r.Reason
		return
	}
	var rx, tx int
	for n, k := range r.RxOctetStats {
		rx += n * k
	}
	for n, k := range r.TxOctetStats {
		tx += n * k
	}
	r.Reason += fmt.Sprintf(" (agreed: %s; %d octets written, %d read)", p, tx, rx)
}
