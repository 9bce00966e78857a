package codec

import _ "github.com/wskit/wskit/conformance"
