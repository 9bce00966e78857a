//go:build !unix

package clienttest

import "os/exec"

// killGroup leaves cmd as it is: where there are no process groups, a
// timeout kills the client's own process only.
func killGroup(cmd *exec.Cmd) {}
