package vectors_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
)

// runConnVector plays v against a codec.Conn. Receive steps get their
// bytes whole, or byte by byte when oneByte is set (the events of a step
// are then gathered over its reads).
func runConnVector(t *testing.T, v vectors.ConnVector, oneByte bool) {
	opts := decoderOptions(t, v.Role, v.Limits)
	rand := bytes.NewReader(v.Rand)
	c, err := codec.NewConn(codec.ConnOptions{
		Role: opts.Role, Rand: rand, MaxFramePayload: opts.MaxFramePayload, MaxMessage: opts.MaxMessage,
		MaxFragments: opts.MaxFragments, AllowNonMinimalLength: opts.AllowNonMinimalLength,
	})
	if err != nil {
		t.Fatal(err)
	}
	var a assembler
	for i, st := range v.Steps {
		var out []byte
		var err error
		switch st.Action {
		case "receive":
			a.events = nil
			reads := [][]byte{bytes.Clone(st.Data)}
			if oneByte && len(st.Data) > 0 {
				reads = nil
				for j := range st.Data {
					reads = append(reads, []byte{st.Data[j]})
				}
			}
			for _, r := range reads {
				var evs []codec.Event
				evs, err = c.Receive(r)
				for _, ev := range evs {
					a.add(ev)
				}
				if err != nil {
					break
				}
			}
			checkError(t, err, st.Error)
			if diff := cmp.Diff(st.Events, a.events, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("step %d: events (-vector +codec):\n%s", i, diff)
			}
		case "send-text":
			out, err = c.SendMessage(spec.OpText, st.Data)
		case "send-binary":
			out, err = c.SendMessage(spec.OpBinary, st.Data)
		case "send-ping":
			out, err = c.SendPing(st.Data)
		case "send-pong":
			out, err = c.SendPong(st.Data)
		case "send-close":
			out, err = c.SendClose(spec.CloseCode(st.Code), string(st.Data))
		case "take-outgoing":
			out = c.Outgoing()
		case "transport-closed":
			c.TransportClosed()
		default:
			t.Fatalf("step %d: unknown action %q", i, st.Action)
		}
		if st.Action != "receive" {
			if (err != nil) != st.Refused {
				t.Fatalf("step %d (%s): error %v, refused %v", i, st.Action, err, st.Refused)
			}
			if !bytes.Equal(out, st.Output) {
				t.Fatalf("step %d (%s): output % x, want % x", i, st.Action, out, []byte(st.Output))
			}
		}
		if got := c.State().String(); got != st.State {
			t.Fatalf("step %d (%s): state %s, want %s", i, st.Action, got, st.State)
		}
		if got := c.ShouldCloseTransport(); got != st.CloseTransport {
			t.Fatalf("step %d (%s): close transport %v, want %v", i, st.Action, got, st.CloseTransport)
		}
		if st.CloseCode != 0 && int(c.CloseCode()) != st.CloseCode {
			t.Fatalf("step %d (%s): close code %d, want %d", i, st.Action, c.CloseCode(), st.CloseCode)
		}
	}
	if rand.Len() != 0 {
		t.Errorf("%d bytes of Rand unused: the vector's keys and the frames sent disagree", rand.Len())
	}
}

// TestConnVectors plays every script of conn.json against codec.Conn.
func TestConnVectors(t *testing.T) {
	all, err := vectors.Conn()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no conn vectors")
	}
	seen := map[string]bool{}
	for _, v := range all {
		checkCommon(t, seen, v.Common)
		t.Run(v.ID, func(t *testing.T) {
			if len(v.Steps) == 0 {
				t.Fatal("no steps")
			}
			runConnVector(t, v, false)
			runConnVector(t, v, true)
		})
	}
}

// TestConnVectorsIssueCase pins that the issue's case is present: a
// fragmented text message split inside a code point with a ping between
// the fragments, for both roles.
func TestConnVectorsIssueCase(t *testing.T) {
	all, err := vectors.Conn()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range all {
		found[v.ID] = true
	}
	for _, id := range []string{"fragmented-text-split-code-point-with-ping-server", "fragmented-text-split-code-point-with-ping-client", "fail-after-valid-message"} {
		if !found[id] {
			t.Errorf("vector %s is missing", id)
		}
	}
}
