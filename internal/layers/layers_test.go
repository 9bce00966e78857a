package layers

import (
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/wskit/wskit"

// allowed maps a package, relative to the module, to the conformance and
// cmd packages it may import. A package not listed may import none.
var allowed = map[string][]string{
	"conformance":                        nil,
	"conformance/autobahn":               {"conformance"},
	"conformance/report":                 {"conformance", "conformance/autobahn", "conformance/report/internal/pyjson"},
	"conformance/report/internal/pyjson": {"conformance"},
	"conformance/clienttest":             {"conformance", "conformance/config", "conformance/report"},
	"cmd/wskit":                          {"conformance", "conformance/autobahn", "conformance/report", "conformance/config", "conformance/loopback", "conformance/clienttest", "conformance/clienttest/echoclient"},
	"internal/fixture":                   nil,
}

// isGuarded reports whether an import path is one whose importers are
// restricted: a conformance package or a command.
func isGuarded(rel string) bool {
	return rel == "conformance" || strings.HasPrefix(rel, "conformance/") || strings.HasPrefix(rel, "cmd/")
}

// imports returns the module-relative paths of the module packages that
// the non-test files of the package in dir import.
func imports(t *testing.T, dir string) []string {
	t.Helper()
	pkg, err := build.ImportDir(dir, 0)
	if err != nil {
		if _, ok := err.(*build.NoGoError); ok {
			return nil
		}
		t.Fatalf("%s: %v", dir, err)
	}
	var out []string
	for _, imp := range pkg.Imports {
		if rel, ok := strings.CutPrefix(imp, module+"/"); ok {
			out = append(out, rel)
		}
	}
	return out
}

// violations returns a line for every import of a guarded package that
// allowed does not permit, for every package under root.
func violations(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if name := d.Name(); path != root && (name == "testdata" || name == "bench" || strings.HasPrefix(name, ".")) {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		for _, imp := range imports(t, path) {
			if isGuarded(imp) && !slices.Contains(allowed[rel], imp) {
				out = append(out, rel+" imports "+imp)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportDirection(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal(err)
	}
	for _, v := range violations(t, root) {
		t.Error(v)
	}
}

// TestCatchesViolations runs the check over a fixture tree in which the
// engine imports the catalogue and codec imports the engine.
func TestCatchesViolations(t *testing.T) {
	got := violations(t, "testdata/tree")
	slices.Sort(got)
	want := []string{"codec imports conformance", "conformance imports conformance/autobahn"}
	if !slices.Equal(got, want) {
		t.Errorf("violations %q, want %q", got, want)
	}
}
