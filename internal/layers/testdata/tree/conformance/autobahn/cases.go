package autobahn

import _ "github.com/wskit/wskit/conformance"
