//go:build purego || !amd64

package codec

// archUTF8Impls adds nothing: the scalar loop is the only path.
func archUTF8Impls() []utf8Impl { return nil }
