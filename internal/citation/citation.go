// Package citation finds where requirement IDs (package spec) are cited in
// wskit's source tree, and sorts each citation by the kind of evidence it
// is: a test, a vector, a fuzz target, a conformance case, or code that
// enforces the rule.
//
// It reads files; it is used by "wskit reqs" and by the test that fails
// when anything cites an ID that is not in the catalogue.
package citation

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// A Kind says what sort of evidence a citation is.
type Kind string

// The kinds of citation. Only the first four count as coverage: code that
// names a rule enforces it, but does not show that it does.
const (
	Test        Kind = "test"        // a _test.go file outside fuzz/ (unit, table and rapid property tests)
	Vector      Kind = "vector"      // a JSON file under vectors/
	Fuzz        Kind = "fuzz"        // a file under fuzz/
	Conformance Kind = "conformance" // a non-test Go file of the case catalogue, conformance/autobahn/
	Code        Kind = "code"        // any other Go file
)

// Kinds lists the kinds in the order reports show them.
var Kinds = []Kind{Test, Vector, Fuzz, Conformance, Code}

// IsCoverage reports whether citations of kind k count as coverage.
func (k Kind) IsCoverage() bool { return k != Code }

// A Citation is one mention of a requirement ID.
type Citation struct {
	ID   string // the ID as written
	Kind Kind
	File string // slash-separated path relative to the scanned root
	Line int    // 1-based
}

// idPattern matches anything shaped like a requirement ID, existing or
// not, so that misspelled citations are found too.
var idPattern = regexp.MustCompile(`\b[HRD]-[0-9]+(?:\.[0-9]+)*-[A-Za-z0-9_]+(?:[-/][A-Za-z0-9_]+)*`)

// IgnoreMarker on a line hides that line from the scanner. Tests that
// write malformed or unknown IDs on purpose (to check that they are
// rejected) put it in a comment on the same line.
const IgnoreMarker = "citation:ignore"

// skipDirs are directories never scanned: version control, test fixtures
// (which hold deliberate mistakes) and the separate benchmark module.
var skipDirs = map[string]bool{".git": true, "testdata": true, "bench": true, "node_modules": true}

// definitionFile is where the IDs are defined rather than cited.
const definitionFile = "spec/catalogue.go"

// Scan walks the tree at root and returns every citation in its Go and
// JSON files, ordered by file and line.
func Scan(root string) ([]Citation, error) {
	var out []Citation
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		kind, ok := classify(rel)
		if !ok {
			return nil
		}
		found, err := scanFile(path, rel, kind)
		out = append(out, found...)
		return err
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Line < out[j].Line
	})
	return out, err
}

// catalogueDir holds the conformance case definitions. The rest of
// conformance/ (the engine, the loopback server, the fixtures) is code.
const catalogueDir = "conformance/autobahn/"

// classify returns the kind of evidence a file holds, or false for files
// that are not scanned.
func classify(rel string) (Kind, bool) {
	if rel == definitionFile {
		return "", false
	}
	top, _, _ := strings.Cut(rel, "/")
	switch {
	case strings.HasSuffix(rel, ".json"):
		if top == "vectors" {
			return Vector, true
		}
		return "", false
	case !strings.HasSuffix(rel, ".go"):
		return "", false
	case top == "fuzz":
		return Fuzz, true
	case strings.HasSuffix(rel, "_test.go"):
		return Test, true
	case strings.HasPrefix(rel, catalogueDir):
		return Conformance, true
	}
	return Code, true
}

func scanFile(path, rel string, kind Kind) ([]Citation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Citation
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20) // vector files have long hex lines
	for line := 1; sc.Scan(); line++ {
		if strings.Contains(sc.Text(), IgnoreMarker) {
			continue
		}
		for _, id := range idPattern.FindAllString(sc.Text(), -1) {
			out = append(out, Citation{ID: id, Kind: kind, File: rel, Line: line})
		}
	}
	return out, sc.Err()
}

// FindRoot returns the root of the wskit module containing dir: the
// nearest directory at or above dir whose go.mod declares
// github.com/wskit/wskit.
func FindRoot(dir string) (string, bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module github.com/wskit/wskit\n") {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
