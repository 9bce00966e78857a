package clienttest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wskit/wskit/codec/deflate"
	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/clienttest/echoclient"
	"github.com/wskit/wskit/spec"
)

// runEcho runs the cases against the reference client with cfg through
// the API and returns the results by case ID.
func runEcho(t *testing.T, cases []*conformance.Case, cfg echoclient.Config) map[string]*conformance.Result {
	t.Helper()
	return runClient(t, cases, func(url string) { echoclient.Run(context.Background(), url, cfg) })
}

// extensionsOf returns the Sec-WebSocket-Extensions field of the
// runner's response head in r.
func extensionsOf(t *testing.T, r *conformance.Result) string {
	t.Helper()
	for _, line := range strings.Split(r.HTTPResponse, "\r\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.EqualFold(name, spec.HeaderExtensions) {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// TestDeflateAgainstClients: a client that offers permessage-deflate
// with client_max_window_bits (as browsers and "wskit echo-client" do)
// gets each case's accept rule as its answer, and passes with
// permessage-deflate in effect (none is UNIMPLEMENTED); the invalid
// acceptances of 14.3 it refuses.
func TestDeflateAgainstClients(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"12.2.1": "permessage-deflate",
		"13.2.4": "permessage-deflate; client_no_context_takeover",
		"13.3.4": "permessage-deflate; client_max_window_bits=9",
		"13.5.1": "permessage-deflate; client_no_context_takeover; client_max_window_bits=9",
		"13.7.1": "permessage-deflate; client_no_context_takeover; client_max_window_bits=9",
		"14.1.1": "permessage-deflate",
		"14.2.1": "permessage-deflate",
		"14.2.6": "",
		"14.3.2": "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
		"14.4.8": "permessage-deflate",
	}
	var ids []string
	for id := range want {
		ids = append(ids, id)
	}
	rs := runEcho(t, lookup(t, ids...), offering)
	for id, r := range rs {
		if r.Behavior != conformance.OK || r.BehaviorClose != conformance.OK {
			t.Errorf("%s: %s/%s: %s", id, r.Behavior, r.BehaviorClose, r.Reason)
		}
		if got := extensionsOf(t, r); got != want[id] {
			t.Errorf("%s: the runner answered %q, want %q", id, got, want[id])
		}
	}
}

// TestDeflateNotOffered: a client that offers no extension is
// UNIMPLEMENTED on every case that needs permessage-deflate, as
// Autobahn's fuzzing server judges it, and still passes the cases that
// need none (RSV1 without an extension, invalid acceptances of an
// extension it never offered).
func TestDeflateNotOffered(t *testing.T) {
	t.Parallel()
	rs := runEcho(t, lookup(t, "12.1.1", "13.3.1", "14.1.1", "14.2.1", "14.4.1", "14.2.6", "14.3.1", "14.3.5"), echoclient.Config{})
	for id, r := range rs {
		want := conformance.Unimplemented
		if strings.HasPrefix(id, "14.2.6") || strings.HasPrefix(id, "14.3.") {
			want = conformance.OK
		}
		if r.Behavior != want || r.BehaviorClose != conformance.OK {
			t.Errorf("%s: %s/%s, want %s: %s", id, r.Behavior, r.BehaviorClose, want, r.Reason)
		}
		if want == conformance.Unimplemented && !strings.Contains(r.Reason, "the client made no permessage-deflate offer") {
			t.Errorf("%s: reason %q", id, r.Reason)
		}
	}
}

// TestDeflatePlainOffer: a client whose offer has no
// client_max_window_bits gets no window from the rules that ask for one
// (13.3-13.6 are UNIMPLEMENTED, as Autobahn's), and 13.7 falls back to
// its second rule.
func TestDeflatePlainOffer(t *testing.T) {
	t.Parallel()
	rs := runEcho(t, lookup(t, "13.1.1", "13.3.1", "13.6.1", "13.7.1"), echoclient.Config{Deflate: &deflate.ClientOptions{}})
	want := map[string]struct {
		v   conformance.Verdict
		ext string
	}{
		"13.1.1": {conformance.OK, "permessage-deflate"},
		"13.3.1": {conformance.Unimplemented, ""},
		"13.6.1": {conformance.Unimplemented, ""},
		"13.7.1": {conformance.OK, "permessage-deflate; client_no_context_takeover"},
	}
	for id, r := range rs {
		if r.Behavior != want[id].v || extensionsOf(t, r) != want[id].ext {
			t.Errorf("%s: %s answering %q, want %s answering %q: %s", id, r.Behavior, extensionsOf(t, r), want[id].v, want[id].ext, r.Reason)
		}
	}
}

// TestDeflateClientFlaws: the verdicts that catch a client's
// permessage-deflate bugs. One that compresses with a 32 KiB window
// after the runner asked for 2^9 octets is failed by the runner's
// inflater with 1007 (D-7.1.2.2-client_max_window_bits); one that takes
// any response echoes after 14.3's invalid acceptances: FAILED.
func TestDeflateClientFlaws(t *testing.T) {
	t.Parallel()
	for id, r := range runFlawed(t, lookup(t, "13.3.4", "13.5.4"), ignoreWindow) {
		if r.Behavior != conformance.Failed || !r.FailedByMe || r.LocalCloseCode != 1007 {
			t.Errorf("%s: %s/%s failedByMe=%v local close %d: %s", id, r.Behavior, r.BehaviorClose, r.FailedByMe, r.LocalCloseCode, r.Reason)
		}
	}
	for id, r := range runFlawed(t, lookup(t, "13.4.4", "12.1.4"), ignoreWindow) {
		// A window of 15 is what the client uses anyway: no flaw shows.
		if r.Behavior != conformance.OK {
			t.Errorf("%s: %s/%s: %s", id, r.Behavior, r.BehaviorClose, r.Reason)
		}
	}
	for id, r := range runFlawed(t, lookup(t, "14.3.1", "14.3.2", "14.3.3", "14.3.4", "14.3.5"), anyResponse) {
		if r.Behavior != conformance.Failed {
			t.Errorf("%s: %s/%s: %s", id, r.Behavior, r.BehaviorClose, r.Reason)
		}
	}
}
