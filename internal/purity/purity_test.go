package purity

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// pureRoots are the directories, relative to the module root, whose
// packages must stay pure. Subpackages are included.
var pureRoots = []string{"spec", "codec", "handshake"}

// forbidden lists the imports a pure package may not have. Packages below
// these paths (os/exec, net/http/httptest, math/rand/v2, sync/atomic) are
// forbidden too, except below "net", whose pure parsers (net/url,
// net/netip) are allowed: only net itself and its I/O packages are not.
var forbidden = []string{"net", "net/http", "net/textproto", "net/rpc", "net/smtp", "os", "time", "math/rand", "sync", "syscall"}

func isForbidden(path string) bool {
	for _, f := range forbidden {
		if path == f || (f != "net" && strings.HasPrefix(path, f+"/")) {
			return true
		}
	}
	return false
}

// violations returns a line for every forbidden import and every go
// statement in the non-test Go files of the package in dir.
func violations(t *testing.T, dir string) []string {
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
		if isForbidden(imp) {
			out = append(out, dir+": imports "+imp)
		}
	}
	fset := token.NewFileSet()
	for _, name := range slices.Concat(pkg.GoFiles, pkg.CgoFiles) {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GoStmt); ok {
				out = append(out, fset.Position(g.Pos()).String()+": starts a goroutine")
			}
			return true
		})
	}
	return out
}

func TestPurePackages(t *testing.T) {
	root := filepath.Join("..", "..")
	checked := 0
	for _, r := range pureRoots {
		err := filepath.WalkDir(filepath.Join(root, r), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				return nil
			}
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			for _, v := range violations(t, path) {
				t.Error(v)
			}
			checked++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if checked < len(pureRoots) {
		t.Fatalf("checked %d directories, want at least %d", checked, len(pureRoots))
	}
}

// TestCheckerFindsViolations proves the checker can fail: the fixture in
// testdata/impure imports os, time and sync/atomic and starts a goroutine.
func TestCheckerFindsViolations(t *testing.T) {
	got := violations(t, filepath.Join("testdata", "impure"))
	want := []string{"imports os", "imports sync/atomic", "imports time", "starts a goroutine"}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || strings.HasSuffix(g, w)
		}
		if !found {
			t.Errorf("checker missed %q; found %q", w, got)
		}
	}
	if _, err := os.Stat(filepath.Join("testdata", "impure", "impure.go")); err != nil {
		t.Fatal(err)
	}
}

func TestIsForbidden(t *testing.T) {
	for path, want := range map[string]bool{
		"net": true, "net/http": true, "net/http/httptest": true, "net/textproto": true,
		"os": true, "os/exec": true, "time": true, "math/rand": true, "math/rand/v2": true,
		"sync": true, "sync/atomic": true, "syscall": true,
		"net/url": false, "net/netip": false, "strings": false, "io": false, "crypto/sha1": false,
		"unicode/utf8": false, "timezone": false, "osmosis": false,
	} {
		if got := isForbidden(path); got != want {
			t.Errorf("isForbidden(%q) = %v, want %v", path, got, want)
		}
	}
}
