// The Sec-WebSocket-Extensions grammar (RFC 6455 section 9.1), with the
// implied linear whitespace of RFC 2616 written out as OWS:
//
//	extension-list  = 1#extension
//	extension       = extension-token *( OWS ";" OWS extension-param )
//	extension-token = token
//	extension-param = token [ OWS "=" OWS ( token / quoted-string ) ]
//	quoted-string   = DQUOTE *( qdtext / quoted-pair ) DQUOTE
//
// A quoted value must unescape to a token: x="10" is x=10, x="1 0" and
// bar="b,a;z" are errors (RFC 6455 section 9.1 says so, and this package
// follows it where several libraries accept any string). Several field
// lines are one list, in order; empty list elements are skipped.

package handshake

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wskit/wskit/spec"
)

// An Extension is one element of a Sec-WebSocket-Extensions list: an
// extension name and its parameters, in order.
type Extension struct {
	// Name is the extension token, such as "permessage-deflate".
	Name string
	// Params are the parameters in the order written.
	Params []Param
}

// A Param is one extension parameter. Value is "" for a parameter written
// without a value (client_max_window_bits); a value is always a token,
// since a quoted value must unescape to one.
type Param struct {
	Name  string
	Value string
}

// String returns e in the form FormatExtensions writes.
func (e Extension) String() string {
	return string(appendExtension(nil, e))
}

// FormatExtensions returns the canonical Sec-WebSocket-Extensions value
// for exts: elements joined by ", ", parameters by "; ", values unquoted,
// as in "permessage-deflate; client_max_window_bits=10, x-foo". It writes
// what it is given without checking it; for every value v that
// ParseExtensions accepts, ParseExtensions(FormatExtensions(v)) equals v.
func FormatExtensions(exts []Extension) string {
	var b []byte
	for i, e := range exts {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendExtension(b, e)
	}
	return string(b)
}

func appendExtension(b []byte, e Extension) []byte {
	b = append(b, e.Name...)
	for _, p := range e.Params {
		b = append(b, "; "...)
		b = append(b, p.Name...)
		if p.Value != "" {
			b = append(b, '=')
			b = append(b, p.Value...)
		}
	}
	return b
}

// ParseExtensions parses the values of every Sec-WebSocket-Extensions
// field line of a head, in order, as one list. No lines give no
// extensions and no error; lines without a single extension are an error.
// Every error is a *SyntaxError citing H-9.1-ext-grammar.
func ParseExtensions(lines ...string) ([]Extension, error) {
	var out []Extension
	for i, line := range lines {
		p := extParser{s: line, line: i}
		var err error
		if out, err = p.list(out); err != nil {
			return nil, err
		}
	}
	if len(lines) > 0 && len(out) == 0 {
		return nil, &SyntaxError{Field: spec.HeaderExtensions, Requirement: "H-9.1-ext-grammar", Line: len(lines) - 1,
			Detail: "the list has no extension (1#extension needs one)"}
	}
	return out, nil
}

// extParser walks one field line.
type extParser struct {
	s    string
	pos  int
	line int
}

func (p *extParser) fail(detail string) error {
	return &SyntaxError{Field: spec.HeaderExtensions, Requirement: "H-9.1-ext-grammar", Line: p.line, Offset: p.pos, Detail: detail}
}

func (p *extParser) skipOWS() {
	for p.pos < len(p.s) && isOWS(p.s[p.pos]) {
		p.pos++
	}
}

// peek returns the next byte, or 0 at the end.
func (p *extParser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *extParser) token() string {
	start := p.pos
	for p.pos < len(p.s) && tchar[p.s[p.pos]] {
		p.pos++
	}
	return p.s[start:p.pos]
}

// list appends the extensions of the line to out.
func (p *extParser) list(out []Extension) ([]Extension, error) {
	for {
		p.skipOWS()
		switch p.peek() {
		case 0:
			if p.pos == len(p.s) {
				return out, nil
			}
			return nil, p.fail("NUL byte")
		case ',':
			p.pos++ // an empty element
			continue
		}
		e, err := p.extension()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		p.skipOWS()
		switch p.peek() {
		case ',':
			p.pos++
		case 0:
			if p.pos != len(p.s) {
				return nil, p.fail("NUL byte")
			}
		default:
			return nil, p.fail("expected \";\", \",\" or the end after extension " + strconv.Quote(e.Name))
		}
	}
}

func (p *extParser) extension() (Extension, error) {
	e := Extension{Name: p.token()}
	if e.Name == "" {
		return e, p.fail("expected an extension name (a token)")
	}
	for {
		p.skipOWS()
		if p.peek() != ';' {
			return e, nil
		}
		p.pos++
		p.skipOWS()
		var prm Param
		if prm.Name = p.token(); prm.Name == "" {
			return e, p.fail("expected a parameter name (a token) after \";\"")
		}
		p.skipOWS()
		if p.peek() == '=' {
			p.pos++
			p.skipOWS()
			var err error
			if prm.Value, err = p.value(); err != nil {
				return e, err
			}
		}
		e.Params = append(e.Params, prm)
	}
}

// value reads a token or a quoted-string that unescapes to a token.
func (p *extParser) value() (string, error) {
	if p.peek() != '"' {
		v := p.token()
		if v == "" {
			return "", p.fail("expected a parameter value (a token or a quoted-string) after \"=\"")
		}
		return v, nil
	}
	start := p.pos
	p.pos++
	var b strings.Builder
	for {
		if p.pos >= len(p.s) {
			p.pos = start
			return "", p.fail("unterminated quoted-string")
		}
		c := p.s[p.pos]
		switch {
		case c == '"':
			p.pos++
			v := b.String()
			if !isToken(v) {
				p.pos = start
				return "", p.fail("quoted value " + strconv.QuoteToASCII(v) + " does not unescape to a token (RFC 6455 section 9.1)")
			}
			return v, nil
		case c == '\\':
			// quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
			if p.pos+1 >= len(p.s) || !isFieldValueByte(p.s[p.pos+1]) {
				return "", p.fail("bad quoted-pair")
			}
			b.WriteByte(p.s[p.pos+1])
			p.pos += 2
		case isFieldValueByte(c):
			b.WriteByte(c)
			p.pos++
		default:
			return "", p.fail("control byte in quoted-string")
		}
	}
}

// checkExtensions reports whether every name and parameter of exts is a
// token (values may be empty), so that formatting them gives a valid list.
func checkExtensions(exts []Extension) error {
	for _, e := range exts {
		if !isToken(e.Name) {
			return fmt.Errorf("extension name %q is not a token", e.Name)
		}
		for _, p := range e.Params {
			if !isToken(p.Name) || (p.Value != "" && !isToken(p.Value)) {
				return fmt.Errorf("parameter %q=%q of extension %q is not token[=token]", p.Name, p.Value, e.Name)
			}
		}
	}
	return nil
}
