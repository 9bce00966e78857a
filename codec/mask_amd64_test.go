//go:build !purego

package codec

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// archMaskImpls adds the assembly paths: SSE2 always, AVX2 when the CPU
// has it.
func archMaskImpls() []maskImpl {
	impls := []maskImpl{{"sse2", maskWith(maskSSE2)}}
	if cpu.X86.HasAVX2 {
		impls = append(impls, maskImpl{"avx2", maskWith(maskAVX2)})
	}
	return impls
}

// TestMaskDispatch checks that Mask uses AVX2 exactly when the CPU has it.
func TestMaskDispatch(t *testing.T) {
	if maskUseAVX2 != cpu.X86.HasAVX2 {
		t.Fatalf("maskUseAVX2 = %v, but cpu.X86.HasAVX2 = %v", maskUseAVX2, cpu.X86.HasAVX2)
	}
	t.Logf("AVX2: %v", maskUseAVX2)
}
