package vectors_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/vectors"
)

func roleOf(t *testing.T, s string) codec.Role {
	t.Helper()
	switch s {
	case "server":
		return codec.RoleServer
	case "client":
		return codec.RoleClient
	}
	t.Fatalf("unknown role %q", s)
	return 0
}

func decoderOptions(t *testing.T, role string, l *vectors.Limits) codec.DecoderOptions {
	opts := codec.DecoderOptions{Role: roleOf(t, role)}
	if l != nil {
		opts.MaxFramePayload = l.MaxFramePayload
		opts.MaxMessage = l.MaxMessage
		opts.MaxFragments = l.MaxFragments
		opts.AllowNonMinimalLength = l.AllowNonMinimalLength
	}
	return opts
}

// assembler turns codec events into the vectors' whole messages and
// control frames.
type assembler struct {
	events  []vectors.Event
	payload []byte
}

func (a *assembler) add(ev codec.Event) {
	switch ev.Kind {
	case codec.EventMessageStart:
		a.payload = []byte{}
	case codec.EventPayload:
		a.payload = append(a.payload, ev.Data...)
	case codec.EventMessageEnd:
		a.events = append(a.events, vectors.Event{Kind: ev.Opcode.String(), Data: a.payload})
	case codec.EventPing, codec.EventPong:
		a.events = append(a.events, vectors.Event{Kind: ev.Kind.String(), Data: bytes.Clone(ev.Data)})
	case codec.EventClose:
		a.events = append(a.events, vectors.Event{Kind: "close", Data: bytes.Clone(ev.Data), Code: int(ev.Code)})
	}
}

// decode feeds a copy of in to a Decoder in chunks of size bytes.
func decode(t *testing.T, opts codec.DecoderOptions, in []byte, size int) ([]vectors.Event, error) {
	t.Helper()
	d, err := codec.NewDecoder(opts)
	if err != nil {
		t.Fatal(err)
	}
	buf := bytes.Clone(in)
	var a assembler
	for pos := 0; pos < len(buf); pos += size {
		p := buf[pos:min(pos+size, len(buf))]
		for {
			ev, n, err := d.Decode(p)
			if err != nil {
				return a.events, err
			}
			p = p[n:]
			if ev.Kind == codec.EventNone {
				break
			}
			a.add(ev)
		}
	}
	return a.events, nil
}

// checkError compares a codec error with a vector's.
func checkError(t *testing.T, err error, want *vectors.DecoderError) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var pe *codec.ProtocolError
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v, want close %d %s", err, want.CloseCode, want.Requirement)
	}
	if int(pe.Code) != want.CloseCode || pe.Requirement != want.Requirement {
		t.Fatalf("error = %d %s (%s), want %d %s", pe.Code, pe.Requirement, pe.Detail, want.CloseCode, want.Requirement)
	}
	if want.Offset != nil && pe.Offset != *want.Offset {
		t.Fatalf("error at offset %d, want %d", pe.Offset, *want.Offset)
	}
}

// TestDecoderVectors checks every vector of decoder.json against the
// codec's Decoder, fed whole, byte by byte and in 3-byte chunks.
func TestDecoderVectors(t *testing.T) {
	all, err := vectors.Decoder()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no decoder vectors")
	}
	seen := map[string]bool{}
	for _, v := range all {
		checkCommon(t, seen, v.Common)
		t.Run(v.ID, func(t *testing.T) {
			opts := decoderOptions(t, v.Role, v.Limits)
			for _, size := range []int{len(v.Input) + 1, 1, 3} {
				events, err := decode(t, opts, v.Input, size)
				checkError(t, err, v.Error)
				if diff := cmp.Diff(v.Events, events, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("chunks of %d: events (-vector +codec):\n%s", size, diff)
				}
			}
		})
	}
}

// TestDecoderVectorsCoverEveryRule: every receive rule the Decoder applies
// has at least one error vector (D-6-rsv1-placement needs a negotiated
// extension and is tested in package codec), and both roles are covered.
func TestDecoderVectorsCoverEveryRule(t *testing.T) {
	all, err := vectors.Decoder()
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]int{
		"R-5.2-rsv-fail": 0, "R-5.2-opcode-fail": 0, "R-5.4-control-unfragmented": 0, "R-5.5-control-125": 0,
		"R-5.1-server-rejects-unmasked": 0, "R-5.1-client-rejects-masked": 0, "R-5.4-orphan-continuation": 0,
		"R-5.4-nested-start": 0, "R-5.2-len-minimal": 0, "R-5.2-len-msb0": 0, "R-5.5.1-close-body": 0,
		"R-7.4-invalid-recv": 0, "R-5.5.1-reason-utf8": 0, "R-8.1-utf8-fail": 0, "R-5.6-text-utf8": 0,
		"R-10.4-limits": 0,
	}
	roles := map[string]int{}
	for _, v := range all {
		roles[v.Role]++
		if v.Error == nil {
			continue
		}
		if _, ok := rules[v.Error.Requirement]; !ok {
			t.Errorf("%s: error requirement %s is not a decoder rule", v.ID, v.Error.Requirement)
		}
		rules[v.Error.Requirement]++
	}
	for id, n := range rules {
		if n == 0 {
			t.Errorf("no error vector for %s", id)
		}
	}
	if roles["server"] == 0 || roles["client"] == 0 {
		t.Errorf("roles covered: %v", roles)
	}
}

// TestDecoderVectorBytes pins a few inputs byte for byte, independently of
// the generator.
func TestDecoderVectorBytes(t *testing.T) {
	want := map[string]string{
		"rfc6455-5.7-masked-text":     "818537fa213d7f9f4d5158",
		"rfc6455-5.7-fragmented-text": "010348656c80026c6f",
		"close-empty":                 "", // checked below: a masked empty Close
		"length-124-in-16-bits":       "827e007c" + string(bytes.Repeat([]byte("00"), 124)),
		"length-top-bit":              "827f8000000000000000",
		"limit-declared-2^63-1":       "827f7fffffffffffffff",
	}
	all, err := vectors.Decoder()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range all {
		w, ok := want[v.ID]
		if !ok {
			continue
		}
		delete(want, v.ID)
		got := hex.EncodeToString(v.Input)
		if v.ID == "close-empty" {
			if len(v.Input) != 6 || v.Input[0] != 0x88 || v.Input[1] != 0x80 {
				t.Errorf("%s: %s, want a masked empty Close", v.ID, got)
			}
			continue
		}
		if got != w {
			t.Errorf("%s: %s, want %s", v.ID, got, w)
		}
	}
	for id := range want {
		t.Errorf("vector %s is missing", id)
	}
}
