package interop

// A Note is a documented, deliberate choice of a library that explains some
// of its cells, with where it is stated.
type Note struct {
	Library string
	Text    string
}

// Notes are the footnotes of the table.
var Notes = []Note{
	{"gorilla", "Does not validate the UTF-8 of text messages, by design: \"It is the application's responsibility to ensure that text messages are valid UTF-8 encoded text\" (gorilla/websocket `doc.go`, v1.5.3; quoted in ergochat/ergo#2039). Its read limit defaults to none (`Conn.SetReadLimit`, `conn.go`), so a declared 2^63-1 byte frame is waited for."},
	{"coder", "Does not validate UTF-8, by design: its Autobahn run skips categories 6.* and 7.5.1 \"as there isn't any reason to reject invalid UTF-8, just more performance overhead\" (coder/websocket `autobahn_test.go`, v1.8.15). It has no API to send an unsolicited pong (conn vectors with `send-pong` are n/a), `Close` runs the whole closing handshake, and after its own Close it delivers no more messages."},
	{"gws", "UTF-8 checking is off by default (`Config.CheckUtf8Enabled`: \"Whether to check the text utf8 encoding, turn off the performance will be better\", lxzan/gws `option.go`, v1.8.9); the table keeps the default. Answering pings is the application's (`Event.OnPing`; the driver writes the pong as gws's README does). Under net/http, `Upgrader.Upgrade` reads the hijacked connection through a new buffer, so a frame sent right behind the request head is lost (`req-trailing-frame`); `gws.NewServer` keeps its own buffer and is not affected (`upgrader.go`)."},
	{"gobwas", "A low-level library: after a read error the application decides what to send, and gobwas's README example just closes the connection (\"handle error\"), so failures show as \"no Close\"; its control handler echoes every Close and it refuses no send, whatever the state (conn vectors). `wsutil.ReadClientData` checks UTF-8 by default (`wsutil.SetCheckUTF8`, `wsutil/helper.go`). It accepts only the close codes of its own table, which lacks 1012-1014 (`ws.CheckCloseFrameData`)."},
	{"all", "Resource routing is the application's job in every peer (the net/http mux, or gobwas's `OnRequest`), and no peer takes arbitrary extensions or a head-size limit of its own: those handshake vectors are n/a for them. wskit's strict statuses (405, 426, 414, 431) are not required: any 4xx conforms for a reject vector, and the cell's detail gives the status."},
	{"all", "Conn vectors are compared per kind of frame (data, pongs, Closes, in order within each kind) and the reason of a Close is not compared: a real library writes its answers as it reads. The harness's application answers each message before reading the next (the `send` steps of a script come before the library reads on), the way an echo handler does."},
}
