package vectors_test

import (
	"encoding/hex"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
)

func deflateFile(t *testing.T) *vectors.DeflateFile {
	t.Helper()
	f, err := vectors.Deflate()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Decoder) == 0 || len(f.Offers) == 0 || len(f.Responses) == 0 {
		t.Fatal("deflate.json has an empty member")
	}
	return f
}

// agreedParams parses a vector's agreed element.
func agreedParams(t *testing.T, s string) deflate.Params {
	t.Helper()
	exts, err := handshake.ParseExtensions(s)
	if err != nil || len(exts) != 1 {
		t.Fatalf("agreed %q: %v", s, err)
	}
	p, err := deflate.ParseResponse(exts[0])
	if err != nil {
		t.Fatalf("agreed %q: %v", s, err)
	}
	return p
}

// TestDeflateDecoderVectors checks every decoder vector of deflate.json
// against codec.Decoder with a deflate.Decompressor, fed whole, byte by
// byte and in 3-byte chunks.
func TestDeflateDecoderVectors(t *testing.T) {
	f := deflateFile(t)
	seen := map[string]bool{}
	for _, v := range f.Decoder {
		checkCommon(t, seen, v.Common)
		t.Run(v.ID, func(t *testing.T) {
			p := agreedParams(t, v.Agreed)
			role := roleOf(t, v.Role)
			_, _, recvBits, recvNo := p.Directions(role)
			for _, size := range []int{len(v.Input) + 1, 1, 3} {
				d, err := deflate.NewDecompressor(recvBits, recvNo)
				if err != nil {
					t.Fatal(err)
				}
				opts := decoderOptions(t, v.Role, v.Limits)
				opts.Extension = d
				events, err := decode(t, opts, v.Input, size)
				checkError(t, err, v.Error)
				if diff := cmp.Diff(v.Events, events, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("chunks of %d: events mismatch (-vector +codec):\n%s", size, diff)
				}
			}
		})
	}
}

// TestDeflateRoundTrip sends the messages of every valid deflate decoder
// vector through a pair of Conns that agreed on the vector's parameters,
// the vector's receiver receiving: what wskit's Compressor writes,
// wskit's Decompressor reads back.
func TestDeflateRoundTrip(t *testing.T) {
	for _, v := range deflateFile(t).Decoder {
		if v.Error != nil || v.Limits != nil {
			continue
		}
		p := agreedParams(t, v.Agreed)
		recvRole := roleOf(t, v.Role)
		sendRole := codec.RoleServer
		if recvRole == codec.RoleServer {
			sendRole = codec.RoleClient
		}
		sendOpts := codec.ConnOptions{Role: sendRole, Rand: zeroKeys{}, FragmentSize: 100}
		recvOpts := codec.ConnOptions{Role: recvRole, Rand: zeroKeys{}}
		if err := deflate.Configure(&sendOpts, p, 0, nil); err != nil {
			t.Fatal(err)
		}
		if err := deflate.Configure(&recvOpts, p, 0, nil); err != nil {
			t.Fatal(err)
		}
		snd, err := codec.NewConn(sendOpts)
		if err != nil {
			t.Fatal(err)
		}
		rcv, err := codec.NewConn(recvOpts)
		if err != nil {
			t.Fatal(err)
		}
		var a assembler
		for _, ev := range v.Events {
			op := spec.OpText
			switch ev.Kind {
			case "binary":
			case "text":
				op = spec.OpText
			default:
				continue
			}
			if ev.Kind == "binary" {
				op = spec.OpBinary
			}
			wire, err := snd.SendMessage(op, ev.Data)
			if err != nil {
				t.Fatalf("%s: %v", v.ID, err)
			}
			evs, err := rcv.Receive(slices.Clone(wire))
			if err != nil {
				t.Fatalf("%s: %v", v.ID, err)
			}
			for _, e := range evs {
				a.add(e)
			}
		}
		want := slices.DeleteFunc(slices.Clone(v.Events), func(e vectors.Event) bool { return e.Kind != "text" && e.Kind != "binary" })
		if diff := cmp.Diff(want, a.events, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: round trip (-vector +codec):\n%s", v.ID, diff)
		}
	}
}

type zeroKeys struct{}

func (zeroKeys) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestRFC7692Bytes pins the RFC 7692 section 7.2.3 examples byte for
// byte, independently of the generator.
func TestRFC7692Bytes(t *testing.T) {
	want := map[string]string{
		"rfc7692-7.2.3.1-hello":          "c107f248cdc9c90700",
		"rfc7692-7.2.3.1-fragmented":     "4103f248cd8004c9c90700",
		"rfc7692-7.2.3.2-takeover":       "c107f248cdc9c90700c105f200110000",
		"rfc7692-7.2.3.2-no-takeover":    "c107f248cdc9c90700c107f248cdc9c90700",
		"rfc7692-7.2.3.3-stored":         "c10b000500faff48656c6c6f00",
		"rfc7692-7.2.3.4-bfinal":         "c108f348cdc9c9070000",
		"rfc7692-7.2.3.5-two-blocks":     "c10df24805000000ffffcac9c90700",
		"rfc7692-7.2.3.6-empty-fragment": "410bf248cdc9c907000000ffff800100",
	}
	for _, v := range deflateFile(t).Decoder {
		if w, ok := want[v.ID]; ok {
			if got := hex.EncodeToString(v.Input); got != w {
				t.Errorf("%s: %s, want %s", v.ID, got, w)
			}
			delete(want, v.ID)
		}
	}
	for id := range want {
		t.Errorf("vector %s is missing", id)
	}
}

// TestDeflateOfferVectors checks the server's answers.
func TestDeflateOfferVectors(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range deflateFile(t).Offers {
		checkCommon(t, seen, v.Common)
		offers, err := handshake.ParseExtensions(v.Offers)
		if err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		if len(v.Valid) != len(offers) {
			t.Fatalf("%s: %d validity flags for %d offers", v.ID, len(v.Valid), len(offers))
		}
		for i, o := range offers {
			_, err := deflate.ParseOffer(o)
			if (err == nil) != v.Valid[i] {
				t.Errorf("%s: offer %d %q: ParseOffer error %v, vector says valid=%v", v.ID, i, o, err, v.Valid[i])
			}
			var ne *deflate.NegotiationError
			if err != nil && (!errors.As(err, &ne) || ne.Requirement != "D-7-server-decline") {
				t.Errorf("%s: offer %d: error %v does not cite D-7-server-decline", v.ID, i, err)
			}
		}
		var so deflate.ServerOptions
		if v.Server != nil {
			so = deflate.ServerOptions{ServerNoContextTakeover: v.Server.ServerNoContextTakeover,
				ClientNoContextTakeover: v.Server.ClientNoContextTakeover, ClientMaxWindowBits: v.Server.ClientMaxWindowBits}
		}
		resp, _, ok := so.Negotiate(offers)
		got := ""
		if ok {
			got = resp.String()
		}
		if got != v.Response {
			t.Errorf("%s: response %q, want %q", v.ID, got, v.Response)
		}
	}
}

// TestDeflateResponseVectors checks the client's verdicts.
func TestDeflateResponseVectors(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range deflateFile(t).Responses {
		checkCommon(t, seen, v.Common)
		offers, err := handshake.ParseExtensions(v.Offers)
		if err != nil {
			t.Fatalf("%s: %v", v.ID, err)
		}
		var accepted []handshake.Extension
		if v.Response != "" {
			if accepted, err = handshake.ParseExtensions(v.Response); err != nil {
				t.Fatalf("%s: %v", v.ID, err)
			}
		}
		p, ok, err := deflate.VerifyResponse(offers, accepted)
		if v.Error != "" {
			var ne *deflate.NegotiationError
			if !errors.As(err, &ne) || ne.Requirement != v.Error {
				t.Errorf("%s: error %v, want %s", v.ID, err, v.Error)
			}
			continue
		}
		if err != nil || ok != (v.Agreed != nil) {
			t.Errorf("%s: ok %v, err %v; vector agreed %v", v.ID, ok, err, v.Agreed)
			continue
		}
		if v.Agreed != nil {
			got := vectors.DeflateParams{ServerNoContextTakeover: p.ServerNoContextTakeover, ClientNoContextTakeover: p.ClientNoContextTakeover,
				ServerMaxWindowBits: p.ServerMaxWindowBits, ClientMaxWindowBits: p.ClientMaxWindowBits}
			if got != *v.Agreed {
				t.Errorf("%s: agreed %+v, want %+v", v.ID, got, *v.Agreed)
			}
		}
	}
}
