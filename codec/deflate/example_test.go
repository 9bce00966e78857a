package deflate_test

import (
	"compress/flate"
	"crypto/rand"
	"fmt"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
)

// A server plugs its policy into handshake.Server, then builds its Conn
// from the acceptance: compressed messages are inflated as they arrive,
// and what it sends is compressed.
func ExampleServerOptions_NewConn() {
	// flate.DefaultCompression compresses even 5 bytes; the default,
	// flate.BestSpeed, stores inputs of up to 16 bytes as they are.
	policy := &deflate.ServerOptions{Level: flate.DefaultCompression}
	srv := &handshake.Server{NegotiateExtensions: policy.NegotiateExtensions}

	head := "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
		"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
	req, _, err := handshake.ParseRequest([]byte(head), 0)
	if err != nil {
		panic(err)
	}
	acc, err := srv.Accept(req)
	if err != nil {
		panic(err)
	}
	fmt.Printf("agreed: %v\n", acc.Extensions)

	conn, err := policy.NewConn(acc, codec.ConnOptions{})
	if err != nil {
		panic(err)
	}
	// "Hello" as RFC 7692 section 7.2.3.1 compresses it, masked by the
	// client with the key 00 00 00 00.
	evs, err := conn.Receive([]byte{0xc1, 0x87, 0, 0, 0, 0, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00})
	if err != nil {
		panic(err)
	}
	for _, ev := range evs {
		if ev.Kind == codec.EventPayload {
			fmt.Printf("received %q\n", ev.Data)
		}
	}
	out, err := conn.SendMessage(spec.OpText, []byte("Hello"))
	if err != nil {
		panic(err)
	}
	fmt.Printf("sent % x\n", out)
	// Output:
	// agreed: [permessage-deflate]
	// received "Hello"
	// sent c1 07 f2 48 cd c9 c9 07 00
}

// A client offers permessage-deflate, then checks the server's answer
// against its offers and builds its Conn.
func ExampleClientOptions_NewConn() {
	offer := &deflate.ClientOptions{Offers: []deflate.Params{
		{ServerMaxWindowBits: 10, ClientMaxWindowBits: deflate.WindowBitsNoValue},
		{},
	}}
	var nonce [16]byte
	req, err := handshake.NewRequest("ws://example.com/chat", nonce, handshake.RequestOptions{Extensions: offer.Extensions()})
	if err != nil {
		panic(err)
	}
	fmt.Println("offered:", req.Header.Get("Sec-WebSocket-Extensions"))

	// The server accepted the first offer.
	answer := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + handshake.AcceptKey(req.Header.Get("Sec-WebSocket-Key")) + "\r\n" +
		"Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n\r\n"
	resp, _, err := handshake.ParseResponse([]byte(answer), 0)
	if err != nil {
		panic(err)
	}
	n, err := handshake.VerifyResponse(req, resp)
	if err != nil {
		panic(err)
	}
	conn, err := offer.NewConn(req, n, codec.ConnOptions{Rand: rand.Reader})
	if err != nil {
		fmt.Println("fail the connection:", err)
		return
	}
	evs, _ := conn.Receive([]byte{0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00})
	fmt.Printf("received %q\n", evs[1].Data)

	// Output:
	// offered: permessage-deflate; server_max_window_bits=10; client_max_window_bits, permessage-deflate
	// received "Hello"
}

// A client fails the connection when the server answers with a parameter
// it did not offer, such as client_max_window_bits (the interop bug of
// coder/websocket issue 443).
func ExampleVerifyResponse() {
	offered, _ := handshake.ParseExtensions("permessage-deflate")
	accepted, _ := handshake.ParseExtensions("permessage-deflate; client_max_window_bits=15")
	_, _, err := deflate.VerifyResponse(offered, accepted)
	fmt.Println(err)
	// Output:
	// deflate: client_max_window_bits: in the response but not offered (D-7.1.2.2-client_max_window_bits)
}

// Every window size gets an answer: below 15 the server compresses with
// Huffman coding only, so no reference reaches back at all. Invalid
// offers are declined, not answered with an HTTP error.
func ExampleServerOptions_Negotiate() {
	var policy deflate.ServerOptions
	for _, offer := range []string{
		"permessage-deflate; server_max_window_bits=8",
		"permessage-deflate; server_max_window_bits=08, permessage-deflate; server_no_context_takeover",
		"permessage-deflate; client_no_context_takeover=1",
	} {
		offers, _ := handshake.ParseExtensions(offer)
		resp, _, ok := policy.Negotiate(offers)
		if !ok {
			fmt.Println("declined")
			continue
		}
		fmt.Println(resp)
	}
	// Output:
	// permessage-deflate; server_max_window_bits=8
	// permessage-deflate; server_no_context_takeover
	// declined
}

// A Decompressor is a codec.Extension: a Decoder inflates the messages
// whose first frame has RSV1, here RFC 7692 section 7.2.3.2's two
// "Hello"s, the second referring to the first.
func ExampleNewDecompressor() {
	d, err := deflate.NewDecompressor(15, false)
	if err != nil {
		panic(err)
	}
	dec, err := codec.NewDecoder(codec.DecoderOptions{Role: codec.RoleClient, Extension: d})
	if err != nil {
		panic(err)
	}
	p := []byte{0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0xc1, 0x05, 0xf2, 0x00, 0x11, 0x00, 0x00}
	for {
		ev, n, err := dec.Decode(p)
		p = p[n:]
		if err != nil {
			fmt.Println(err)
			return
		}
		if ev.Kind == codec.EventNone {
			return
		}
		if ev.Kind == codec.EventPayload {
			fmt.Printf("%q\n", ev.Data)
		}
	}
	// Output:
	// "Hello"
	// "Hello"
}
