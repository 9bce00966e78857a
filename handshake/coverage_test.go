package handshake_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wskit/wskit/internal/citation"
	"github.com/wskit/wskit/spec"
)

// outOfReach are the handshake rules that package handshake cannot check:
// they are about TLS and about how a client queues its connections, which
// happen outside the bytes of the handshake. The lines are hidden from
// the citation scanner, so that nothing claims to cover them.
var outOfReach = map[string]bool{
	"H-4.1-one-connecting": true, // queueing connections per address; citation:ignore
	"H-4.1-tls-sni":        true, // TLS with SNI before the handshake; citation:ignore
	"H-4.2.2-tls":          true, // the handshake inside TLS on an HTTPS port; citation:ignore
}

// TestEveryHandshakeRuleCited checks that every H- rule of the catalogue,
// except the three above, is cited by a test, a vector or a fuzz target
// of the handshake area: handshake/*_test.go, the handshake vectors and
// their tests, and fuzz/handshake_test.go.
func TestEveryHandshakeRuleCited(t *testing.T) {
	for id := range outOfReach {
		if _, ok := spec.Lookup(id); !ok {
			t.Fatalf("outOfReach names %s, which the catalogue does not have", id)
		}
	}
	root, ok := citation.FindRoot(".")
	if !ok {
		t.Fatal("module root not found")
	}
	cites, err := citation.Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	ours := func(file string) bool {
		return strings.HasPrefix(file, "handshake/") && strings.HasSuffix(file, "_test.go") && file != "handshake/coverage_test.go" ||
			file == "vectors/handshake.json" || file == "vectors/handshake_test.go" || file == "fuzz/handshake_test.go"
	}
	covered := map[string]bool{}
	for _, c := range cites {
		if c.Kind.IsCoverage() && ours(filepath.ToSlash(c.File)) {
			covered[c.ID] = true
		}
	}
	for _, r := range spec.Requirements() {
		if strings.HasPrefix(r.ID, "H-") && !outOfReach[r.ID] && !covered[r.ID] {
			t.Errorf("%s (%s) is cited by no handshake test, vector or fuzz target", r.ID, r.Summary)
		}
		if outOfReach[r.ID] && covered[r.ID] {
			t.Errorf("%s is cited in the handshake area, which cannot check it", r.ID)
		}
	}
}
