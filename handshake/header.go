package handshake

// A Field is one header field line: a name and its value, with the
// optional whitespace around the value removed.
type Field struct {
	Name  string
	Value string
}

// A Header is the list of header field lines of a request or response, in
// the order they appear on the wire. Names compare ASCII
// case-insensitively; repeated fields are kept as separate entries, in
// order, because the order of list-valued fields (Sec-WebSocket-Extensions,
// Sec-WebSocket-Protocol) is significant.
//
// Unlike net/http.Header, a Header keeps the spelling of every name and
// the relative order of different names, so a head can be written back
// exactly as it was parsed or built.
type Header []Field

// Get returns the value of the first field named name, or "" if there is
// none.
func (h Header) Get(name string) string {
	for _, f := range h {
		if equalFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Values returns the values of every field named name, in order, or nil if
// there is none. The slice is newly allocated.
func (h Header) Values(name string) []string {
	var out []string
	for _, f := range h {
		if equalFold(f.Name, name) {
			out = append(out, f.Value)
		}
	}
	return out
}

// count returns how many fields are named name.
func (h Header) count(name string) int {
	n := 0
	for _, f := range h {
		if equalFold(f.Name, name) {
			n++
		}
	}
	return n
}

// Add appends a field.
func (h *Header) Add(name, value string) {
	*h = append(*h, Field{name, value})
}

// Set gives name the single value value: the first field named name takes
// the new name and value in place, later ones are removed, and if there
// was none the field is appended.
func (h *Header) Set(name, value string) {
	out := (*h)[:0]
	set := false
	for _, f := range *h {
		if equalFold(f.Name, name) {
			if set {
				continue
			}
			f, set = Field{name, value}, true
		}
		out = append(out, f)
	}
	clear((*h)[len(out):])
	if !set {
		out = append(out, Field{name, value})
	}
	*h = out
}

// Del removes every field named name.
func (h *Header) Del(name string) {
	out := (*h)[:0]
	for _, f := range *h {
		if !equalFold(f.Name, name) {
			out = append(out, f)
		}
	}
	clear((*h)[len(out):])
	*h = out
}

// appendFields appends each field as "Name: Value\r\n", exactly as
// stored.
func appendFields(dst []byte, h Header) []byte {
	for _, f := range h {
		dst = append(dst, f.Name...)
		dst = append(dst, ": "...)
		dst = append(dst, f.Value...)
		dst = append(dst, "\r\n"...)
	}
	return dst
}

// checkFields reports the first field of h that could not be written
// safely: a name that is not a token, or a value with a byte a field value
// may not hold (CR, LF, NUL, other controls) or with surrounding
// whitespace that a parser would strip.
func checkFields(h Header) (Field, bool) {
	for _, f := range h {
		if !isToken(f.Name) || trimOWS(f.Value) != f.Value {
			return f, false
		}
		for i := 0; i < len(f.Value); i++ {
			if !isFieldValueByte(f.Value[i]) {
				return f, false
			}
		}
	}
	return Field{}, true
}
