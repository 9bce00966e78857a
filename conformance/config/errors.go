package config

import (
	"errors"
	"fmt"
)

// ErrNoServers is returned by [FuzzingClient.ResolveServers] when the spec
// lists no servers and no URL is given in their place.
var ErrNoServers = errors.New("no servers listed and no URL given")

// A SyntaxError reports a spec file that is not one well-formed JSON
// object. Line and Column are 1-based and count bytes; Offset is the byte
// offset encoding/json reported.
type SyntaxError struct {
	Line, Column int
	Offset       int64
	Err          error // the *json.SyntaxError
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
}

// Unwrap returns the underlying *json.SyntaxError.
func (e *SyntaxError) Unwrap() error { return e.Err }

// A TypeError reports a value of the wrong JSON type at Path. Got and Want
// are JSON type names: object, array, string, number, boolean, null.
type TypeError struct {
	Path string // key path, "" for the whole document
	Got  string
	Want string
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("%s: got %s, want %s", where(e.Path), e.Got, e.Want)
}

// A MissingKeyError reports a required key that is absent. Path names the
// key: "cases", "servers[2].url".
type MissingKeyError struct {
	Path string
}

func (e *MissingKeyError) Error() string {
	return where(e.Path) + ": required key missing"
}

// A ValueError reports a value of the right type that wstest would refuse
// or that cannot be used: a URL that is not ws:// or wss://, a case pattern
// that is not a valid regular expression, an empty "outdir".
type ValueError struct {
	Path  string
	Value string // the offending value as written
	Err   error  // the reason
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("%s: %q: %v", where(e.Path), e.Value, e.Err)
}

// Unwrap returns the reason.
func (e *ValueError) Unwrap() error { return e.Err }

// A Warning reports something in a spec file that is accepted but probably
// not what its author meant: an unknown key (wstest ignores it), a key
// given twice, an exclusion that can never apply.
type Warning struct {
	Path string // the enclosing object or value: "", "servers[1]", "exclude-cases[0]"
	Msg  string // e.g. `unknown key "foo" ignored`
}

// String returns the warning as "path: message", or the bare message at
// the top level.
func (w Warning) String() string {
	if w.Path == "" {
		return w.Msg
	}
	return w.Path + ": " + w.Msg
}

func where(path string) string {
	if path == "" {
		return "top level"
	}
	return path
}
