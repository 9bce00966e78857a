package interop

import "fmt"

// mib prints a byte count in MiB.
func mib(n uint64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
