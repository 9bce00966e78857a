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
// limit whatever the input. The parser (headScanner) keeps its place
// between calls, so RequestReader and ResponseReader examine each byte of
// a head that arrives in pieces once, as the one-shot ParseRequest and
// ParseResponse do for a head in one piece.

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
	end                int // bytes examined when the fault was found
}

// rawHead is a head split into its start line and fields.
type rawHead struct {
	start  string
	fields Header
}

// A headScanner finds the end of one message head and checks its lines as
// their bytes arrive. It is the one parser behind ParseRequest and
// ParseResponse, which scan a whole buffer in one call, and behind
// RequestReader and ResponseReader, which scan each piece as it is fed:
// it keeps its position and line state between calls, so every byte is
// examined once, however the head is cut.
//
// Faults are reported in the order their bytes arrive: a byte no head may
// hold (a control, a bare CR) as soon as it is seen, a line that breaks
// the grammar (a bare LF, a malformed field line, a fold where none is
// allowed) as soon as its LF is seen, and a head too large when the limit
// is reached. So a fault found in a prefix of the input is the fault of
// every longer input, and the result does not depend on the chunking.
type headScanner struct {
	limit   int  // the size limit, always positive
	request bool // request rules (skip leading empty lines, reject obs-fold) over response rules (unfold)

	pos       int  // bytes examined
	lineStart int  // offset of the line being read
	cr        bool // the byte before pos is a CR that must be followed by LF
	haveStart bool // the start line has been read
	fields    int  // field lines read (folded lines not counted)
}

// newHeadScanner returns a scanner for a head of at most limit bytes (0
// or less: DefaultMaxHeadSize).
func newHeadScanner(limit int, request bool) headScanner {
	if limit <= 0 {
		limit = DefaultMaxHeadSize
	}
	return headScanner{limit: limit, request: request}
}

// window returns the part of p a head can occupy: its first limit bytes.
// The scanner never looks beyond them.
func (s *headScanner) window(p []byte) []byte {
	if len(p) > s.limit {
		return p[:s.limit]
	}
	return p
}

// scan examines head[s.pos:]. head holds the bytes of the head so far,
// at most the limit: the bytes given to the previous call, unchanged,
// followed by new ones. scan returns the size of the head once its final
// empty line is in; 0 and nil when head is a proper prefix of a head that
// could still fit in the limit; or a fault, after which the scanner must
// not be used again.
func (s *headScanner) scan(head []byte) (int, *headFault) {
	for s.pos < len(head) {
		if s.cr {
			if head[s.pos] != '\n' {
				return 0, s.fault(s.pos-1, "bare CR (RFC 9112 section 2.2)")
			}
			s.cr = false
			if n, f := s.endLine(head[s.lineStart : s.pos-1]); n > 0 || f != nil {
				return n, f
			}
			s.pos++
			s.lineStart = s.pos
			continue
		}
		// Run over the bytes a line may hold, then look at the one that
		// stopped the run.
		i := s.pos
		for i < len(head) && isFieldValueByte(head[i]) {
			i++
		}
		s.pos = i
		if i == len(head) {
			break
		}
		switch c := head[i]; c {
		case '\r':
			s.cr = true // a line end only if LF follows
			s.pos++
		case '\n':
			// Only CRLF ends a line (see the file comment): H-4.2.1-reject
			// for a request, H-4.1-resp-conform for a response.
			return 0, s.fault(i, "bare LF: lines must end with CRLF (RFC 9112 section 2.2)")
		default:
			return 0, s.fault(i, "control byte 0x"+strconv.FormatUint(uint64(c), 16)+" in the head")
		}
	}
	if len(head) < s.limit {
		return 0, nil
	}
	// The limit is reached and the head has not ended (H-10.4-limits).
	line := head[s.lineStart:]
	f := &headFault{tooLarge: true, inStartLine: !s.haveStart, end: len(head)}
	if !s.haveStart {
		f.sawSP = bytes.IndexByte(line, ' ') >= 0
		f.detail = "the start line does not end within the " + strconv.Itoa(s.limit) + "-byte limit"
	} else {
		f.detail = "the head does not end within the " + strconv.Itoa(s.limit) + "-byte limit"
	}
	return 0, f
}

// endLine checks a complete line, CRLF removed, whose bytes scan has
// already checked. It returns the size of the head when the line is the
// final empty line.
func (s *headScanner) endLine(line []byte) (int, *headFault) {
	switch {
	case len(line) == 0 && !s.haveStart && s.request:
		// An empty line before the request line: skipped.
	case len(line) == 0 && !s.haveStart:
		return 0, s.fault(s.lineStart, "empty start line")
	case len(line) == 0:
		return s.pos + 1, nil
	case !s.haveStart:
		s.haveStart = true
	case isOWS(line[0]):
		if s.request || s.fields == 0 {
			return 0, s.fault(s.lineStart, "line starts with whitespace (obs-fold or whitespace after the start line, RFC 9112 sections 2.2 and 5.2)")
		}
	default:
		if fieldNameEnd(line) < 0 {
			return 0, s.fault(s.lineStart, "malformed field line "+strconv.QuoteToASCII(string(line))+" (want token \":\" value, no space before the colon)")
		}
		s.fields++
	}
	return 0, nil
}

// fault reports a fault at offset off, found on examining the byte at
// s.pos.
func (s *headScanner) fault(off int, detail string) *headFault {
	return &headFault{detail: "at byte " + strconv.Itoa(off) + ": " + detail, end: s.pos + 1}
}

// buildHead splits a head that a headScanner has checked; fields is the
// scanner's count of field lines. This is the second of two passes: the
// scanner checks every line and finds the end without allocating, then
// buildHead takes s, one copy of the head, and slices the fields out of
// it, so a head costs one copy of itself plus one Field per line.
func buildHead(s string, fields int) *rawHead {
	h := &rawHead{fields: make(Header, 0, fields)}
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
