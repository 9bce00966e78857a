// Package handshake implements the RFC 6455 opening handshake for both
// roles, without I/O: bytes and values in, bytes and values out.
//
// It starts no goroutines and imports no networking, clock, randomness or
// file system package (a test enforces it): the caller reads and writes
// the connection, and passes in the client's 16-byte nonce.
//
// # Server
//
// A server feeds what it has read to ParseRequest until it returns a
// request (or an error), then asks a Server policy to Accept it:
//
//	req, n, err := handshake.ParseRequest(buf, 0) // 0: DefaultMaxHeadSize (8 KiB)
//	// n == 0 && err == nil: read more and call again
//	acc, err := srv.Accept(req)
//	// err is a *Rejection: write rej.Response() and close
//	// otherwise write acc.Response; buf[n:] are the client's first frames
//
// A server that reads its connection in pieces can feed each piece to a
// RequestReader instead: it gives the same results, keeps the unfinished
// head (never more than the limit) and its place in it, and so scans each
// byte once, where calling ParseRequest after every read rescans the head
// from its start.
//
// Every refusal is a *Rejection carrying the status, the header fields
// the status requires, the requirement ID of package spec and a detail,
// with the response bytes ready to write.
//
// # Client
//
// A client builds its request with NewRequest, sends req.Append(nil), then
// feeds what it reads to ParseResponse and checks the result with
// VerifyResponse, which returns the agreed subprotocol and extensions or a
// *ResponseError carrying the status and the requirement ID. A
// ResponseReader is to ParseResponse what a RequestReader is to
// ParseRequest.
//
// # Header grammar
//
// ParseExtensions and FormatExtensions handle Sec-WebSocket-Extensions
// (RFC 6455 section 9.1), ParseProtocols and FormatProtocols
// Sec-WebSocket-Protocol (section 4.3); several field lines are one list.
// AcceptKey computes Sec-WebSocket-Accept.
//
// # Decisions
//
// RFC 6455 leaves some points open or contradicts itself, and RFC 9110
// and RFC 9112 have since added rules. Each point was decided on purpose.
// Where wskit's reference notes (spec.md of the planning notes, sections
// 1.5 and 1.9) and an RFC disagree, the RFC wins; three points below do
// so: empty list elements, 414 for an over-long request-target, and
// folded lines in responses.
//
//   - Version mismatch: 426 Upgrade Required, as RFC 6455 section 4.2.2
//     says, not the 400 of the section 4.4 example. The answer carries
//     Sec-WebSocket-Version: 13 (the only version served) and, because
//     RFC 9110 section 15.5.22 says a 426 MUST, Upgrade: websocket with
//     Connection: Upgrade. A missing, malformed ("013", "256") or repeated
//     version gets the same answer. A conformance runner should accept 400
//     with Sec-WebSocket-Version too.
//   - Split Sec-WebSocket-Extensions in a response: section 11.3.2 forbids
//     a server to send two fields, section 4.2.2 allows splitting. Accept
//     always writes one field; VerifyResponse merges several lines in
//     order, as RFC 9110 section 5.3 makes them equivalent to one.
//   - Non-canonical base64 keys: accepted. A key is valid when it is 22
//     base64 characters and "==", decoding to 16 bytes; the unused low
//     bits of the last character are not checked, since RFC 6455's own
//     example key AQIDBAUGBwgJCgsMDQ4PEC== sets them. The accept value is
//     computed on the key string as received, never on decoded bytes.
//     An unpadded key (22 characters) is rejected: the grammar requires
//     the padding.
//   - Version grammar 256-299: the ABNF's "2" DIGIT DIGIT lets them through
//     but its comment says 0-255; they are malformed. Either way only 13
//     is served, so only the detail differs.
//   - Quoted extension parameter values must unescape to a token, as
//     section 9.1 says: x="10" is x=10, x="1 0" and bar="b,a;z" are
//     grammar errors (400 for a server, a failed handshake for a client).
//   - Upgrade: a request's field must contain the token websocket in any
//     case (section 4.2.1, a list such as "websocket, foo" passes); a
//     response's must be exactly the one token websocket in any case
//     (section 4.1: "websocket, foo" fails).
//   - Connection, Upgrade, Sec-WebSocket-Protocol and
//     Sec-WebSocket-Extensions lists may have empty elements and span
//     several lines: RFC 9110 section 5.6.1 says a recipient MUST ignore
//     empty elements (the notes suggest 400 for them; the RFC wins), and
//     section 5.3 makes several lines one list. A 1# list still needs one
//     non-empty element, and a request that names a subprotocol twice is
//     rejected (names are unique, RFC 6455 section 4.1).
//   - Host: a missing, repeated or invalid Host gets 400 (RFC 9112 section
//     3.2). Whether the host is this server's is the caller's business.
//   - Method: anything but GET, in that case, gets 405 with Allow: GET
//     (RFC 9110 section 15.5.6 says a 405 MUST carry Allow).
//   - HTTP/1.0 (and 0.x, and any major version but 1) gets 400: RFC 9110
//     section 7.8 says a server MUST ignore Upgrade in an HTTP/1.0 request,
//     so it can never become a WebSocket connection. 505 would also fit a
//     version 2 or later; every rejection here is a 4xx.
//   - A request with content (Content-Length other than 0, or any
//     Transfer-Encoding) gets 400: the bytes after the head must be frames,
//     not a body. A 101 response with either field fails the client
//     (RFC 9110 section 8.6 and RFC 9112 section 6.1 forbid them in 1xx).
//   - Line endings: only CRLF. A bare LF is refused although RFC 9112
//     section 2.2 lets a recipient accept it, because parsers that
//     disagree on line ends are how request smuggling works; a bare CR is
//     refused as section 2.2 requires. Requests: 400; responses: a failed
//     handshake.
//   - obs-fold: a request with a folded line, or with whitespace before
//     its first field, gets 400 (RFC 9112 sections 5.2 and 2.2 allow
//     this). In a response a fold is replaced by one space, because RFC
//     9112 section 5.2 says a user agent MUST do that (rejecting folds is
//     for requests only), and RFC 6455's RFC 2616 grammar allows folding.
//   - Whitespace between a field name and its colon: 400 (RFC 9112
//     section 5.1, MUST). Control characters, NUL included, anywhere in a
//     head: 400 (RFC 9110 section 5.5 allows rejecting).
//   - Empty lines before the request line are skipped (RFC 9112 section
//     2.2, SHOULD), within the size limit.
//   - Size: the whole head, start line to final empty line, must fit in
//     the limit (default 8 KiB). Beyond it: 431; but 414 if the request
//     line alone does not fit and has a space, because RFC 9112 section 3
//     says an over-long request-target MUST get 414 (the notes ask for 431
//     on any huge head; the RFC wins); and 400 if the method alone fills
//     the limit. The parser never looks past the limit, so cost and
//     memory are bounded by it whatever arrives.
//   - Request-target: origin-form ("/path?query") or an absolute http or
//     https URI (RFC 9112 section 3.2.2 says a server MUST accept
//     absolute-form; RFC 6455 section 4.1 allows only those schemes);
//     visible ASCII only, and never '#'. Anything else gets 400.
//   - Extension and subprotocol names compare case-sensitively: RFC 6455
//     defines no case folding for them.
//   - A response status line needs both spaces, even with an empty reason
//     (RFC 9112 section 4); a 101 must be HTTP/1.1 or a later 1.x.
//
// Every rule enforced cites its requirement ID (package spec) in its error
// and in a comment next to the check.
package handshake
