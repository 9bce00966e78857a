package interop

import "fmt"

// kib prints a byte count in bytes below 1 KiB, in KiB below 10 MiB, in
// MiB from there.
func kib(n uint64) string {
	if n < 1<<10 {
		return fmt.Sprintf("%d B", n)
	}
	if n < 10<<20 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return mib(n)
}

// mib prints a byte count in MiB.
func mib(n uint64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
