package config

// Spec files are walked by hand rather than unmarshalled into structs:
// encoding/json matches struct fields case-insensitively and drops unknown
// keys silently, while wstest's keys are case-sensitive and this package
// warns about the ones it ignores. Each object is split into its members in
// document order, so that warnings come out in the order a reader sees the
// keys.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// decoder collects warnings while one spec file is read.
type decoder struct {
	warnings []Warning
}

func (d *decoder) warn(path, format string, args ...any) {
	d.warnings = append(d.warnings, Warning{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// object is one JSON object: its keys in order of first appearance and,
// as in Python, the last value given for each.
type object struct {
	path string
	keys []string
	vals map[string]json.RawMessage
}

// document checks that data is a single JSON object and splits it.
func (d *decoder) document(data []byte) (*object, error) {
	if rest, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf")); ok {
		d.warn("", "UTF-8 byte order mark ignored")
		data = rest
	}
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := position(data, se.Offset)
			return nil, &SyntaxError{Line: line, Column: col, Offset: se.Offset, Err: se}
		}
		return nil, err
	}
	return d.object("", raw)
}

// position turns encoding/json's offset (the number of bytes read when the
// error was found) into the 1-based line and column of the last byte read.
func position(data []byte, offset int64) (line, col int) {
	i := min(max(int(offset)-1, 0), len(data))
	before := data[:i]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = i - bytes.LastIndexByte(before, '\n')
	return line, col
}

func (d *decoder) object(path string, raw json.RawMessage) (*object, error) {
	if k := kind(raw); k != "object" {
		return nil, &TypeError{Path: path, Got: k, Want: "object"}
	}
	o := &object{path: path, vals: make(map[string]json.RawMessage)}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // the "{"
		return nil, err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if _, dup := o.vals[k]; dup {
			d.warn(path, "duplicate key %q: the last value is used", k)
		} else {
			o.keys = append(o.keys, k)
		}
		o.vals[k] = v
	}
	return o, nil
}

// unknown warns about each key of o that is not in known.
func (d *decoder) unknown(o *object, known []string) {
	for _, k := range o.keys {
		if slices.Contains(known, k) {
			continue
		}
		if s := suggest(k, known); s != "" {
			d.warn(o.path, "unknown key %q ignored (did you mean %q?)", k, s)
		} else {
			d.warn(o.path, "unknown key %q ignored", k)
		}
	}
}

// suggest returns the known key that k differs from only in letter case,
// "-", "_" or spaces.
func suggest(k string, known []string) string {
	fold := func(s string) string {
		return strings.ToLower(strings.NewReplacer("-", "", "_", "", " ", "").Replace(s))
	}
	for _, c := range known {
		if fold(c) == fold(k) {
			return c
		}
	}
	return ""
}

// kind names the JSON type of a valid JSON value.
func kind(raw json.RawMessage) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func isNull(raw json.RawMessage) bool { return kind(raw) == "null" }

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func (d *decoder) str(path string, raw json.RawMessage) (string, error) {
	if k := kind(raw); k != "string" {
		return "", &TypeError{Path: path, Got: k, Want: "string"}
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// optStr reads a string where wstest takes null as absent.
func (d *decoder) optStr(path string, raw json.RawMessage) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	return d.str(path, raw)
}

func (d *decoder) array(path string, raw json.RawMessage) ([]json.RawMessage, error) {
	if k := kind(raw); k != "array" {
		return nil, &TypeError{Path: path, Got: k, Want: "array"}
	}
	var elems []json.RawMessage
	err := json.Unmarshal(raw, &elems)
	return elems, err
}

func (d *decoder) strs(path string, raw json.RawMessage) ([]string, error) {
	elems, err := d.array(path, raw)
	if err != nil {
		return nil, err
	}
	list := make([]string, 0, len(elems))
	for i, e := range elems {
		s, err := d.str(index(path, i), e)
		if err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	return list, nil
}

func (d *decoder) options(path string, raw json.RawMessage) (map[string]any, error) {
	if k := kind(raw); k != "object" {
		return nil, &TypeError{Path: path, Got: k, Want: "object"}
	}
	m := make(map[string]any)
	if err := json.Unmarshal(raw, &m); err != nil { // a number out of float64's range
		return nil, &ValueError{Path: path, Value: string(raw), Err: err}
	}
	return m, nil
}

func (d *decoder) outdir(path string, raw json.RawMessage) (string, error) {
	s, err := d.str(path, raw)
	if err == nil && s == "" {
		err = &ValueError{Path: path, Value: s, Err: errors.New("empty directory name")}
	}
	return s, err
}

// wsURL reads a URL and checks it as Autobahn's parseWsUrl does.
func (d *decoder) wsURL(path string, raw json.RawMessage) (string, error) {
	s, err := d.str(path, raw)
	if err != nil {
		return "", err
	}
	if err := checkURL(s); err != nil {
		return "", &ValueError{Path: path, Value: s, Err: err}
	}
	return s, nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return ue.Err
		}
		return err
	}
	switch {
	case u.Scheme != "ws" && u.Scheme != "wss":
		return fmt.Errorf("scheme %q is not ws or wss", u.Scheme)
	case u.Hostname() == "":
		return errors.New("no host name")
	case u.Fragment != "":
		return fmt.Errorf("fragment %q not allowed", u.Fragment)
	}
	return nil
}

// port reads a TCP port number: an integer from 0 to 65535.
func (d *decoder) port(path string, raw json.RawMessage) (int, error) {
	if k := kind(raw); k != "number" {
		return 0, &TypeError{Path: path, Got: k, Want: "number"}
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || f != math.Trunc(f) || f < 0 || f > 65535 {
		return 0, &ValueError{Path: path, Value: string(raw), Err: errors.New("not a port number (0-65535)")}
	}
	return int(f), nil
}

// selection reads "cases", "exclude-cases" and "exclude-agent-cases" from
// o and checks them with [Selection.Compile].
func (d *decoder) selection(o *object) (Selection, error) {
	var s Selection
	raw, ok := o.vals["cases"]
	if !ok {
		return s, &MissingKeyError{Path: join(o.path, "cases")}
	}
	var err error
	if s.Cases, err = d.strs("cases", raw); err != nil {
		return s, err
	}
	if raw, ok := o.vals["exclude-cases"]; ok {
		if s.ExcludeCases, err = d.strs("exclude-cases", raw); err != nil {
			return s, err
		}
		for i, p := range s.ExcludeCases {
			if !strings.Contains(p, "*") && !isCaseID(p) {
				d.warn(index("exclude-cases", i), "%q is not a case ID and excludes nothing", p)
			}
		}
	}
	if raw, ok := o.vals["exclude-agent-cases"]; ok {
		if s.ExcludeAgentCases, err = d.agentCases("exclude-agent-cases", raw); err != nil {
			return s, err
		}
	}
	if _, err := s.Compile(); err != nil {
		return s, err
	}
	return s, nil
}

func (d *decoder) agentCases(path string, raw json.RawMessage) (map[string][]string, error) {
	o, err := d.object(path, raw)
	if err != nil {
		return nil, err
	}
	m := make(map[string][]string, len(o.keys))
	for _, k := range o.keys {
		p := path + "[" + strconv.Quote(k) + "]"
		if m[k], err = d.strs(p, o.vals[k]); err != nil {
			return nil, err
		}
		// A key with regular-expression syntax but no backslash that does
		// not match itself is most likely an agent name written as is.
		if strings.ContainsAny(k, `^$|?+()[]{}`) && !strings.Contains(k, `\`) {
			if a, err := CompileAnchoredPattern(k); err == nil && !a.Match(k) {
				d.warn(p, "agent pattern does not match the agent name %q: only \".\" and \"*\" are rewritten, the rest is regular-expression syntax", k)
			}
		}
	}
	return m, nil
}
