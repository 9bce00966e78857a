package deflate

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/handshake"
)

func parseList(t *testing.T, s string) []handshake.Extension {
	t.Helper()
	if s == "" {
		return nil
	}
	exts, err := handshake.ParseExtensions(s)
	if err != nil {
		t.Fatalf("ParseExtensions(%q): %v", s, err)
	}
	return exts
}

// TestParseOffer: the validity rules of RFC 7692 section 7 for offers;
// every invalid offer is declined under D-7-server-decline.
func TestParseOffer(t *testing.T) {
	valid := map[string]Params{
		"permessage-deflate":                                                         {},
		"permessage-deflate; server_max_window_bits=8":                               {ServerMaxWindowBits: 8},
		"permessage-deflate; server_max_window_bits=9":                               {ServerMaxWindowBits: 9},
		"permessage-deflate; server_max_window_bits=15":                              {ServerMaxWindowBits: 15},
		`permessage-deflate; server_max_window_bits="10"`:                            {ServerMaxWindowBits: 10},
		"permessage-deflate; client_max_window_bits":                                 {ClientMaxWindowBits: WindowBitsNoValue},
		"permessage-deflate; client_max_window_bits=12":                              {ClientMaxWindowBits: 12},
		"permessage-deflate; server_no_context_takeover; client_no_context_takeover": {ServerNoContextTakeover: true, ClientNoContextTakeover: true},
	}
	for s, want := range valid {
		got, err := ParseOffer(parseList(t, s)[0])
		if err != nil || got != want {
			t.Errorf("ParseOffer(%q) = %+v, %v; want %+v", s, got, err, want)
		}
		// The canonical form parses back.
		again, err := ParseOffer(parseList(t, got.String())[0])
		if err != nil || again != got {
			t.Errorf("%q: String %q parses to %+v, %v", s, got.String(), again, err)
		}
	}
	invalid := []string{
		"permessage-deflate; server_max_window_bits=7",
		"permessage-deflate; server_max_window_bits=16",
		"permessage-deflate; server_max_window_bits=08",
		"permessage-deflate; server_max_window_bits=0x0f",
		`permessage-deflate; server_max_window_bits="-9"`,
		"permessage-deflate; server_max_window_bits",
		"permessage-deflate; client_max_window_bits=7",
		"permessage-deflate; client_no_context_takeover; client_no_context_takeover",
		"permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
		"permessage-deflate; server_no_context_takeover=1",
		"permessage-deflate; client_no_context_takeover=true",
		"permessage-deflate; foo",
		"permessage-deflate; Server_No_Context_Takeover",
		"x-permessage-deflate",
	}
	for _, s := range invalid {
		_, err := ParseOffer(parseList(t, s)[0])
		var ne *NegotiationError
		if !errors.As(err, &ne) || ne.Requirement != "D-7-server-decline" {
			t.Errorf("ParseOffer(%q) = %v, want a D-7-server-decline error", s, err)
		}
	}
	// A response must give client_max_window_bits a value.
	_, err := ParseResponse(parseList(t, "permessage-deflate; client_max_window_bits")[0])
	var ne *NegotiationError
	if !errors.As(err, &ne) || ne.Requirement != "D-7-client-fail" {
		t.Errorf("ParseResponse(bare client_max_window_bits) = %v, want D-7-client-fail", err)
	}
}

// TestNegotiate: the server's answer to offers, among them RFC 7692
// section 7.1.3's examples, and to every window size.
func TestNegotiate(t *testing.T) {
	tests := []struct {
		opts   ServerOptions
		offers string
		want   string // "" when declined
	}{
		{ServerOptions{}, "permessage-deflate", "permessage-deflate"},
		// RFC 7692 section 7.1.3: accepting the first option.
		{ServerOptions{}, "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate; client_max_window_bits",
			"permessage-deflate; server_max_window_bits=10"},
		{ServerOptions{}, "permessage-deflate; server_max_window_bits=8", "permessage-deflate; server_max_window_bits=8"},
		{ServerOptions{}, "permessage-deflate; server_max_window_bits=15", "permessage-deflate; server_max_window_bits=15"},
		{ServerOptions{}, "permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover"},
		{ServerOptions{}, "permessage-deflate; client_no_context_takeover", "permessage-deflate; client_no_context_takeover"},
		// client_max_window_bits only when offered.
		{ServerOptions{ClientMaxWindowBits: 10}, "permessage-deflate", "permessage-deflate"},
		{ServerOptions{ClientMaxWindowBits: 10}, "permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=10"},
		{ServerOptions{ClientMaxWindowBits: 10}, "permessage-deflate; client_max_window_bits=9", "permessage-deflate; client_max_window_bits=9"},
		{ServerOptions{}, "permessage-deflate; client_max_window_bits=9", "permessage-deflate"},
		{ServerOptions{ServerNoContextTakeover: true, ClientNoContextTakeover: true}, "permessage-deflate",
			"permessage-deflate; server_no_context_takeover; client_no_context_takeover"},
		// Invalid offers are skipped; the first valid one wins.
		{ServerOptions{}, "permessage-deflate; foo, permessage-deflate; server_max_window_bits=7, permessage-deflate; client_no_context_takeover",
			"permessage-deflate; client_no_context_takeover"},
		{ServerOptions{}, "permessage-deflate; server_max_window_bits", ""},
		{ServerOptions{}, "x-webkit-deflate-frame", ""},
	}
	for _, tt := range tests {
		resp, agreed, ok := tt.opts.Negotiate(parseList(t, tt.offers))
		if tt.want == "" {
			if ok {
				t.Errorf("%+v %q: accepted %q, want declined", tt.opts, tt.offers, resp)
			}
			continue
		}
		if !ok || resp.String() != tt.want {
			t.Errorf("%+v %q: %q (ok %v), want %q", tt.opts, tt.offers, resp, ok, tt.want)
			continue
		}
		// What the server agreed is what the client reads back.
		p, ok, err := VerifyResponse(parseList(t, tt.offers), []handshake.Extension{resp})
		if err != nil || !ok {
			t.Errorf("%q -> %q: VerifyResponse: %v %v", tt.offers, resp, ok, err)
		}
		if p.ServerNoContextTakeover != agreed.ServerNoContextTakeover || p.ServerMaxWindowBits != agreed.ServerMaxWindowBits ||
			p.ClientNoContextTakeover != agreed.ClientNoContextTakeover {
			t.Errorf("%q -> %q: client reads %+v, server agreed %+v", tt.offers, resp, p, agreed)
		}
	}
}

// TestVerifyResponse: the client's decision table (reference notes 3.3).
func TestVerifyResponse(t *testing.T) {
	tests := []struct {
		offers, response string
		want             Params
		ok               bool
		rule             string
	}{
		{"permessage-deflate", "", Params{}, false, ""},
		{"permessage-deflate", "permessage-deflate", Params{}, true, ""},
		{"permessage-deflate", "permessage-deflate; server_no_context_takeover", Params{ServerNoContextTakeover: true}, true, ""},
		{"permessage-deflate; server_no_context_takeover", "permessage-deflate", Params{}, false, "D-7.1.1.1-server_no_context_takeover"},
		{"permessage-deflate", "permessage-deflate; server_max_window_bits=9", Params{ServerMaxWindowBits: 9}, true, ""},
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate", Params{}, false, "D-7.1.2.1-server_max_window_bits"},
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=8", Params{ServerMaxWindowBits: 8}, true, ""},
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=11", Params{}, false, "D-7.1.2.1-server_max_window_bits"},
		{"permessage-deflate", "permessage-deflate; client_max_window_bits=15", Params{}, false, "D-7.1.2.2-client_max_window_bits"},
		{"permessage-deflate; client_max_window_bits", "permessage-deflate", Params{}, true, ""},
		{"permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=8", Params{ClientMaxWindowBits: 8}, true, ""},
		{"permessage-deflate; client_max_window_bits=10", "permessage-deflate", Params{ClientMaxWindowBits: 10}, true, ""},
		{"permessage-deflate; client_max_window_bits=10", "permessage-deflate; client_max_window_bits=9", Params{ClientMaxWindowBits: 9}, true, ""},
		{"permessage-deflate; client_max_window_bits=10", "permessage-deflate; client_max_window_bits=11", Params{}, false, "D-7.1.2.2-client_max_window_bits"},
		{"permessage-deflate", "permessage-deflate; client_no_context_takeover", Params{ClientNoContextTakeover: true}, true, ""},
		{"permessage-deflate", "permessage-deflate; client_max_window_bits", Params{}, false, "D-7-client-fail"},
		{"permessage-deflate", "permessage-deflate; foo", Params{}, false, "D-7-client-fail"},
		{"permessage-deflate", "permessage-deflate; server_no_context_takeover; server_no_context_takeover", Params{}, false, "D-7-client-fail"},
		{"permessage-deflate", "permessage-deflate, permessage-deflate", Params{}, false, "D-5-invalid-response"},
		{"permessage-deflate, x-webkit-deflate-frame", "x-webkit-deflate-frame, permessage-deflate", Params{}, false, "D-5-rsv1-conflict"},
		{"permessage-deflate, x-other", "permessage-deflate, x-other", Params{}, true, ""},
		// The second offer is answered.
		{"permessage-deflate; server_no_context_takeover, permessage-deflate", "permessage-deflate", Params{}, true, ""},
	}
	for _, tt := range tests {
		p, ok, err := VerifyResponse(parseList(t, tt.offers), parseList(t, tt.response))
		if tt.rule != "" {
			var ne *NegotiationError
			if !errors.As(err, &ne) || ne.Requirement != tt.rule {
				t.Errorf("%q -> %q: err %v, want %s", tt.offers, tt.response, err, tt.rule)
			}
			continue
		}
		if err != nil || ok != tt.ok {
			t.Errorf("%q -> %q: ok %v err %v, want ok %v", tt.offers, tt.response, ok, err, tt.ok)
			continue
		}
		if diff := cmp.Diff(tt.want, p); diff != "" {
			t.Errorf("%q -> %q: (-want +got)\n%s", tt.offers, tt.response, diff)
		}
	}
}
