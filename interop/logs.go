package interop

import (
	"io"
	"log"
)

// discardLog silences net/http's server log: a handler whose connection
// the harness closed mid-way is expected here, not news.
var discardLog = log.New(io.Discard, "", 0)
