//go:build purego || !(amd64 || arm64)

package codec

// archMaskImpls adds nothing: the portable loop is the only word path.
func archMaskImpls() []maskImpl { return nil }
