// An HTTP/1.1 message head (RFC 9112 section 2.1) is a start line and
// header field lines, each ended by CRLF, then an empty line:
//
//	HTTP-message = start-line CRLF *( field-line CRLF ) CRLF
//	field-line   = field-name ":" OWS field-value OWS
//
// Deliberate choices, each allowed by RFC 9112:
//
//   - Only CRLF ends a line. A bare LF is an error although section 2.2
//     lets a recipient accept it: two parsers that disagree on where a
//     line ends are how request smuggling starts, and the ABNF says CRLF.
//     A bare CR is an error, as section 2.2 requires (or replace it with
//     SP, which would hide the fault).
//   - obs-fold (a line starting with SP or HTAB) is rejected in a request
//     (section 5.2 lets a server answer 400) and in a request also covers
//     whitespace between the start line and the first field (section 2.2).
//     In a response it is replaced by a single SP, because section 5.2
//     says a user agent MUST do so; RFC 6455, written on RFC 2616, allows
//     folding too.
//   - Empty lines before a request line are skipped (section 2.2: a server
//     SHOULD ignore at least one); they count towards the size limit.
//   - Whitespace between a field name and its colon is an error (section
//     5.1: MUST reject with 400).
//
// The head, final empty line included, must fit in the size limit; the
// parser never looks beyond it, so its cost and memory are bounded by the
// limit whatever the input.

package handshake

import (
	"bytes"
	"strconv"
	"strings"
)

// DefaultMaxHeadSize is the size limit ParseRequest and ParseResponse use
// when given a limit of 0 or less: 8 KiB, start line, header fields and
// the final empty line included (H-10.4-limits).
const DefaultMaxHeadSize = 8 << 10

// A headFault is why a head could not be parsed.
type headFault struct {
	tooLarge bool // the head does not end within the limit
	// inStartLine is set with tooLarge when the limit was reached inside
	// the start line; sawSP says whether that line had a space by then.
	inStartLine, sawSP bool
	detail             string
}

// rawHead is a head split into its start line and fields.
type rawHead struct {
	start  string
	fields Header
	size   int // bytes of the head, final CRLF included
}

// parseHead reads one message head from the front of p. It returns the
// head, or nil and nil when p is a proper prefix of a head that could
// still fit in limit bytes, or a fault. request selects the request rules
// (skip leading empty lines, reject obs-fold) over the response rules
// (unfold obs-fold).
//
// It works in two passes: the first checks every line and finds the end
// of the head without allocating; the second copies the head into one
// string and slices the fields out of it, so a head costs one copy of
// itself plus one Field per line.
func parseHead(p []byte, limit int, request bool) (*rawHead, *headFault) {
	if limit <= 0 {
		limit = DefaultMaxHeadSize
	}
	window := p
	if len(window) > limit {
		window = window[:limit]
	}
	haveStart := false
	fields := 0
	for i := 0; ; {
		j := bytes.IndexByte(window[i:], '\n')
		if j < 0 {
			// An unfinished line: fail now if no ending can save it,
			// else wait for more unless the limit is already reached.
			if f := checkPartialLine(window[i:], i); f != nil {
				return nil, f
			}
			if len(p) < limit {
				return nil, nil
			}
			f := &headFault{tooLarge: true, inStartLine: !haveStart}
			if !haveStart {
				f.sawSP = bytes.IndexByte(window[i:], ' ') >= 0
				f.detail = "the start line does not end within the " + strconv.Itoa(limit) + "-byte limit"
			} else {
				f.detail = "the head does not end within the " + strconv.Itoa(limit) + "-byte limit"
			}
			return nil, f
		}
		line := window[i : i+j]
		next := i + j + 1
		if len(line) == 0 || line[len(line)-1] != '\r' {
			return nil, fault(i+j, "bare LF: lines must end with CRLF (RFC 9112 section 2.2)")
		}
		line = line[:len(line)-1]
		if f := checkLineBytes(line, i); f != nil {
			return nil, f
		}
		switch {
		case len(line) == 0 && !haveStart && request:
			// An empty line before the request line: skipped.
		case len(line) == 0 && !haveStart:
			return nil, fault(i, "empty start line")
		case len(line) == 0:
			return buildHead(string(window[:next]), fields), nil
		case !haveStart:
			haveStart = true
		case isOWS(line[0]):
			if request || fields == 0 {
				return nil, fault(i, "line starts with whitespace (obs-fold or whitespace after the start line, RFC 9112 sections 2.2 and 5.2)")
			}
		default:
			if fieldNameEnd(line) < 0 {
				return nil, fault(i, "malformed field line "+strconv.QuoteToASCII(string(line))+" (want token \":\" value, no space before the colon)")
			}
			fields++
		}
		i = next
	}
}

// buildHead splits a head that parseHead has checked.
func buildHead(s string, fields int) *rawHead {
	h := &rawHead{size: len(s), fields: make(Header, 0, fields)}
	haveStart := false
	for s != "" {
		end := strings.Index(s, "\r\n")
		line := s[:end]
		s = s[end+2:]
		switch {
		case line == "":
			// A skipped empty line before the request line, or the end.
		case !haveStart:
			h.start, haveStart = line, true
		case isOWS(line[0]):
			// obs-fold in a response: join with one space.
			last := &h.fields[len(h.fields)-1]
			if more := trimOWS(line); more != "" {
				if last.Value == "" {
					last.Value = more
				} else {
					last.Value += " " + more
				}
			}
		default:
			colon := strings.IndexByte(line, ':')
			h.fields = append(h.fields, Field{Name: line[:colon], Value: trimOWS(line[colon+1:])})
		}
	}
	return h
}

// fieldNameEnd returns the index of the colon that ends the field name of
// a field line, or -1 if the line does not start with a token directly
// followed by a colon. (The value's bytes are checked by checkLineBytes.)
func fieldNameEnd(line []byte) int {
	for i, c := range line {
		if c == ':' && i > 0 {
			return i
		}
		if !tchar[c] {
			return -1
		}
	}
	return -1
}

// checkLineBytes rejects bytes no line of a head may hold: controls other
// than HTAB (a CR here is a bare CR, since the line's CRLF is removed).
// off is the line's offset in the head, for the message.
func checkLineBytes(line []byte, off int) *headFault {
	for k, c := range line {
		if !isFieldValueByte(c) {
			if c == '\r' {
				return fault(off+k, "bare CR (RFC 9112 section 2.2)")
			}
			return fault(off+k, "control byte 0x"+strconv.FormatUint(uint64(c), 16)+" in the head")
		}
	}
	return nil
}

// checkPartialLine is checkLineBytes for a line whose end has not arrived:
// a final CR may still be followed by LF.
func checkPartialLine(line []byte, off int) *headFault {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return checkLineBytes(line, off)
}

func fault(off int, detail string) *headFault {
	return &headFault{detail: "at byte " + strconv.Itoa(off) + ": " + detail}
}

// parseVersion reads "HTTP/" DIGIT "." DIGIT (RFC 9112 section 2.3: case
// sensitive, one digit each).
func parseVersion(s string) (major, minor int, ok bool) {
	if len(s) != 8 || s[:5] != "HTTP/" || s[6] != '.' || !isDigit(s[5]) || !isDigit(s[7]) {
		return 0, 0, false
	}
	return int(s[5] - '0'), int(s[7] - '0'), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// appendVersion appends "HTTP/major.minor". Versions outside 0-9 are
// written in decimal as they are, so a caller can build invalid heads.
func appendVersion(dst []byte, major, minor int) []byte {
	dst = append(dst, "HTTP/"...)
	dst = strconv.AppendInt(dst, int64(major), 10)
	dst = append(dst, '.')
	return strconv.AppendInt(dst, int64(minor), 10)
}
