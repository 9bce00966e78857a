package codec

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wskit/wskit/spec"
	"pgregory.net/rapid"
)

// checkTests call CheckHeader the way a simple receiver does (a role and
// whether a message is in progress) and the way the Decoder does (limits,
// an extension, the message so far). Offsets are indices into the header.
var checkTests = []struct {
	name   string
	h      Header
	perr   error
	st     HeaderState
	code   spec.CloseCode // 0: no error
	req    string
	offset int64
}{
	{"masked text to a server", Header{Fin: true, Opcode: spec.OpText, Masked: true, Length: 5},
		nil, HeaderState{Role: RoleServer}, 0, "", 0},
	{"unmasked text to a client", Header{Fin: true, Opcode: spec.OpText, Length: 5},
		nil, HeaderState{Role: RoleClient}, 0, "", 0},
	{"ping inside a message", Header{Fin: true, Opcode: spec.OpPing, Masked: true},
		nil, HeaderState{Role: RoleServer, InMessage: true}, 0, "", 0},
	{"final continuation", Header{Fin: true, Opcode: spec.OpContinuation, Masked: true, Length: 2},
		nil, HeaderState{Role: RoleServer, InMessage: true}, 0, "", 0},
	// The parse error comes first, and only a non-minimal length can be
	// let through.
	{"top length bit", Header{Fin: true, Rsv: 7, Opcode: 3, Length: 1 << 63},
		protocolError(spec.CloseProtocolError, "R-5.2-len-msb0", 2, ""), HeaderState{Role: RoleServer, AllowNonMinimalLength: true},
		1002, "R-5.2-len-msb0", 2},
	{"non-minimal length", Header{Fin: true, Rsv: 7, Opcode: spec.OpText, Length: 5},
		protocolError(spec.CloseProtocolError, "R-5.2-len-minimal", 1, ""), HeaderState{Role: RoleServer},
		1002, "R-5.2-len-minimal", 1},
	{"non-minimal length allowed", Header{Fin: true, Rsv: 7, Opcode: spec.OpText, Length: 5},
		protocolError(spec.CloseProtocolError, "R-5.2-len-minimal", 1, ""), HeaderState{Role: RoleServer, AllowNonMinimalLength: true},
		1002, "R-5.2-rsv-fail", 0},
	// R-5.2-rsv-fail before R-5.2-opcode-fail before everything else.
	{"rsv and reserved opcode", Header{Rsv: Rsv2, Opcode: 0xB, Length: 200},
		nil, HeaderState{Role: RoleServer, InMessage: true}, 1002, "R-5.2-rsv-fail", 0},
	{"rsv outside the extension's bits", Header{Fin: true, Rsv: Rsv1 | Rsv2, Opcode: spec.OpText, Masked: true},
		nil, HeaderState{Role: RoleServer, ExtensionRsv: Rsv1}, 1002, "R-5.2-rsv-fail", 0},
	{"reserved opcode, unmasked", Header{Fin: true, Opcode: 7},
		nil, HeaderState{Role: RoleServer}, 1002, "R-5.2-opcode-fail", 0},
	// D-6-rsv1-placement
	{"extension bit on a continuation", Header{Fin: true, Rsv: Rsv1, Opcode: spec.OpContinuation, Masked: true},
		nil, HeaderState{Role: RoleServer, ExtensionRsv: Rsv1, InMessage: true}, 1002, "D-6-rsv1-placement", 0},
	{"extension bit on a ping", Header{Fin: true, Rsv: Rsv1, Opcode: spec.OpPing, Masked: true},
		nil, HeaderState{Role: RoleServer, ExtensionRsv: Rsv1}, 1002, "D-6-rsv1-placement", 0},
	{"extension bit on a first frame", Header{Rsv: Rsv1, Opcode: spec.OpText, Masked: true, Length: 100},
		nil, HeaderState{Role: RoleServer, ExtensionRsv: Rsv1, MaxMessage: 10}, 0, "", 0},
	// Control frames: fragmentation before size, both before masking.
	{"fragmented oversize ping", Header{Opcode: spec.OpPing, Length: 126},
		nil, HeaderState{Role: RoleServer}, 1002, "R-5.4-control-unfragmented", 0},
	{"oversize close, unmasked", Header{Fin: true, Opcode: spec.OpClose, Length: 126},
		nil, HeaderState{Role: RoleServer}, 1002, "R-5.5-control-125", 1},
	{"125-byte pong", Header{Fin: true, Opcode: spec.OpPong, Length: 125},
		nil, HeaderState{Role: RoleClient}, 0, "", 0},
	// Masking before message order.
	{"unmasked orphan continuation", Header{Fin: true, Opcode: spec.OpContinuation},
		nil, HeaderState{Role: RoleServer}, 1002, "R-5.1-server-rejects-unmasked", 1},
	{"masked frame to a client", Header{Fin: true, Opcode: spec.OpBinary, Masked: true},
		nil, HeaderState{Role: RoleClient}, 1002, "R-5.1-client-rejects-masked", 1},
	{"orphan continuation", Header{Fin: true, Opcode: spec.OpContinuation, Masked: true},
		nil, HeaderState{Role: RoleServer}, 1002, "R-5.4-orphan-continuation", 0},
	{"text inside a message", Header{Fin: true, Opcode: spec.OpText},
		nil, HeaderState{Role: RoleClient, InMessage: true}, 1002, "R-5.4-nested-start", 0},
	// R-10.4-limits: zero limits are the defaults; each limit is tried
	// just under and just over.
	{"frame at the default limit", Header{Fin: true, Opcode: spec.OpBinary, Length: DefaultMaxFramePayload},
		nil, HeaderState{Role: RoleClient}, 0, "", 0},
	{"frame over the default limit", Header{Fin: true, Opcode: spec.OpBinary, Length: DefaultMaxFramePayload + 1},
		nil, HeaderState{Role: RoleClient}, 1009, "R-10.4-limits", 1},
	{"frame over MaxFramePayload", Header{Fin: true, Opcode: spec.OpBinary, Length: 11},
		nil, HeaderState{Role: RoleClient, MaxFramePayload: 10}, 1009, "R-10.4-limits", 1},
	{"message at MaxMessage", Header{Opcode: spec.OpContinuation, Length: 4},
		nil, HeaderState{Role: RoleClient, InMessage: true, MessageLength: 6, MessageFragments: 1, MaxMessage: 10}, 0, "", 0},
	{"message over MaxMessage", Header{Opcode: spec.OpContinuation, Length: 5},
		nil, HeaderState{Role: RoleClient, InMessage: true, MessageLength: 6, MessageFragments: 1, MaxMessage: 10}, 1009, "R-10.4-limits", 1},
	{"transformed message over MaxMessage as declared", Header{Opcode: spec.OpContinuation, Length: 5},
		nil, HeaderState{Role: RoleClient, ExtensionRsv: Rsv1, InMessage: true, MessageTransformed: true, MessageLength: 6, MessageFragments: 1, MaxMessage: 10}, 0, "", 0},
	{"message length beyond MaxMessage already", Header{Opcode: spec.OpContinuation},
		nil, HeaderState{Role: RoleClient, InMessage: true, MessageLength: math.MaxUint64, MessageFragments: 1, MaxMessage: 10}, 1009, "R-10.4-limits", 1},
	{"frame at MaxFragments", Header{Opcode: spec.OpContinuation},
		nil, HeaderState{Role: RoleClient, InMessage: true, MessageFragments: 2, MaxFragments: 3}, 0, "", 0},
	{"frame over MaxFragments", Header{Opcode: spec.OpContinuation},
		nil, HeaderState{Role: RoleClient, InMessage: true, MessageFragments: 3, MaxFragments: 3}, 1009, "R-10.4-limits", 0},
	{"frame over the default fragments", Header{Opcode: spec.OpContinuation},
		nil, HeaderState{Role: RoleClient, InMessage: true, MessageFragments: DefaultMaxFragments}, 1009, "R-10.4-limits", 0},
	{"control frames are not counted", Header{Fin: true, Opcode: spec.OpPing},
		nil, HeaderState{Role: RoleClient, InMessage: true, MessageFragments: 3, MaxFragments: 3, MaxFramePayload: 1}, 0, "", 0},
}

func TestCheckHeader(t *testing.T) {
	for _, tt := range checkTests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckHeader(tt.h, tt.perr, tt.st)
			if tt.code == 0 {
				if err != nil {
					t.Fatalf("CheckHeader = %v, want nil", err)
				}
				return
			}
			checkProtocolError(t, err, tt.code, tt.req, tt.offset)
		})
	}
}

// TestCheckHeaderPassesParseErrorOn: the error ParseHeader gave is
// returned as it is, not a copy.
func TestCheckHeaderPassesParseErrorOn(t *testing.T) {
	_, _, perr := ParseHeader([]byte{0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0})
	if err := CheckHeader(Header{}, perr, HeaderState{Role: RoleClient}); err != perr {
		t.Fatalf("CheckHeader = %v, want ParseHeader's error %v", err, perr)
	}
}

func TestCheckHeaderPanicsOnCallerMistakes(t *testing.T) {
	for _, st := range []HeaderState{{}, {Role: 3}, {Role: RoleServer, MaxFragments: -1}} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "HeaderState") {
					t.Errorf("CheckHeader with %+v: recovered %v, want a panic naming HeaderState", st, r)
				}
			}()
			CheckHeader(Header{Fin: true, Opcode: spec.OpText}, nil, st)
		}()
	}
}

func TestCheckHeaderAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	h := Header{Opcode: spec.OpContinuation, Masked: true, Length: 100}
	st := HeaderState{Role: RoleServer, InMessage: true, MessageLength: 100, MessageFragments: 2}
	if allocs := testing.AllocsPerRun(100, func() {
		if CheckHeader(h, nil, st) != nil {
			t.Fatal("rejected")
		}
	}); allocs != 0 {
		t.Errorf("CheckHeader allocates %v times for a valid header", allocs)
	}
}

// A checkScenario is a Decoder configuration, a data message left in
// progress by the frames before, and one more header: everything
// CheckHeader decides on, drawn so that the Decoder can be brought to
// exactly that state.
type checkScenario struct {
	Opts    DecoderOptions // without Extension
	ExtBits uint8          // the extension's RSV bits; 0: none
	State   HeaderState    // what the frames before leave
	Prefix  []byte         // the frames before, valid
	Header  []byte         // the header's wire form, possibly non-minimal
}

func checkScenarioGen() *rapid.Generator[checkScenario] {
	return rapid.Custom(func(t *rapid.T) checkScenario {
		var sc checkScenario
		role := rapid.SampledFrom([]Role{RoleServer, RoleClient}).Draw(t, "role")
		sc.Opts = DecoderOptions{
			Role:                  role,
			MaxFramePayload:       rapid.OneOf(rapid.Just[uint64](0), rapid.Uint64Range(1, 300)).Draw(t, "max frame"),
			MaxMessage:            rapid.OneOf(rapid.Just[uint64](0), rapid.Uint64Range(1, 600)).Draw(t, "max message"),
			MaxFragments:          rapid.OneOf(rapid.Just(0), rapid.IntRange(1, 6)).Draw(t, "max fragments"),
			AllowNonMinimalLength: rapid.Bool().Draw(t, "allow non-minimal"),
		}
		sc.ExtBits = rapid.SampledFrom([]uint8{0, 0, Rsv1, Rsv2, Rsv3, Rsv1 | Rsv3, 7}).Draw(t, "extension bits")
		sc.State = HeaderState{
			Role: role, ExtensionRsv: sc.ExtBits, MaxFramePayload: sc.Opts.MaxFramePayload, MaxMessage: sc.Opts.MaxMessage,
			MaxFragments: sc.Opts.MaxFragments, AllowNonMinimalLength: sc.Opts.AllowNonMinimalLength,
		}
		maxFrame, maxMessage, maxFragments := cmpOr(sc.Opts.MaxFramePayload, DefaultMaxFramePayload),
			cmpOr(sc.Opts.MaxMessage, DefaultMaxMessage), cmpOr(sc.Opts.MaxFragments, DefaultMaxFragments)
		frame := func(h Header, payload []byte) {
			h.Length = uint64(len(payload))
			if h.Masked = role == RoleServer; h.Masked {
				h.Key = [4]byte{0x5a, byte(len(sc.Prefix)), 0xc3, 0x01}
			}
			sc.Prefix = AppendHeader(sc.Prefix, h)
			start := len(sc.Prefix)
			sc.Prefix = append(sc.Prefix, payload...)
			if h.Masked {
				Mask(h.Key, 0, sc.Prefix[start:])
			}
		}
		if rapid.Bool().Draw(t, "in message") {
			sc.State.InMessage = true
			sc.State.MessageTransformed = sc.ExtBits != 0 && rapid.Bool().Draw(t, "transformed")
			first := Header{Opcode: rapid.SampledFrom([]spec.Opcode{spec.OpText, spec.OpBinary}).Draw(t, "message opcode")}
			if sc.State.MessageTransformed {
				first.Rsv = sc.ExtBits
			}
			for i := range rapid.IntRange(1, min(maxFragments, 5)).Draw(t, "frames before") {
				left := maxMessage - sc.State.MessageLength
				n := rapid.IntRange(0, int(min(maxFrame, left, 40))).Draw(t, "length before")
				h := Header{Opcode: spec.OpContinuation}
				if i == 0 {
					h = first
				}
				frame(h, []byte(strings.Repeat("a", n))) // ASCII also after the test extension's XOR
				sc.State.MessageLength += uint64(n)
				sc.State.MessageFragments++
				if rapid.IntRange(0, 3).Draw(t, "ping between") == 0 {
					frame(Header{Fin: true, Opcode: spec.OpPing}, []byte("p"))
				}
			}
		}
		h := Header{
			Fin:    rapid.Bool().Draw(t, "fin"),
			Rsv:    rapid.OneOf(rapid.Just[uint8](0), rapid.Just(sc.ExtBits), rapid.Uint8Range(0, 7)).Draw(t, "rsv"),
			Opcode: spec.Opcode(rapid.OneOf(rapid.SampledFrom([]uint8{0, 1, 2, 8, 9, 10}), rapid.Uint8Range(0, 15)).Draw(t, "opcode")),
			Masked: (role == RoleServer) != (rapid.IntRange(0, 4).Draw(t, "wrong mask bit") == 0),
		}
		if h.Masked {
			h.Key = [4]byte(rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "key"))
		}
		left := maxMessage - sc.State.MessageLength
		h.Length = rapid.OneOf(lengthGen(), rapid.Uint64Range(0, 130), rapid.SampledFrom([]uint64{maxFrame, maxFrame + 1, left, left + 1})).Draw(t, "length")
		sc.Header = AppendHeader(nil, h)
		// The same length in another form: a non-minimal one, or a
		// 64-bit one with the top bit set.
		long := append([]byte{sc.Header[0], sc.Header[1]&0x80 | 127}, binary.BigEndian.AppendUint64(nil, h.Length)...)
		switch rapid.IntRange(0, 5).Draw(t, "length form") {
		case 0:
			if h.Length <= 125 {
				sc.Header = []byte{sc.Header[0], sc.Header[1]&0x80 | 126, 0, byte(h.Length)}
				if h.Masked {
					sc.Header = append(sc.Header, h.Key[:]...)
				}
			}
		case 1:
			sc.Header = long
			if h.Masked {
				sc.Header = append(sc.Header, h.Key[:]...)
			}
		case 2:
			sc.Header = long
			sc.Header[2] |= 0x80
			if h.Masked {
				sc.Header = append(sc.Header, h.Key[:]...)
			}
		}
		return sc
	})
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// TestCheckHeaderAgreesWithDecoder: for any header, in any state a Decoder
// can be brought to, the Decoder's verdict on the header is CheckHeader's
// (same code, requirement, detail, and offset once moved to the stream),
// and CheckHeader's verdict does not depend on how the state was reached.
func TestCheckHeaderAgreesWithDecoder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := checkScenarioGen().Draw(t, "scenario")
		h, n, perr := ParseHeader(sc.Header)
		if n != len(sc.Header) {
			t.Fatalf("ParseHeader(% x) read %d bytes", sc.Header, n)
		}
		want := CheckHeader(h, perr, sc.State)
		if pe, ok := want.(*ProtocolError); ok {
			pe.Offset += int64(len(sc.Prefix))
		}

		opts := sc.Opts
		if sc.ExtBits != 0 {
			ext := newXOR(1, 64)
			ext.bits = sc.ExtBits
			opts.Extension = ext
		}
		in := append(sc.Prefix, sc.Header...)
		sizes := chunkSizesGen(len(in)).Draw(t, "chunks")
		_, got := feed(t, newDecoder(t, opts), in, sizes...)
		if pe, ok := got.(*ProtocolError); ok && pe.Offset < int64(len(sc.Prefix)) {
			t.Fatalf("the frames before the header failed: %v", got)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("header % x after % x: CheckHeader and the Decoder differ (-CheckHeader +Decoder):\n%s", sc.Header, sc.Prefix, diff)
		}
	})
}
