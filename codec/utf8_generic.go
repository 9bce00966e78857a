//go:build purego || !amd64

package codec

// utf8Prefix is nil without assembly for this architecture, or under the
// purego build tag: Write uses its scalar loop, with its word-at-a-time
// ASCII path, throughout.
var utf8Prefix func(p []byte) int
