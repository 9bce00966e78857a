package handshake_test

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/handshake"
	"pgregory.net/rapid"
)

// tokenGen draws tokens: mostly short names, sometimes every tchar.
func tokenGen() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.SampledFrom([]string{"chat", "superchat", "permessage-deflate", "x-foo", "client_max_window_bits", "v2.example", "10", "a"}),
		rapid.StringMatching("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}"),
	)
}

// extensionGen draws one extension with 0-3 parameters, each with or
// without a value.
func extensionGen() *rapid.Generator[handshake.Extension] {
	return rapid.Custom(func(t *rapid.T) handshake.Extension {
		e := handshake.Extension{Name: tokenGen().Draw(t, "name")}
		for i, n := 0, rapid.IntRange(0, 3).Draw(t, "params"); i < n; i++ {
			p := handshake.Param{Name: tokenGen().Draw(t, "param")}
			if rapid.Bool().Draw(t, "hasValue") {
				p.Value = tokenGen().Draw(t, "value")
			}
			e.Params = append(e.Params, p)
		}
		return e
	})
}

// clientCase is everything a client draws for one handshake.
type clientCase struct {
	URL       string
	Nonce     [16]byte
	Protocols []string
	Offers    []handshake.Extension
	Extra     handshake.Header
	Trailing  []byte
}

func clientCaseGen() *rapid.Generator[clientCase] {
	return rapid.Custom(func(t *rapid.T) clientCase {
		var c clientCase
		scheme := rapid.SampledFrom([]string{"ws", "wss", "WS"}).Draw(t, "scheme")
		host := rapid.SampledFrom([]string{"example.com", "localhost", "127.0.0.1", "[::1]", "Server.Example.COM"}).Draw(t, "host")
		port := ""
		switch rapid.IntRange(0, 2).Draw(t, "portKind") {
		case 1:
			port = ":" + strconv.Itoa(rapid.IntRange(1, 65535).Draw(t, "port"))
		case 2:
			port = ":" + map[bool]string{true: "443", false: "80"}[strings.EqualFold(scheme, "wss")]
		}
		path := ""
		for i, n := 0, rapid.IntRange(0, 3).Draw(t, "segments"); i < n; i++ {
			path += "/" + rapid.StringMatching("([a-zA-Z0-9._~-]|%[0-9A-F]{2}){0,8}").Draw(t, "segment")
		}
		query := ""
		if rapid.Bool().Draw(t, "hasQuery") {
			query = "?" + rapid.StringMatching("[a-z0-9=&]{0,10}").Draw(t, "query")
		}
		c.URL = scheme + "://" + host + port + path + query
		c.Nonce = [16]byte(rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "nonce"))
		c.Protocols = rapid.SliceOfNDistinct(tokenGen(), 0, 5, rapid.ID[string]).Draw(t, "protocols")
		c.Offers = rapid.SliceOfN(extensionGen(), 0, 4).Draw(t, "offers")
		if rapid.Bool().Draw(t, "userAgent") {
			c.Extra.Add("User-Agent", "wskit-test/"+strconv.Itoa(rapid.IntRange(0, 9).Draw(t, "uaVersion")))
		}
		if rapid.Bool().Draw(t, "origin") {
			c.Extra.Add("Origin", "http://example.com")
		}
		c.Trailing = rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(t, "trailing")
		return c
	})
}

// policy draws a server policy: a subprotocol choice and, for each offered
// extension name, whether to accept its first offer with or without its
// parameters.
func policy(t *rapid.T) *handshake.Server {
	pick := rapid.IntRange(-1, 4).Draw(t, "pick")
	acceptMask := rapid.Uint8().Draw(t, "acceptMask")
	keepParams := rapid.Bool().Draw(t, "keepParams")
	return &handshake.Server{
		SelectSubprotocol: func(offered []string) string {
			if pick < 0 || pick >= len(offered) {
				return ""
			}
			return offered[pick]
		},
		NegotiateExtensions: func(offered []handshake.Extension) []handshake.Extension {
			var out []handshake.Extension
			for i, o := range offered {
				if acceptMask&(1<<(i%8)) == 0 || slices.ContainsFunc(out, func(e handshake.Extension) bool { return e.Name == o.Name }) {
					continue
				}
				if !keepParams {
					o.Params = nil
				}
				out = append(out, o)
			}
			return out
		},
	}
}

// TestClientServerAgree: any request NewRequest builds is accepted by
// Accept, the response Accept builds is verified by VerifyResponse, both
// sides agree on the subprotocol and extensions, the heads round-trip
// through their parsers, and trailing bytes are handed on untouched. The
// response never repeats Sec-WebSocket-Accept, -Protocol or -Extensions
// (H-11.3.3-accept-once, H-11.3.4-protocol-once, H-11.3.2-extensions-once),
// chooses only what was offered (H-4.2.2-subprotocol, H-4.2.2-extensions)
// and carries 101, Upgrade, Connection and the accept value
// (H-4.2.2-101, H-4.2.2-upgrade, H-4.2.2-connection, H-4.2.2-accept).
func TestClientServerAgree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := clientCaseGen().Draw(t, "client")
		req, err := handshake.NewRequest(c.URL, c.Nonce, handshake.RequestOptions{Subprotocols: c.Protocols, Extensions: c.Offers, Header: c.Extra})
		if err != nil {
			t.Fatalf("NewRequest(%q): %v", c.URL, err)
		}
		wire := req.Append(nil)
		parsed, n, err := handshake.ParseRequest(append(bytes.Clone(wire), c.Trailing...), 0)
		if err != nil || n != len(wire) {
			t.Fatalf("ParseRequest: n = %d of %d, %v\n%s", n, len(wire), err, wire)
		}
		if diff := cmp.Diff(req, parsed); diff != "" {
			t.Fatalf("request round trip (-built +parsed):\n%s", diff)
		}
		srv := policy(t)
		acc, err := srv.Accept(parsed)
		if err != nil {
			t.Fatalf("Accept: %v\n%s", err, wire)
		}
		serverTrailing := rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(t, "serverTrailing")
		resp, m, err := handshake.ParseResponse(append(bytes.Clone(acc.Response), serverTrailing...), 0)
		if err != nil || m != len(acc.Response) {
			t.Fatalf("ParseResponse: n = %d of %d, %v", m, len(acc.Response), err)
		}
		if !bytes.Equal(resp.Append(nil), acc.Response) {
			t.Fatalf("response round trip: %q vs %q", resp.Append(nil), acc.Response)
		}
		agreed, err := handshake.VerifyResponse(req, resp)
		if err != nil {
			t.Fatalf("VerifyResponse: %v\n%s", err, acc.Response)
		}
		if diff := cmp.Diff(acc.Negotiated, agreed); diff != "" {
			t.Fatalf("server and client disagree (-server +client):\n%s", diff)
		}
		if agreed.Subprotocol != "" && !slices.Contains(c.Protocols, agreed.Subprotocol) {
			t.Fatalf("subprotocol %q was not offered", agreed.Subprotocol)
		}
		for _, e := range agreed.Extensions {
			if !slices.ContainsFunc(c.Offers, func(o handshake.Extension) bool { return o.Name == e.Name }) {
				t.Fatalf("extension %q was not offered", e.Name)
			}
		}
		for _, name := range []string{"Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Upgrade", "Connection"} {
			if k := len(resp.Header.Values(name)); k > 1 {
				t.Fatalf("%d %s fields in the response", k, name)
			}
		}
		if resp.Status != 101 || resp.Header.Get("Upgrade") != "websocket" || resp.Header.Get("Connection") != "Upgrade" ||
			resp.Header.Get("Sec-WebSocket-Accept") != handshake.AcceptKey(req.Header.Get("Sec-WebSocket-Key")) {
			t.Fatalf("not the 101 of section 4.2.2: %q", acc.Response)
		}
		if (agreed.Subprotocol == "") != (resp.Header.Values("Sec-WebSocket-Protocol") == nil) {
			t.Fatalf("Sec-WebSocket-Protocol present iff a subprotocol was chosen: %q", acc.Response)
		}
	})
}

// verdict is what a server makes of a request head, reduced to what must
// not depend on how the head is spelled.
type verdict struct {
	NeedMore    bool
	Status      int
	Requirement string
	Subprotocol string
	Extensions  string
	Response    string
}

func serverVerdict(srv *handshake.Server, p []byte) verdict {
	req, n, err := handshake.ParseRequest(p, 1<<16)
	if err == nil && n == 0 {
		return verdict{NeedMore: true}
	}
	var acc *handshake.Acceptance
	if err == nil {
		acc, err = srv.Accept(req)
	}
	var rej *handshake.Rejection
	if errors.As(err, &rej) {
		return verdict{Status: rej.Status, Requirement: rej.Requirement}
	}
	if err != nil {
		return verdict{Requirement: "caller error: " + err.Error()}
	}
	return verdict{Status: 101, Subprotocol: acc.Subprotocol, Extensions: handshake.FormatExtensions(acc.Extensions), Response: string(acc.Response)}
}

// listFields are the fields whose values are comma lists that may be
// split over several lines.
var listFields = []string{"connection", "upgrade", "sec-websocket-protocol", "sec-websocket-extensions"}

// respell writes the fields of h in another spelling that means the same:
// names in random case, list tokens of Upgrade and Connection in random
// case, random OWS around values, list fields split over several lines,
// and fields reordered with the relative order of same-name fields kept.
func respell(t *rapid.T, start string, h handshake.Header, splitResponseLists bool) string {
	flipCase := func(s, label string) string {
		b := []byte(s)
		for i, c := range b {
			if ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') && rapid.Bool().Draw(t, label) {
				b[i] ^= 0x20
			}
		}
		return string(b)
	}
	ows := func(label string) string {
		return rapid.SampledFrom([]string{"", "", " ", "\t", "  ", " \t "}).Draw(t, label)
	}
	// Expand every field into the lines it becomes, grouped by name.
	type line struct{ name, value string }
	var groups [][]line
	index := map[string]int{}
	for _, f := range h {
		key := strings.ToLower(f.Name)
		var values []string
		isList := slices.Contains(listFields, key) && (splitResponseLists || key != "sec-websocket-extensions" && key != "sec-websocket-protocol")
		if isList && rapid.Bool().Draw(t, "split") {
			values = strings.Split(f.Value, ",")
		} else {
			values = []string{f.Value}
		}
		for _, v := range values {
			v = strings.TrimSpace(v)
			if key == "upgrade" || key == "connection" {
				v = flipCase(v, "valueCase")
			}
			i, ok := index[key]
			if !ok {
				i = len(groups)
				index[key] = i
				groups = append(groups, nil)
			}
			groups[i] = append(groups[i], line{flipCase(f.Name, "nameCase"), v})
		}
	}
	var b strings.Builder
	b.WriteString(start + "\r\n")
	for {
		var open []int
		for i, g := range groups {
			if len(g) > 0 {
				open = append(open, i)
			}
		}
		if len(open) == 0 {
			break
		}
		i := rapid.SampledFrom(open).Draw(t, "next")
		l := groups[i][0]
		groups[i] = groups[i][1:]
		fmt.Fprintf(&b, "%s:%s%s%s\r\n", l.name, ows("before"), l.value, ows("after"))
	}
	b.WriteString("\r\n")
	return b.String()
}

// damage draws a change that may make a valid request invalid, so that
// the spelling property covers rejections as well as acceptances.
func damage(t *rapid.T, req *handshake.Request) {
	switch rapid.IntRange(0, 12).Draw(t, "damage") {
	case 1:
		req.Header.Del("Host")
	case 2:
		req.Header.Set("Sec-WebSocket-Version", rapid.SampledFrom([]string{"8", "013", "256", ""}).Draw(t, "version"))
	case 3:
		req.Header.Add("Sec-WebSocket-Key", req.Header.Get("Sec-WebSocket-Key"))
	case 4:
		req.Method = rapid.SampledFrom([]string{"POST", "get", "HEAD"}).Draw(t, "method")
	case 5:
		req.Header.Set("Connection", "keep-alive")
	case 6:
		req.Header.Set("Upgrade", "h2c, websocket2")
	case 7:
		req.Header.Add("Sec-WebSocket-Extensions", rapid.SampledFrom([]string{"foo junk", `x; y="a b"`, "x;"}).Draw(t, "badExt"))
	case 8:
		req.Header.Add("Sec-WebSocket-Protocol", rapid.SampledFrom([]string{"a b", "ch@t"}).Draw(t, "badProto"))
	case 9:
		req.Minor = 0
	case 10:
		req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ")
	case 11:
		req.Header.Add("Sec-WebSocket-Version", "13")
	case 12:
		req.Header.Set("Connection", "keep-alive, Upgrade")
	}
}

// TestRequestSpellingInvariance: the server's verdict (accept with the
// same response, or the same status and requirement) does not depend on
// the case of field names, the case of the Upgrade and Connection tokens,
// whitespace around values, lists split over several lines or the order
// of fields.
func TestRequestSpellingInvariance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := clientCaseGen().Draw(t, "client")
		req, err := handshake.NewRequest(c.URL, c.Nonce, handshake.RequestOptions{Subprotocols: c.Protocols, Extensions: c.Offers, Header: c.Extra})
		if err != nil {
			t.Fatal(err)
		}
		damage(t, req)
		srv := policy(t)
		want := serverVerdict(srv, req.Append(nil))
		start := req.Method + " " + req.Target + " HTTP/1." + strconv.Itoa(req.Minor)
		other := respell(t, start, req.Header, true)
		if got := serverVerdict(srv, []byte(other)); got != want {
			t.Fatalf("verdict changed with the spelling:\n%q\n%+v\n%q\n%+v", req.Append(nil), want, other, got)
		}
	})
}

// TestResponseSpellingInvariance: the client's verdict on a server's 101
// does not depend on how the response is spelled either.
func TestResponseSpellingInvariance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := clientCaseGen().Draw(t, "client")
		req, err := handshake.NewRequest(c.URL, c.Nonce, handshake.RequestOptions{Subprotocols: c.Protocols, Extensions: c.Offers})
		if err != nil {
			t.Fatal(err)
		}
		acc, err := policy(t).Accept(req)
		if err != nil {
			t.Fatal(err)
		}
		resp, _, err := handshake.ParseResponse(acc.Response, 0)
		if err != nil {
			t.Fatal(err)
		}
		other := respell(t, "HTTP/1.1 101 Switching Protocols", resp.Header, false)
		resp2, n, err := handshake.ParseResponse([]byte(other), 0)
		if err != nil || n != len(other) {
			t.Fatalf("ParseResponse(%q): %v", other, err)
		}
		agreed, err := handshake.VerifyResponse(req, resp2)
		if err != nil {
			t.Fatalf("VerifyResponse(%q): %v", other, err)
		}
		if diff := cmp.Diff(acc.Negotiated, agreed); diff != "" {
			t.Fatalf("respelled %q (-server +client):\n%s", other, diff)
		}
	})
}

// TestExtensionsRoundTrip: formatting any list of valid extensions and
// parsing it back gives the list (H-9.1-ext-grammar); so does any other
// spelling of it: OWS around separators, quoted values with quoted-pairs,
// empty elements and the list split over several lines.
func TestExtensionsRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		exts := rapid.SliceOfN(extensionGen(), 1, 5).Draw(t, "extensions")
		formatted := handshake.FormatExtensions(exts)
		got, err := handshake.ParseExtensions(formatted)
		if err != nil {
			t.Fatalf("ParseExtensions(%q): %v", formatted, err)
		}
		if diff := cmp.Diff(exts, got); diff != "" {
			t.Fatalf("round trip of %q (-want +got):\n%s", formatted, diff)
		}
		if again := handshake.FormatExtensions(got); again != formatted {
			t.Fatalf("format(parse(%q)) = %q", formatted, again)
		}

		ows := func() string { return rapid.SampledFrom([]string{"", " ", "\t", " \t "}).Draw(t, "ows") }
		var lines []string
		var cur strings.Builder
		for i, e := range exts {
			if i > 0 {
				if rapid.Bool().Draw(t, "newLine") {
					lines = append(lines, cur.String())
					cur.Reset()
				} else {
					cur.WriteString(ows() + "," + ows())
				}
			}
			if rapid.Bool().Draw(t, "emptyElement") {
				cur.WriteString("," + ows())
			}
			cur.WriteString(e.Name)
			for _, p := range e.Params {
				cur.WriteString(ows() + ";" + ows() + p.Name)
				if p.Value == "" {
					continue
				}
				cur.WriteString(ows() + "=" + ows())
				if rapid.Bool().Draw(t, "quoted") {
					cur.WriteByte('"')
					for j := 0; j < len(p.Value); j++ {
						if rapid.Bool().Draw(t, "escape") {
							cur.WriteByte('\\')
						}
						cur.WriteByte(p.Value[j])
					}
					cur.WriteByte('"')
				} else {
					cur.WriteString(p.Value)
				}
			}
		}
		lines = append(lines, cur.String()+ows())
		got, err = handshake.ParseExtensions(lines...)
		if err != nil {
			t.Fatalf("ParseExtensions(%q): %v", lines, err)
		}
		if diff := cmp.Diff(exts, got); diff != "" {
			t.Fatalf("respelled %q (-want +got):\n%s", lines, diff)
		}
	})
}

// TestExtensionsRejectNonTokenQuotedValues: a quoted value that does not
// unescape to a token is an error wherever it appears (RFC 6455 section
// 9.1, H-9.1-ext-grammar).
func TestExtensionsRejectNonTokenQuotedValues(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		exts := rapid.SliceOfN(extensionGen(), 1, 3).Draw(t, "extensions")
		bad := rapid.StringMatching(`[a-z]{0,3}[ ,;=()<>@:/\[\]?{}]{1,2}[a-z]{0,3}`).Draw(t, "badValue")
		quoted := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(bad) + `"`
		i := rapid.IntRange(0, len(exts)-1).Draw(t, "which")
		exts[i].Params = append(exts[i].Params, handshake.Param{Name: "p", Value: quoted})
		value := handshake.FormatExtensions(exts)
		_, err := handshake.ParseExtensions(value)
		var se *handshake.SyntaxError
		if !errors.As(err, &se) || se.Requirement != "H-9.1-ext-grammar" {
			t.Fatalf("ParseExtensions(%q) = %v, want a H-9.1-ext-grammar SyntaxError", value, err)
		}
	})
}

// TestProtocolsRoundTrip: FormatProtocols then ParseProtocols gives the
// list back, whatever the whitespace and line splits
// (H-4.2.1-protocol-grammar).
func TestProtocolsRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		protos := rapid.SliceOfNDistinct(tokenGen(), 1, 6, rapid.ID[string]).Draw(t, "protocols")
		got, err := handshake.ParseProtocols(handshake.FormatProtocols(protos))
		if err != nil || !slices.Equal(got, protos) {
			t.Fatalf("round trip of %q: %q, %v", protos, got, err)
		}
		var lines []string
		cur := ""
		for i, p := range protos {
			if i > 0 && rapid.Bool().Draw(t, "newLine") {
				lines, cur = append(lines, cur), ""
			}
			cur += rapid.SampledFrom([]string{"", " ", ", ", "\t,"}).Draw(t, "before") + p + rapid.SampledFrom([]string{"", " ", ","}).Draw(t, "after") + ","
		}
		lines = append(lines, cur)
		if got, err := handshake.ParseProtocols(lines...); err != nil || !slices.Equal(got, protos) {
			t.Fatalf("ParseProtocols(%q) = %q, %v", lines, got, err)
		}
	})
}

// TestEveryPrefixNeedsMore: every proper prefix of a valid request or
// response head asks for more bytes, and never yields a head or an error
// (the flate TestTruncatedStreams habit). For a client this is what keeps
// it from treating the connection as open, and sending frames, before the
// whole response has arrived (H-4.1-wait).
func TestEveryPrefixNeedsMore(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := clientCaseGen().Draw(t, "client")
		req, err := handshake.NewRequest(c.URL, c.Nonce, handshake.RequestOptions{Subprotocols: c.Protocols, Extensions: c.Offers, Header: c.Extra})
		if err != nil {
			t.Fatal(err)
		}
		wire := req.Append(nil)
		acc, err := policy(t).Accept(req)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(wire); i++ {
			if r, n, err := handshake.ParseRequest(wire[:i], 0); r != nil || n != 0 || err != nil {
				t.Fatalf("request prefix of %d bytes: %v, %d, %v", i, r, n, err)
			}
		}
		for i := 0; i < len(acc.Response); i++ {
			if r, n, err := handshake.ParseResponse(acc.Response[:i], 0); r != nil || n != 0 || err != nil {
				t.Fatalf("response prefix of %d bytes: %v, %d, %v", i, r, n, err)
			}
		}
	})
}
