package clienttest

import (
	"slices"
	"strings"

	"github.com/wskit/wskit/conformance"
)

// serverRoleCategories are the categories whose cases run with the runner
// as the server as they are: Autobahn's categories 1-7, 9 and 10, whose
// scripts send frames through the session (masked or not as the role
// asks) and which Autobahn's fuzzing server runs against clients with
// the same IDs and verdicts. wskit's own categories are written for the
// runner as a client: category 0 replaces the client's opening handshake
// (Case.Opening) and category 8 writes masked client frames byte for byte
// and probes the server with new connections. A category joins the list
// once its cases are checked in the server role; until then it is left
// out rather than run with verdicts that mean something else.
var serverRoleCategories = []string{"1", "2", "3", "4", "5", "6", "7", "9", "10"}

// Runnable reports whether a case runs against clients: it belongs to a
// category checked in the server role and has a script over an open
// connection (no opening handshake of its own).
func Runnable(c *conformance.Case) bool {
	cat, _, _ := strings.Cut(c.ID, ".")
	return c.Open != nil && c.Opening == nil && slices.Contains(serverRoleCategories, cat)
}

// Suite returns the cases of cases that run against clients (Runnable),
// in their order. Pass it the catalogue (autobahn.Cases()) for the whole
// client suite, or a selection of it.
func Suite(cases []*conformance.Case) []*conformance.Case {
	var out []*conformance.Case
	for _, c := range cases {
		if Runnable(c) {
			out = append(out, c)
		}
	}
	return out
}
