package conformance

import _ "github.com/wskit/wskit/conformance/autobahn"
