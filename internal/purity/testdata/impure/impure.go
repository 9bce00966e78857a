// Package impure is a fixture for the purity checker: everything in it is
// forbidden in codec, spec and handshake.
package impure

import (
	"os"
	"sync/atomic"
	"time"
)

var n atomic.Int64

// Leak starts a goroutine that touches the file system and the clock.
func Leak() {
	go func() {
		n.Add(1)
		_, _ = os.Stat(time.Now().String())
	}()
}
