package spec

import (
	"strconv"
	"strings"
)

// A Level is the strength of a requirement: an RFC 2119 keyword, or
// Definition for rules that define terms or wire formats rather than
// oblige anyone.
type Level string

// The levels used in the catalogue. A rule that mixes keywords ("MAY for
// senders, MUST for receivers") is filed under the strongest one and its
// summary says the rest.
const (
	Must       Level = "MUST"
	MustNot    Level = "MUST NOT"
	Should     Level = "SHOULD"
	ShouldNot  Level = "SHOULD NOT"
	May        Level = "MAY"
	Definition Level = "definition"
)

// A Role says which party a requirement binds.
type Role string

// The roles of the catalogue.
const (
	RoleClient       Role = "client"
	RoleServer       Role = "server"
	RoleEither       Role = "either"
	RoleIntermediary Role = "intermediary"
)

// A Requirement is one normative rule of RFC 6455 or RFC 7692.
type Requirement struct {
	// ID is the stable identifier, such as "R-5.1-client-masks".
	ID string
	// RFC is the number of the RFC the rule comes from: 6455 or 7692.
	RFC int
	// Section is the RFC section that states the rule, such as "5.1".
	Section string
	// Level is the RFC 2119 keyword (or Definition).
	Level Level
	// Role is the party the rule binds.
	Role Role
	// Derived is true for rules no single RFC sentence states but that
	// follow from RFC sentences (and that Autobahn enforces).
	Derived bool
	// Summary is the rule in one line.
	Summary string
}

// Requirements returns the whole catalogue in document order: handshake
// rules (H-), then framing and closing rules (R-), then permessage-deflate
// rules (D-). The slice is a copy; callers may modify it.
func Requirements() []Requirement {
	return append([]Requirement(nil), catalogue...)
}

// Lookup returns the requirement with the given ID.
func Lookup(id string) (Requirement, bool) {
	i, ok := catalogueIndex[id]
	if !ok {
		return Requirement{}, false
	}
	return catalogue[i], true
}

var catalogueIndex = func() map[string]int {
	m := make(map[string]int, len(catalogue))
	for i, r := range catalogue {
		m[r.ID] = i
	}
	return m
}()

// req builds a catalogue row, taking the RFC and section from the ID.
func req(id string, level Level, role Role, summary string) Requirement {
	rfc, section := parseID(id)
	return Requirement{ID: id, RFC: rfc, Section: section, Level: level, Role: role, Summary: summary}
}

// derived is req for a rule marked as derived.
func derived(id string, level Level, role Role, summary string) Requirement {
	r := req(id, level, role, summary)
	r.Derived = true
	return r
}

// parseID splits an ID of the form P-<section>-<slug> into its RFC number
// and section. It returns 0 and "" for a malformed ID; TestCatalogueIDs
// rejects those.
func parseID(id string) (rfc int, section string) {
	if len(id) < 2 || id[1] != '-' {
		return 0, ""
	}
	switch id[0] {
	case 'H', 'R':
		rfc = 6455
	case 'D':
		rfc = 7692
	default:
		return 0, ""
	}
	rest := id[2:]
	i := strings.IndexByte(rest, '-')
	if i <= 0 {
		return 0, ""
	}
	section = rest[:i]
	for _, part := range strings.Split(section, ".") {
		if _, err := strconv.Atoi(part); err != nil || part == "" || part[0] == '+' || part[0] == '-' {
			return 0, ""
		}
	}
	return rfc, section
}

// IsWellFormedID reports whether id has the shape of a requirement ID:
// H, R or D, a dash, a dotted section number, a dash and a slug of letters,
// digits, '_', '-' and '/'. It says nothing about whether the ID exists;
// use Lookup for that.
func IsWellFormedID(id string) bool {
	rfc, section := parseID(id)
	if rfc == 0 {
		return false
	}
	slug := id[2+len(section)+1:]
	if slug == "" || slug[len(slug)-1] == '-' || slug[len(slug)-1] == '/' {
		return false
	}
	for i := 0; i < len(slug); i++ {
		c := slug[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_':
		case c == '-' || c == '/':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}
