// Command wskit runs wskit's tools: the conformance runner, the loopback
// server, a frame dissector, and views of the requirement catalogue and
// test vectors.
//
// Usage:
//
//	wskit <command> [flags]
//
// The commands are:
//
//	conform         run the conformance cases against a server (default: the loopback server)
//	conform-client  run the conformance cases against a client, started once per case (-exec)
//	serve-cases     serve the conformance cases to clients with Autobahn's fuzzing-server API
//	echo-client     run the reference echo client (it passes every client case)
//	serve           run the strict loopback echo server, for testing clients
//	dissect         decode raw frame bytes and show each frame and any protocol error
//	reqs            print the requirement catalogue and where each rule is covered
//	vectors         write the JSON test vectors and their schema to a directory
//
// Run "wskit <command> -h" for a command's flags. Exit status is 0 on
// success, 1 when the command ran and found failures, and 2 on usage
// errors.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
)

// A command is one subcommand of wskit.
type command struct {
	summary string
	// run executes the command with its arguments (without the command
	// name) and returns the exit status.
	run func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{
	"conform":        {"run the conformance cases against a server (default: the loopback server)", runConform},
	"serve":          {"run the strict loopback echo server, for testing clients", runServe},
	"serve-cases":    {"serve the conformance cases to clients with Autobahn's fuzzing-server API", runServeCases},
	"conform-client": {"run the conformance cases against a client, started once per case (-exec)", runConformClient},
	"echo-client":    {"run the reference echo client (it passes every client case)", runEchoClient},
	"dissect":        {"decode raw frame bytes and show each frame and any protocol error", runDissect},
	"reqs":           {"print the requirement catalogue and where each rule is covered", runReqs},
	"vectors":        {"write the JSON test vectors and their schema to a directory", runVectors},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "wskit: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return cmd.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: wskit <command> [flags]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-14s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nRun 'wskit <command> -h' for a command's flags.")
}

// parseFlags parses a command's flags and maps the outcome to an exit
// status: -1 to continue, 0 after -h, 2 on a usage error.
func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return 2
	}
	return -1
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage with a one-line description.
func newFlagSet(name, synopsis, description string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("wskit "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: wskit %s %s\n\n%s\n\nflags:\n", name, synopsis, description)
		fs.PrintDefaults()
	}
	return fs
}
