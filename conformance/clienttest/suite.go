package clienttest

import (
	"slices"
	"strings"

	"github.com/wskit/wskit/conformance"
)

// serverRoleCategories are the categories whose cases run with the runner
// as the server: Autobahn's categories 1-7, 9 and 10, whose scripts send
// frames through the session (masked or not as the role asks) and which
// Autobahn's fuzzing server runs against clients with the same IDs and
// verdicts, and wskit's own 0 and 8, whose cases say how they read from
// the client's side (conformance.Case.AgainstClients: category 0 checks
// the client's verification of the server's response, a case of 8 sends
// the same rule's frames as a server would), and the permessage-deflate
// categories: Autobahn's 12 and 13, which accept the client's offers by
// Autobahn's fuzzing-server rules (conformance.Case.AcceptDeflate), and
// wskit's 14, whose 14.3 answers with invalid acceptances. A category
// joins the list once its cases are checked in the server role; until
// then it is left out rather than run with verdicts that mean something
// else.
var serverRoleCategories = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "12", "13", "14"}

// Runnable reports whether a case runs against clients: it belongs to a
// category checked in the server role and has a form against clients
// (conformance.Case.AgainstClients) with a script over an open
// connection.
func Runnable(c *conformance.Case) bool {
	cat, _, _ := strings.Cut(c.ID, ".")
	v, ok := c.AgainstClients()
	return ok && v.Open != nil && v.Opening == nil && slices.Contains(serverRoleCategories, cat)
}

// Suite returns the cases of cases that run against clients (Runnable),
// in their order, each in its form against clients
// (conformance.Case.AgainstClients). Pass it the catalogue
// (autobahn.Cases()) for the whole client suite, or a selection of it.
func Suite(cases []*conformance.Case) []*conformance.Case {
	var out []*conformance.Case
	for _, c := range cases {
		if Runnable(c) {
			v, _ := c.AgainstClients()
			out = append(out, v)
		}
	}
	return out
}
