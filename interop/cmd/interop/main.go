// Command interop runs wskit's vectors through other Go WebSocket libraries
// and writes the conformance table:
//
//	cd interop && go run ./cmd/interop -out INTEROP.md
//
// Without -out it writes the table to standard output. It exits 1 when
// wskit's own row does not conform everywhere or a driver fails a baseline
// vector, as the module's test does.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wskit/wskit/interop"
)

func main() {
	out := flag.String("out", "", "write the table to this file instead of standard output")
	flag.Parse()
	rep, err := interop.Run(interop.Libraries())
	if err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		os.Exit(1)
	}
	var w io.Writer = os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "interop:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	if err := rep.WriteTable(w); err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		os.Exit(1)
	}
	if problems := rep.Problems("wskit"); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "interop:", p)
		}
		os.Exit(1)
	}
}
