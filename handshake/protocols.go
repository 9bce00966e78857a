// The Sec-WebSocket-Protocol grammar (RFC 6455 section 4.3): in a request
// a list of subprotocol names, 1#token, which may span several field
// lines; in a response exactly one token. The names are unique and listed
// in order of preference (section 4.1), and compare case-sensitively.

package handshake

import (
	"slices"
	"strconv"
	"strings"

	"github.com/wskit/wskit/spec"
)

// ParseProtocols parses the values of every Sec-WebSocket-Protocol field
// line of a request, in order, as one list of subprotocol names. No lines
// give nil and no error. Empty list elements are skipped; a list with no
// name, an element that is not a token, or a name listed twice is an
// error. Every error is a *SyntaxError citing H-4.2.1-protocol-grammar.
func ParseProtocols(lines ...string) ([]string, error) {
	var out []string
	var seen map[string]bool // built once the list is long, to stay linear
	for i, line := range lines {
		off := 0
		for e := range strings.SplitSeq(line, ",") {
			name := trimOWS(e)
			at := off + strings.Index(e, name)
			off += len(e) + 1
			if name == "" {
				continue
			}
			fail := func(detail string) error {
				return &SyntaxError{Field: spec.HeaderProtocol, Requirement: "H-4.2.1-protocol-grammar", Line: i, Offset: at, Detail: detail}
			}
			if !isToken(name) {
				return nil, fail("subprotocol " + strconv.QuoteToASCII(name) + " is not a token")
			}
			if seen == nil && len(out) >= 8 {
				seen = make(map[string]bool)
				for _, prev := range out {
					seen[prev] = true
				}
			}
			if seen != nil && seen[name] || seen == nil && slices.Contains(out, name) {
				return nil, fail("subprotocol " + strconv.Quote(name) + " is listed twice (H-4.1-req-protocols: names are unique)")
			}
			if seen != nil {
				seen[name] = true
			}
			out = append(out, name)
		}
	}
	if len(lines) > 0 && len(out) == 0 {
		return nil, &SyntaxError{Field: spec.HeaderProtocol, Requirement: "H-4.2.1-protocol-grammar", Line: len(lines) - 1,
			Detail: "the list has no subprotocol (1#token needs one)"}
	}
	return out, nil
}

// FormatProtocols returns the Sec-WebSocket-Protocol value for a list of
// subprotocol names: the names joined by ", ". It writes what it is given
// without checking it; for every value v that ParseProtocols accepts,
// ParseProtocols(FormatProtocols(v)) equals v.
func FormatProtocols(protocols []string) string {
	return strings.Join(protocols, ", ")
}
