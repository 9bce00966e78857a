//go:build ignore

// gen.go rewrites the vector files of this directory. Run it with
// "go generate ./vectors".
package main

import (
	"log"

	"github.com/wskit/wskit/vectors/internal/vectorgen"
)

func main() {
	if err := vectorgen.Write("."); err != nil {
		log.Fatal(err)
	}
}
