//go:build purego || !(amd64 || arm64)

package codec

// maskWords masks p in place with k (see maskGeneric). Without assembly for
// this architecture, or under the purego build tag, it is the portable loop.
func maskWords(p []byte, k uint32) {
	maskGeneric(p, k)
}
