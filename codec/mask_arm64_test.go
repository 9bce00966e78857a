//go:build !purego

package codec

// archMaskImpls adds the NEON path, which every arm64 CPU can run.
func archMaskImpls() []maskImpl {
	return []maskImpl{{"neon", maskWith(maskWords)}}
}
