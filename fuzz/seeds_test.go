package fuzz

import (
	"testing"

	"github.com/wskit/wskit/vectors"
)

// frameSeeds returns the input bytes of every frame vector.
func frameSeeds(f *testing.F) []vectors.FrameVector {
	f.Helper()
	all, err := vectors.Frames()
	if err != nil {
		f.Fatal(err)
	}
	return all
}
