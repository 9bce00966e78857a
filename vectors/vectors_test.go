package vectors_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/handshake"
	"github.com/wskit/wskit/spec"
	"github.com/wskit/wskit/vectors"
	"github.com/wskit/wskit/vectors/internal/vectorgen"
)

// TestGeneratedFilesUpToDate regenerates every vector file and fails when
// the committed copy differs: run "go generate ./vectors" after changing
// the generator.
func TestGeneratedFilesUpToDate(t *testing.T) {
	dir := t.TempDir()
	if err := vectorgen.Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range vectorgen.Names() {
		fresh, err := os.ReadFile(dir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		committed, err := vectors.ReadFile(name)
		if err != nil {
			t.Fatalf("%s is not committed: %v", name, err)
		}
		if !bytes.Equal(fresh, committed) {
			t.Errorf("%s is stale: run go generate ./vectors", name)
		}
	}
}

// TestGeneratorIsDeterministic builds the files twice.
func TestGeneratorIsDeterministic(t *testing.T) {
	a, err := vectorgen.Files()
	if err != nil {
		t.Fatal(err)
	}
	b, err := vectorgen.Files()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two runs differ:\n%s", diff)
	}
}

func checkCommon(t *testing.T, seen map[string]bool, c vectors.Common) {
	t.Helper()
	if c.ID == "" || seen[c.ID] {
		t.Errorf("missing or duplicate vector ID %q", c.ID)
	}
	seen[c.ID] = true
	if c.Description == "" || c.Source == "" {
		t.Errorf("%s: description and source are required", c.ID)
	}
	if len(c.Requirements) == 0 {
		t.Errorf("%s: cites no requirement", c.ID)
	}
	for _, id := range c.Requirements {
		if _, ok := spec.Lookup(id); !ok {
			t.Errorf("%s: cites unknown requirement %q", c.ID, id)
		}
	}
}

// TestFrameVectors checks every frame vector against the codec: parsing
// the input gives the listed headers, unmasking gives the listed payloads,
// and writing the headers back with AppendHeader and re-masking gives the
// input byte for byte. Error vectors must fail with the listed close code
// and requirement.
func TestFrameVectors(t *testing.T) {
	all, err := vectors.Frames()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, v := range all {
		checkCommon(t, seen, v.Common)
		t.Run(v.ID, func(t *testing.T) {
			if v.Error != nil {
				_, _, err := codec.ParseHeader(v.Input)
				var pe *codec.ProtocolError
				if !errors.As(err, &pe) {
					t.Fatalf("ParseHeader error = %v, want code %d", err, v.Error.CloseCode)
				}
				if int(pe.Code) != v.Error.CloseCode || pe.Requirement != v.Error.Requirement {
					t.Errorf("error = %d %s, want %d %s", pe.Code, pe.Requirement, v.Error.CloseCode, v.Error.Requirement)
				}
				return
			}
			var rebuilt []byte
			rest := []byte(v.Input)
			for i, want := range v.Frames {
				h, n, err := codec.ParseHeader(rest)
				if err != nil || n == 0 {
					t.Fatalf("frame %d: ParseHeader = %d, %v", i, n, err)
				}
				got := vectors.Frame{
					Fin: h.Fin, Rsv: h.Rsv, Opcode: uint8(h.Opcode), Masked: h.Masked,
					Length: h.Length, HeaderSize: n,
				}
				if h.Masked {
					got.Key = h.Key[:]
				}
				rebuilt = codec.AppendHeader(rebuilt, h)
				rest = rest[n:]
				if !v.HeaderOnly {
					if uint64(len(rest)) < h.Length {
						t.Fatalf("frame %d: input ends inside the payload", i)
					}
					payload := bytes.Clone(rest[:h.Length])
					rest = rest[h.Length:]
					if h.Masked {
						codec.Mask(h.Key, 0, payload)
					}
					if len(payload) > 0 {
						got.Payload = payload
					}
					masked := bytes.Clone(payload)
					if h.Masked {
						codec.Mask(h.Key, 0, masked)
					}
					rebuilt = append(rebuilt, masked...)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("frame %d mismatch (-vector +codec):\n%s", i, diff)
				}
			}
			if len(rest) != 0 {
				t.Errorf("%d bytes left after the listed frames", len(rest))
			}
			if !bytes.Equal(rebuilt, v.Input) {
				t.Errorf("AppendHeader and Mask rebuild % x, want % x", rebuilt, []byte(v.Input))
			}
		})
	}
}

// TestRFCFrameBytes pins the RFC 6455 section 5.7 examples byte for byte,
// independently of the generator.
func TestRFCFrameBytes(t *testing.T) {
	want := map[string]string{
		"rfc6455-5.7-unmasked-text":   "810548656c6c6f",
		"rfc6455-5.7-masked-text":     "818537fa213d7f9f4d5158",
		"rfc6455-5.7-fragmented-text": "010348656c80026c6f",
		"rfc6455-5.7-unmasked-ping":   "890548656c6c6f",
		"rfc6455-5.7-masked-pong":     "8a8537fa213d7f9f4d5158",
		"rfc6455-5.7-256-bytes":       "827e0100",
		"rfc6455-5.7-64KiB":           "827f0000000000010000",
	}
	all, err := vectors.Frames()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range all {
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

func TestAcceptVectors(t *testing.T) {
	f, err := vectors.Handshake()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Accept) == 0 {
		t.Fatal("no accept vectors")
	}
	seen := map[string]bool{}
	for _, v := range f.Accept {
		checkCommon(t, seen, v.Common)
		if got := handshake.AcceptKey(v.Key); (got == v.Accept) != v.Valid {
			t.Errorf("%s: AcceptKey(%q) = %q; vector says %q is valid=%v", v.ID, v.Key, got, v.Accept, v.Valid)
		}
	}
	// Pairs computed outside wskit (Python's hashlib), pinned
	// independently of the generator.
	pinned := map[string]string{
		"rfc6455-1.3":              "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
		"rfc6455-4.1-noncanonical": "OfS0wDaT5NoxF2gqm7Zj2YtetzM=",
		"canonical-01-10":          "C/0nmHhBztSRGR1CwL6Tf4ZjwpY=",
		"zero-key":                 "ICX+Yqv66kxgM0FcWaLWlFLwTAI=",
		"wrong-guid":               "KN2CsFkOBHmr0YG6dJaSCImFV4Y=",
	}
	for _, v := range f.Accept {
		if want, ok := pinned[v.ID]; ok {
			if v.Accept != want {
				t.Errorf("%s: accept %q, want %q", v.ID, v.Accept, want)
			}
			delete(pinned, v.ID)
		}
	}
	for id := range pinned {
		t.Errorf("accept vector %s is missing", id)
	}
}
