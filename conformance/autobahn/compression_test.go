package autobahn

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/wskit/wskit/handshake"
)

// TestCorpora pins the generated corpora of categories 12 and 13: the
// sizes of Autobahn's files (autobahn.md, categories 12 and 13), text
// that is UTF-8 with data1.html's count of code points, and content that
// never changes from run to run (a changed generator changes every
// message and must be deliberate).
func TestCorpora(t *testing.T) {
	want := map[string]struct {
		size, units int
		sha256      string
	}{
		"json_data1":      {194056, 194056, "e4ca1a14e45683ff982bea24965a4501342c9e4c093c47816009ae216ffaa5ed"},
		"lena512":         {263222, 263222, "b49a0cd00159cccb953d55867a157df4fcede59fde78067c6fd4d8e839722924"},
		"gutenberg_faust": {222218, 222218, "547b00795c0426117f7450c3b83031e77fe2c6b8a26ea8233ac78b84828c8e8b"},
		"html_data1":      {263647, 263620, "5195aee7153b8d83ca5a12455b11fdcc40a9ffa520121c9795f99964579ea989"},
		"ooms":            {1042328, 1042328, "5ca7ce58851e6f93dc46a8193c0fd8a12344e7b209a65ba6d1f257995dcd71dc"},
	}
	got := map[string]struct {
		size, units int
		sha256      string
	}{}
	for _, c := range corpora {
		c.load()
		w := want[c.key]
		got[c.key] = struct {
			size, units int
			sha256      string
		}{len(c.data), c.units(), w.sha256}
		if w.sha256 != "" {
			if h := fmt.Sprintf("%x", sha256.Sum256(c.data)); h != w.sha256 {
				t.Errorf("%s: SHA-256 %s, want %s", c.key, h, w.sha256)
			}
		}
		if c.text && !utf8.Valid(c.data) {
			t.Errorf("%s is not UTF-8", c.key)
		}
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(struct {
		size, units int
		sha256      string
	}{})); diff != "" {
		t.Errorf("corpora (-want +got):\n%s", diff)
	}
}

// TestCorpusWindows: message k is the window of n units at k*n, wrapping
// around the end, in code points for text.
func TestCorpusWindows(t *testing.T) {
	c := corpusHTML
	total := c.units()
	all := string(c.data)
	runes := []rune(all)
	for _, tc := range []struct{ k, n int }{{0, 16}, {3, 131072}, {7, 65536}, {999, 4096}, {1, 263620}} {
		start := tc.k * tc.n % total
		var want []rune
		for i := range tc.n {
			want = append(want, runes[(start+i)%total])
		}
		got := c.appendWindow(nil, tc.k*tc.n, tc.n)
		if string(got) != string(want) {
			t.Errorf("window %d of %d: got %d octets, want %d", tc.k, tc.n, len(got), len(string(want)))
		}
	}
	b := corpusBitmap
	got := b.appendWindow(nil, 2*131072, 131072)
	want := append(append([]byte(nil), b.data[262144:]...), b.data[:131072-(263222-262144)]...)
	if string(got) != string(want) {
		t.Error("binary window does not wrap around")
	}
}

// TestCompressionOffers: the offers and captions are Autobahn's, field
// for field (autobahn.md, categories 12 and 13).
func TestCompressionOffers(t *testing.T) {
	want := map[string]string{
		"12.3.1":  "permessage-deflate; client_no_context_takeover; client_max_window_bits",
		"13.1.1":  "permessage-deflate; client_no_context_takeover; client_max_window_bits",
		"13.2.5":  "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover",
		"13.3.18": "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=9",
		"13.4.1":  "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_max_window_bits=15",
		"13.5.2":  "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9",
		"13.6.3":  "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=15",
		"13.7.4": "permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover; server_max_window_bits=9, " +
			"permessage-deflate; client_no_context_takeover; client_max_window_bits; server_no_context_takeover, " +
			"permessage-deflate; client_no_context_takeover; client_max_window_bits",
	}
	for id, w := range want {
		c, ok := Lookup(id)
		if !ok {
			t.Fatalf("no case %s", id)
		}
		if got := offerText(c.Extensions); got != w {
			t.Errorf("%s offers %q, want %q", id, got, w)
		}
	}
	captions := map[string]string{
		"12.1": "Large JSON data file (utf8, 194056 bytes)",
		"12.2": "Lena Picture, Bitmap 512x512 bw (binary, 263222 bytes)",
		"12.4": "Large HTML file (utf8, 263647 bytes)",
		"13.7": "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(True, 9), (True, 0), (False, 0)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 9), (True, 0), (False, 0)]",
		"13.1": "Large JSON data file (utf8, 194056 bytes) - client offers (requestNoContextTakeover, requestMaxWindowBits): [(False, 0)] / server accept (requestNoContextTakeover, requestMaxWindowBits): [(False, 0)]",
	}
	for sub, w := range captions {
		if got := SubcategoryCaption(sub); got != w {
			t.Errorf("caption of %s: %q, want %q", sub, got, w)
		}
	}
	for id, want := range map[string]string{"12.1.1": "1m10s", "12.2.3": "2m10s", "13.5.4": "4m10s", "13.6.18": "8m10s"} {
		c, _ := Lookup(id)
		if got := c.Limit.String(); got != want {
			t.Errorf("%s: limit %s, want %s (the timeout plus 10 s)", id, got, want)
		}
	}
}

// TestCompressionAcceptRules: against clients, each case of 12 and 13
// answers the client's offers by Autobahn's fuzzing-server rule for its
// sub-category (autobahn.md, category 13's table), with the response
// Autobahn writes.
func TestCompressionAcceptRules(t *testing.T) {
	const (
		plain   = "permessage-deflate"
		bits    = "permessage-deflate; client_max_window_bits"
		bits10  = "permessage-deflate; client_max_window_bits=10"
		asks    = "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"
		invalid = "permessage-deflate; server_max_window_bits=16"
		other   = "x-webkit-deflate-frame"
	)
	tests := []struct {
		id, offers, want string // want "" declines
	}{
		{"12.1.1", plain, "permessage-deflate"},
		{"12.5.18", bits, "permessage-deflate"},
		{"12.2.4", asks, "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"},
		{"12.3.1", other, ""},
		{"12.3.2", invalid + ", " + plain, "permessage-deflate"},
		{"13.1.1", bits, "permessage-deflate"},
		{"13.2.1", plain, "permessage-deflate; client_no_context_takeover"},
		{"13.3.1", bits, "permessage-deflate; client_max_window_bits=9"},
		{"13.3.2", plain, ""},
		{"13.3.3", plain + ", " + bits, "permessage-deflate; client_max_window_bits=9"},
		{"13.4.1", bits10, "permessage-deflate; client_max_window_bits=10"},
		{"13.4.2", bits, "permessage-deflate; client_max_window_bits=15"},
		// Autobahn's own example for 13.5.
		{"13.5.1", bits, "permessage-deflate; client_no_context_takeover; client_max_window_bits=9"},
		{"13.5.2", plain, ""},
		{"13.6.1", bits, "permessage-deflate; client_no_context_takeover; client_max_window_bits=15"},
		{"13.6.2", other, ""},
		{"13.7.1", bits, "permessage-deflate; client_no_context_takeover; client_max_window_bits=9"},
		{"13.7.2", plain, "permessage-deflate; client_no_context_takeover"},
		{"13.7.3", other, ""},
	}
	for _, tt := range tests {
		c, ok := Lookup(tt.id)
		if !ok {
			t.Fatalf("no case %s", tt.id)
		}
		v, ok := c.AgainstClients()
		if !ok || v.AcceptDeflate == nil || v.Extensions != nil || v.Description == c.Description {
			t.Fatalf("%s: no form against clients that accepts offers", tt.id)
		}
		offered, err := handshake.ParseExtensions(tt.offers)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if p, ok := v.AcceptDeflate(offered); ok {
			got = p.Extension().String()
		}
		if got != tt.want {
			t.Errorf("%s answers %q with %q, want %q", tt.id, tt.offers, got, tt.want)
		}
	}
}
