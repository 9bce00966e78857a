//go:build unix

package clienttest

import (
	"os/exec"
	"syscall"
)

// killGroup makes cmd run in a process group of its own and, when its
// context ends, kills the whole group, so that a client started through
// a shell script does not outlive its case.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
