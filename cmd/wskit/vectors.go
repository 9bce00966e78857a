package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wskit/wskit/vectors"
)

func runVectors(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("vectors", "-out DIR",
		"Writes the JSON test vectors built into this binary, and SCHEMA.md describing them, to DIR,\n"+
			"for implementations in other languages. (To rebuild the vectors themselves after changing\n"+
			"the generator, run 'go generate ./vectors' in the source tree.)",
		stderr)
	out := fs.String("out", "", "directory to write the vector files to (created if missing)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "wskit vectors: -out is required")
		fs.Usage()
		return 2
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "wskit vectors: %v\n", err)
		return 1
	}
	for _, name := range append(vectors.Names(), "SCHEMA.md") {
		b, err := vectors.ReadFile(name)
		if err == nil {
			err = os.WriteFile(filepath.Join(*out, name), b, 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "wskit vectors: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, filepath.Join(*out, name))
	}
	return 0
}
