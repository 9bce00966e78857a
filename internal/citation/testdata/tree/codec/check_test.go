package codec

import "testing"

func TestX(t *testing.T) { _ = "R-5.5.1-close-body" }
