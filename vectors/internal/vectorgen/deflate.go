package vectorgen

import (
	"bytes"
	"compress/flate"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/wskit/wskit/vectors"
)

// The deflate vectors compress with compress/flate and frame by hand:
// RFC 7692 section 7.2.1 is a sync flush with its last 4 bytes removed.
// Expected outcomes are the plaintext that went in, and the negotiation
// answers are written out by hand from RFC 7692 section 7, so that the
// vectors check codec/deflate rather than repeat it.

const rsv1 = 0x4

// deflateMessages compresses each message at level, sync-flushed and
// stripped; with takeover the messages share one compressor.
func deflateMessages(level int, takeover bool, msgs ...[]byte) [][]byte {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, level)
	if err != nil {
		panic(err)
	}
	var out [][]byte
	for _, m := range msgs {
		buf.Reset()
		if !takeover {
			w.Reset(&buf)
		}
		w.Write(m)
		w.Flush()
		b := buf.Bytes()
		if !bytes.HasSuffix(b, []byte{0, 0, 0xff, 0xff}) {
			panic("vectorgen: sync flush without 00 00 ff ff")
		}
		out = append(out, bytes.Clone(b[:len(b)-4]))
	}
	return out
}

// compressedFrames splits a compressed payload into frames of size bytes
// (0: one frame), RSV1 on the first only (D-6-rsv1-placement).
func compressedFrames(op uint8, payload []byte, size int) []frame {
	var out []frame
	for first := true; first || len(payload) > 0; first = false {
		n := len(payload)
		if size > 0 && n > size {
			n = size
		}
		f := fr(n == len(payload), opContinuation, string(payload[:n]))
		if first {
			f.opcode, f.rsv = op, rsv1
		}
		out = append(out, f)
		payload = payload[n:]
	}
	return out
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// rawFrame is a frame carrying hex bytes as its payload.
func rawFrame(fin bool, rsv, op uint8, payloadHex string) frame {
	f := fr(fin, op, string(mustHex(payloadHex)))
	f.rsv = rsv
	return f
}

func deflateDecoderVector(id, desc, source string, reqs []string, role, agreed string, limits *vectors.Limits, frames []frame, events []vectors.Event, err *vectors.DecoderError) vectors.DeflateDecoderVector {
	s := newStream(id, role, frames...)
	if events == nil {
		events = []vectors.Event{}
	}
	return vectors.DeflateDecoderVector{
		Common: vectors.Common{ID: id, Description: desc, Source: source, Requirements: reqs},
		Role:   role, Agreed: agreed, Limits: limits, Input: s.bytes(), Events: events, Error: err,
	}
}

const pmd = "permessage-deflate"

func deflateDecoderVectors() []vectors.DeflateDecoderVector {
	hello := evText("Hello")
	dec := []string{"D-7.2.2-decompress", "D-6-opcode"}
	var out []vectors.DeflateDecoderVector
	add := func(v vectors.DeflateDecoderVector) { out = append(out, v) }

	// RFC 7692 section 7.2.3, byte for byte, server to client.
	add(deflateDecoderVector("rfc7692-7.2.3.1-hello", "\"Hello\" compressed in one frame", "RFC7692 7.2.3.1", dec, "client", pmd, nil,
		[]frame{rawFrame(true, rsv1, opText, "f2 48 cd c9 c9 07 00")}, []vectors.Event{hello}, nil))
	add(deflateDecoderVector("rfc7692-7.2.3.1-fragmented", "the same compressed payload in two frames, RSV1 on the first only", "RFC7692 7.2.3.1",
		append(dec, "D-6-rsv1-placement"), "client", pmd, nil,
		[]frame{rawFrame(false, rsv1, opText, "f2 48 cd"), rawFrame(true, 0, opContinuation, "c9 c9 07 00")}, []vectors.Event{hello}, nil))
	add(deflateDecoderVector("rfc7692-7.2.3.2-takeover", "a second \"Hello\" that refers to the first message's window (context takeover)", "RFC7692 7.2.3.2",
		append(dec, "D-7.2.2-peer-takeover"), "client", pmd, nil,
		[]frame{rawFrame(true, rsv1, opText, "f2 48 cd c9 c9 07 00"), rawFrame(true, rsv1, opText, "f2 00 11 00 00")}, []vectors.Event{hello, hello}, nil))
	add(deflateDecoderVector("rfc7692-7.2.3.2-no-takeover", "the second \"Hello\" without context takeover is the first one again", "RFC7692 7.2.3.2",
		append(dec, "D-7.1.1.1-server_no_context_takeover"), "client", pmd+"; server_no_context_takeover", nil,
		[]frame{rawFrame(true, rsv1, opText, "f2 48 cd c9 c9 07 00"), rawFrame(true, rsv1, opText, "f2 48 cd c9 c9 07 00")}, []vectors.Event{hello, hello}, nil))
	add(deflateDecoderVector("rfc7692-7.2.3.3-stored", "\"Hello\" in a stored (uncompressed) DEFLATE block; the RFC's prose says length 7, the header's 0x0b (11) is right", "RFC7692 7.2.3.3", dec, "client", pmd, nil,
		[]frame{rawFrame(true, rsv1, opText, "00 05 00 fa ff 48 65 6c 6c 6f 00")}, []vectors.Event{hello}, nil))
	add(deflateDecoderVector("rfc7692-7.2.3.4-bfinal", "\"Hello\" in a final (BFINAL) block followed by a 00 byte", "RFC7692 7.2.3.4",
		append(dec, "D-7.2.3.4-bfinal"), "client", pmd, nil,
		[]frame{rawFrame(true, rsv1, opText, "f3 48 cd c9 c9 07 00 00")}, []vectors.Event{hello}, nil))
	add(deflateDecoderVector("rfc7692-7.2.3.5-two-blocks", "\"He\" and \"llo\" in two DEFLATE blocks of one message", "RFC7692 7.2.3.5", dec, "client", pmd, nil,
		[]frame{rawFrame(true, rsv1, opText, "f2 48 05 00 00 00 ff ff ca c9 c9 07 00")}, []vectors.Event{hello}, nil))
	add(deflateDecoderVector("rfc7692-7.2.3.6-empty-fragment", "a compressed message ending with a frame whose payload is 00, an empty stored block once 00 00 ff ff is appended; the first frame, not being the last, keeps its sync flush's 00 00 ff ff (its bytes are derived, the RFC prints only the 00)", "RFC7692 7.2.3.6", dec, "client", pmd, nil,
		[]frame{rawFrame(false, rsv1, opText, "f2 48 cd c9 c9 07 00 00 00 ff ff"), rawFrame(true, 0, opContinuation, "00")}, []vectors.Event{hello}, nil))

	// compress/flate's own second "Hello" differs from the RFC's bytes:
	// decode it, never expect an encoder to produce it.
	twice := deflateMessages(flate.BestCompression, true, []byte("Hello"), []byte("Hello"))
	add(deflateDecoderVector("go-flate-takeover-hello", "\"Hello\" twice with context takeover as compress/flate writes it (the second differs from RFC 7692 7.2.3.2's bytes)", "generated",
		append(dec, "D-7.2.2-peer-takeover", "D-7.2.1-compress"), "client", pmd, nil,
		[]frame{fr(true, opText, string(twice[0])).withRsv(rsv1), fr(true, opText, string(twice[1])).withRsv(rsv1)}, []vectors.Event{hello, hello}, nil))
	add(deflateDecoderVector("bfinal-without-00", "a message ending right after a final block, without the 00 byte: read as complete, and the next message keeps the window", "generated",
		append(dec, "D-7.2.3.4-bfinal"), "client", pmd, nil,
		[]frame{rawFrame(true, rsv1, opText, "f3 48 cd c9 c9 07 00"), rawFrame(true, rsv1, opText, "f2 00 11 00 00")}, []vectors.Event{hello, hello}, nil))
	add(deflateDecoderVector("empty-payload", "an RSV1 message with an empty payload is an empty message", "generated",
		append(dec, "D-6-optional"), "server", pmd, nil,
		[]frame{rawFrame(true, rsv1, opText, ""), rawFrame(true, rsv1, opBinary, "02 00")}, []vectors.Event{evText(""), evBinary("")}, nil))
	add(deflateDecoderVector("uncompressed-message", "a message without RSV1 is delivered as sent, between compressed ones", "generated",
		[]string{"D-6-optional", "D-7.2.2-decompress"}, "server", pmd, nil,
		[]frame{rawFrame(true, rsv1, opText, "f2 48 cd c9 c9 07 00"), fr(true, opText, "plain"), rawFrame(true, rsv1, opText, "f2 00 11 00 00")},
		[]vectors.Event{hello, evText("plain"), hello}, nil))
	add(deflateDecoderVector("ping-between-fragments", "a ping between the frames of a compressed message", "generated",
		[]string{"D-6-data-only", "R-5.4-control-interleave"}, "server", pmd, nil,
		[]frame{rawFrame(false, rsv1, opText, "f2 48"), fr(true, opPing, "p"), rawFrame(true, 0, opContinuation, "cd c9 c9 07 00")},
		[]vectors.Event{evPing("p"), hello}, nil))

	// RSV1 placement (D-6-rsv1-placement).
	add(deflateDecoderVector("rsv1-on-continuation", "RSV1 on a continuation frame", "generated", []string{"D-6-rsv1-placement"}, "server", pmd, nil,
		[]frame{rawFrame(false, rsv1, opText, "f2 48 cd"), rawFrame(true, rsv1, opContinuation, "c9 c9 07 00")}, nil, protocolErr(1002, "D-6-rsv1-placement")))
	add(deflateDecoderVector("rsv1-on-ping", "RSV1 on a ping", "generated", []string{"D-6-rsv1-placement", "D-6-data-only"}, "client", pmd, nil,
		[]frame{fr(true, opPing, "").withRsv(rsv1)}, nil, protocolErr(1002, "D-6-rsv1-placement")))
	add(deflateDecoderVector("rsv2-with-deflate", "RSV2, which permessage-deflate does not define", "generated", []string{"R-5.2-rsv-fail"}, "client", pmd, nil,
		[]frame{fr(true, opText, "x").withRsv(2)}, nil, protocolErr(1002, "R-5.2-rsv-fail")))

	// Data that does not inflate (1007, D-7.2.2-decompress).
	bad := protocolErr(1007, "D-7.2.2-decompress")
	add(deflateDecoderVector("takeover-refused", "the second message refers to the first although the server agreed to server_no_context_takeover", "generated",
		[]string{"D-7.2.2-decompress", "D-7.1.1.1-server_no_context_takeover"}, "client", pmd+"; server_no_context_takeover", nil,
		[]frame{rawFrame(true, rsv1, opText, "f2 48 cd c9 c9 07 00"), rawFrame(true, rsv1, opText, "f2 00 11 00 00")}, []vectors.Event{hello}, bad))
	add(deflateDecoderVector("block-type-3", "a block of the reserved type 3", "generated", []string{"D-7.2.2-decompress"}, "server", pmd, nil,
		[]frame{rawFrame(true, rsv1, opBinary, "07 00")}, nil, bad))
	add(deflateDecoderVector("stored-length-mismatch", "a stored block whose NLEN is not the complement of LEN", "generated", []string{"D-7.2.2-decompress"}, "server", pmd, nil,
		[]frame{rawFrame(true, rsv1, opBinary, "00 05 00 fb ff 48 65 6c 6c 6f 00")}, nil, bad))
	add(deflateDecoderVector("distance-before-start", "the first message refers 3 bytes back after writing 1 byte", "generated", []string{"D-7.2.2-decompress"}, "server", pmd, nil,
		// Fixed block: literal 'a', then length 3 at distance 3 (code
		// 257, distance code 2), then end of block, non-final.
		frameList{fr(true, opBinary, string(fixedBlock([]any{byte('a'), [2]int{3, 3}})))}.withRsv1(), nil, bad))
	add(deflateDecoderVector("ends-inside-block", "a message that still ends inside a block once 00 00 ff ff is appended (the sender kept its sync-flush tail)", "generated",
		[]string{"D-7.2.2-decompress", "D-7.2.1-compress"}, "server", pmd, nil,
		[]frame{rawFrame(true, rsv1, opText, "f2 48 cd c9 c9 07 00 00 00 ff ff")}, nil, bad))
	add(deflateDecoderVector("window-bits-8-exceeded", "the server agreed to a 256-byte window but refers 300 bytes back", "generated",
		[]string{"D-7.2.2-decompress", "D-7.1.2.1-server_max_window_bits"}, "client", pmd+"; server_max_window_bits=8", nil,
		[]frame{fr(true, opBinary, string(fixedBlock(append(literals(300), [2]int{10, 300})))).withRsv(rsv1)}, nil, bad))
	add(deflateDecoderVector("window-bits-8-honoured", "the server agreed to a 256-byte window and refers 256 bytes back", "generated",
		[]string{"D-7.2.2-decompress", "D-7.1.2.1-server_max_window_bits"}, "client", pmd+"; server_max_window_bits=8", nil,
		[]frame{fr(true, opBinary, string(fixedBlock(append(literals(300), [2]int{10, 256})))).withRsv(rsv1)},
		[]vectors.Event{{Kind: "binary", Data: append([]byte(literalText(300)), literalText(300)[44:54]...)}}, nil))

	// UTF-8 applies to the inflated text (D-6-utf8-after).
	invalid := []byte(strings.Repeat("a", 3000) + "\xff" + strings.Repeat("b", 3000))
	c := deflateMessages(flate.BestCompression, false, invalid)[0]
	add(deflateDecoderVector("utf8-after-inflate", "compressed text that inflates to invalid UTF-8", "generated",
		[]string{"D-6-utf8-after", "R-8.1-utf8-fail"}, "server", pmd, nil, compressedFrames(opText, c, 0), nil, protocolErr(1007, "R-8.1-utf8-fail")))
	frames := compressedFrames(opText, c, 8)
	add(deflateDecoderVector("utf8-fail-fast-across-fragments", "the first frames of a compressed text message inflate to invalid UTF-8; the input stops before the last frame, so only a decoder that inflates and checks as frames arrive fails", "generated",
		[]string{"D-6-utf8-after", "R-8.1-utf8-fail"}, "server", pmd, nil, frames[:len(frames)-1], nil, protocolErr(1007, "R-8.1-utf8-fail")))
	trunc := deflateMessages(flate.BestCompression, false, []byte("κόσμ\xce"))[0]
	add(deflateDecoderVector("utf8-truncated-after-inflate", "compressed text that inflates to a message ending inside a code point", "generated",
		[]string{"D-6-utf8-after", "R-5.6-text-utf8"}, "server", pmd, nil, compressedFrames(opText, trunc, 3), nil, protocolErr(1007, "R-5.6-text-utf8")))
	valid := []byte(strings.Repeat("κόσμε ", 200))
	add(deflateDecoderVector("utf8-split-code-points", "compressed text split into 5-byte frames: compressed bytes need not be UTF-8", "generated",
		[]string{"D-6-utf8-after"}, "server", pmd, nil, compressedFrames(opText, deflateMessages(6, false, valid)[0], 5), []vectors.Event{evText(string(valid))}, nil))

	// Bombs: a few KiB that inflate far past the limit (R-10.4-limits).
	tooBig := protocolErr(1009, "R-10.4-limits")
	for _, b := range []struct {
		id, desc string
		size     int
		frag     int
		op       uint8
	}{
		{"bomb-1MiB-zeros", "1 MiB of zeros compressed to about 1 KiB, under a 64 KiB limit", 1 << 20, 0, opBinary},
		{"bomb-16MiB-text", "16 MiB of the letter a in 128-byte frames, under a 1 MiB limit", 16 << 20, 128, opText},
	} {
		data := deflateMessages(flate.BestCompression, false, bytes.Repeat([]byte{map[uint8]byte{opBinary: 0, opText: 'a'}[b.op]}, b.size))[0]
		add(deflateDecoderVector(b.id, b.desc+fmt.Sprintf(" (%d compressed bytes)", len(data)), "generated",
			[]string{"R-10.4-limits", "D-7.2.2-decompress"}, "server", pmd, &vectors.Limits{MaxMessage: uint64(b.size / 16)},
			compressedFrames(b.op, data, b.frag), nil, tooBig))
	}
	limit := bytes.Repeat([]byte("x"), 4096)
	add(deflateDecoderVector("limit-inflated-exact", "a message inflating to exactly the 4096-byte limit", "generated",
		[]string{"R-10.4-limits"}, "server", pmd, &vectors.Limits{MaxMessage: 4096},
		compressedFrames(opText, deflateMessages(6, false, limit)[0], 0), []vectors.Event{evText(string(limit))}, nil))
	add(deflateDecoderVector("limit-inflated-over", "a message inflating to one byte over the 4096-byte limit", "generated",
		[]string{"R-10.4-limits"}, "server", pmd, &vectors.Limits{MaxMessage: 4096},
		compressedFrames(opText, deflateMessages(6, false, append(limit, 'x'))[0], 0), nil, tooBig))

	// Round trips: random messages as compress/flate writes them, with
	// every parameter set, fragmented, masked for a server.
	for i, cfg := range []struct {
		role, agreed string
		level        int
		takeover     bool
		frag         int
	}{
		{"client", pmd, flate.BestSpeed, true, 0},
		{"server", pmd, flate.DefaultCompression, true, 100},
		{"client", pmd + "; server_no_context_takeover", flate.BestCompression, false, 1000},
		{"server", pmd + "; client_no_context_takeover", flate.BestSpeed, false, 7},
		{"client", pmd + "; server_max_window_bits=8", flate.HuffmanOnly, true, 0},
		{"server", pmd + "; client_max_window_bits=9", flate.HuffmanOnly, true, 50},
		{"server", pmd, flate.NoCompression, true, 0},
	} {
		id := fmt.Sprintf("roundtrip-%d", i+1)
		var msgs [][]byte
		var events []vectors.Event
		for j := range 4 {
			m := roundTripMessage(fmt.Sprintf("%s message %d", id, j))
			msgs = append(msgs, m)
			kind := "text"
			if j == 3 {
				kind = "binary"
			}
			events = append(events, vectors.Event{Kind: kind, Data: m})
		}
		var frames []frame
		for j, data := range deflateMessages(cfg.level, cfg.takeover, msgs...) {
			op := uint8(opText)
			if j == 3 {
				op = opBinary
			}
			frames = append(frames, compressedFrames(op, data, cfg.frag)...)
		}
		add(deflateDecoderVector(id, fmt.Sprintf("4 messages compressed by compress/flate at level %d, %s, in frames of %d bytes (0: one frame)", cfg.level, cfg.agreed, cfg.frag), "generated",
			[]string{"D-7.2.1-compress", "D-7.2.2-decompress", "D-5-use-agreed"}, cfg.role, cfg.agreed, nil, frames, events, nil))
	}
	return out
}

// roundTripMessage is a text of repeated words, deterministic from label.
func roundTripMessage(label string) []byte {
	words := []string{"hello ", "world ", "κόσμε ", "websocket ", "deflate ", "\n", "0123456789 "}
	r := derive(label, 600)
	var b []byte
	for _, c := range r[:50+int(r[0])] {
		b = append(b, words[int(c)%len(words)]...)
	}
	return b
}

// withRsv1 sets RSV1 on the first frame.
type frameList []frame

func (l frameList) withRsv1() []frame {
	l[0].rsv = rsv1
	return l
}

// literals returns n literal bytes (see literalText).
func literals(n int) []any {
	var out []any
	for _, c := range []byte(literalText(n)) {
		out = append(out, c)
	}
	return out
}

// literalText is n printable bytes with no repetition that matters.
func literalText(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('!' + (i*7)%90)
	}
	return string(b)
}

// fixedBlock writes a non-final fixed-Huffman block (RFC 1951 section
// 3.2.6) of literals (byte) and matches ([2]int{length, distance}), then
// a sync flush without its 00 00 ff ff: the bits of an empty stored
// block's header, padded to a byte.
func fixedBlock(items []any) []byte {
	var w bitWriter
	w.bits(0, 1) // BFINAL
	w.bits(1, 2) // BTYPE 01
	for _, it := range items {
		switch it := it.(type) {
		case byte:
			w.fixedLit(int(it))
		case [2]int:
			w.length(it[0])
			w.distance(it[1])
		}
	}
	w.fixedLit(256)
	w.bits(0, 3) // an empty stored block's header, BFINAL 0
	return w.flush()
}

type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

// code writes a Huffman code, most significant bit first.
func (w *bitWriter) code(c int, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		w.bits(uint64(c>>i&1), 1)
	}
}

func (w *bitWriter) fixedLit(sym int) {
	switch {
	case sym < 144:
		w.code(0x30+sym, 8)
	case sym < 256:
		w.code(0x190+sym-144, 9)
	case sym < 280:
		w.code(sym-256, 7)
	default:
		w.code(0xc0+sym-280, 8)
	}
}

var (
	lenBase   = []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lenExtra  = []uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase  = []int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra = []uint{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

func (w *bitWriter) length(n int) {
	i := len(lenBase) - 1
	for lenBase[i] > n {
		i--
	}
	w.fixedLit(257 + i)
	w.bits(uint64(n-lenBase[i]), lenExtra[i])
}

func (w *bitWriter) distance(d int) {
	i := len(distBase) - 1
	for distBase[i] > d {
		i--
	}
	w.code(i, 5)
	w.bits(uint64(d-distBase[i]), distExtra[i])
}

func (w *bitWriter) flush() []byte {
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
	}
	w.acc, w.nacc = 0, 0
	return w.out
}

// offerVectors: what wskit's server answers, written out from RFC 7692
// section 7 (see the table in codec/deflate/negotiate.go).
func offerVectors() []vectors.DeflateOfferVector {
	v := func(id, desc, source string, reqs []string, offers string, policy *vectors.DeflatePolicy, valid []bool, response string) vectors.DeflateOfferVector {
		return vectors.DeflateOfferVector{Common: vectors.Common{ID: id, Description: desc, Source: source, Requirements: reqs},
			Offers: offers, Server: policy, Valid: valid, Response: response}
	}
	accept := []string{"D-5-accept"}
	decline := []string{"D-7-server-decline"}
	yes, no := []bool{true}, []bool{false}
	out := []vectors.DeflateOfferVector{
		v("offer-minimal", "the minimal offer is accepted as is, without client_max_window_bits", "RFC7692 7.1.3", append(accept, "D-7.1.2.2-client_max_window_bits"), pmd, nil, yes, pmd),
		v("offer-rfc-first-option", "RFC 7692's offer with a fallback: the first option is accepted", "RFC7692 7.1.3", append(accept, "D-7.1.2.1-server_max_window_bits"),
			pmd+"; client_max_window_bits; server_max_window_bits=10, "+pmd+"; client_max_window_bits", nil, []bool{true, true}, pmd+"; server_max_window_bits=10"),
		v("offer-server-no-context-takeover", "server_no_context_takeover is accepted by echoing it", "generated", append(accept, "D-7.1.1.1-server_no_context_takeover"),
			pmd+"; server_no_context_takeover", nil, yes, pmd+"; server_no_context_takeover"),
		v("offer-client-no-context-takeover", "the client_no_context_takeover hint is echoed", "generated", append(accept, "D-7.1.1.2-client_no_context_takeover"),
			pmd+"; client_no_context_takeover", nil, yes, pmd+"; client_no_context_takeover"),
		v("offer-quoted-value", "a quoted window size is the same as an unquoted one", "generated", append(accept, "D-7.1.2.1-server_max_window_bits"),
			pmd+`; server_max_window_bits="12"`, nil, yes, pmd+"; server_max_window_bits=12"),
		v("policy-client-window", "a server limiting the client's window answers client_max_window_bits only when offered", "generated", append(accept, "D-7.1.2.2-client_max_window_bits"),
			pmd+"; client_max_window_bits", &vectors.DeflatePolicy{ClientMaxWindowBits: 10}, yes, pmd+"; client_max_window_bits=10"),
		v("policy-client-window-smaller-offer", "the client's own value is kept when smaller than the server's", "generated", append(accept, "D-7.1.2.2-client_max_window_bits"),
			pmd+"; client_max_window_bits=9", &vectors.DeflatePolicy{ClientMaxWindowBits: 10}, yes, pmd+"; client_max_window_bits=9"),
		v("policy-client-window-not-offered", "client_max_window_bits never appears unoffered", "generated", append(accept, "D-7.1.2.2-client_max_window_bits"),
			pmd, &vectors.DeflatePolicy{ClientMaxWindowBits: 10}, yes, pmd),
		v("policy-no-context-takeover", "a server may add both no_context_takeover parameters unprompted", "generated",
			append(accept, "D-7.1.1.1-server_no_context_takeover", "D-7.1.1.2-client_no_context_takeover"),
			pmd, &vectors.DeflatePolicy{ServerNoContextTakeover: true, ClientNoContextTakeover: true}, yes, pmd+"; server_no_context_takeover; client_no_context_takeover"),
		v("offer-skips-invalid", "invalid offers are declined and the first valid one wins", "generated", append(decline, "D-5-accept"),
			pmd+"; foo, "+pmd+"; server_max_window_bits=7, "+pmd+"; client_no_context_takeover", nil, []bool{false, false, true}, pmd+"; client_no_context_takeover"),
		v("offer-other-extension", "another extension is not permessage-deflate", "generated", decline, "x-webkit-deflate-frame", nil, no, ""),
	}
	for bits := 8; bits <= 15; bits++ {
		out = append(out, v(fmt.Sprintf("offer-server-window-%d", bits), fmt.Sprintf("server_max_window_bits=%d is accepted with the same value (below 15 wskit resets its compressor every 2^N bytes, so no reference exceeds the window)", bits),
			"generated", append(accept, "D-7.1.2.1-server_max_window_bits"), fmt.Sprintf("%s; server_max_window_bits=%d", pmd, bits), nil, yes, fmt.Sprintf("%s; server_max_window_bits=%d", pmd, bits)))
	}
	for _, bad := range []struct{ id, params, desc string }{
		{"window-7", "server_max_window_bits=7", "a window size below 8"},
		{"window-16", "server_max_window_bits=16", "a window size above 15"},
		{"window-leading-zero", "server_max_window_bits=08", "a leading zero"},
		{"window-hex", "server_max_window_bits=0x0f", "a hexadecimal value"},
		{"window-negative", `server_max_window_bits="-9"`, "a sign"},
		{"server-window-no-value", "server_max_window_bits", "server_max_window_bits without a value"},
		{"client-window-7", "client_max_window_bits=7", "client_max_window_bits below 8"},
		{"duplicate-takeover", "client_no_context_takeover; client_no_context_takeover", "a repeated parameter"},
		{"duplicate-window", "server_max_window_bits=10; server_max_window_bits=10", "a repeated window size"},
		{"takeover-with-value", "server_no_context_takeover=1", "a value on a parameter that takes none"},
		{"unknown-param", "foo", "an unknown parameter"},
		{"case-differs", "Server_No_Context_Takeover", "a parameter name in another case"},
	} {
		out = append(out, v("invalid-"+bad.id, "declined: "+bad.desc, "generated", decline, pmd+"; "+bad.params, nil, no, ""))
	}
	return out
}

// deflateResponseVectors: the client's decision table (RFC 7692 section 7.1,
// python-websockets' reading of it).
func deflateResponseVectors() []vectors.DeflateResponseVector {
	v := func(id, desc string, reqs []string, offers, response string, agreed *vectors.DeflateParams, err string) vectors.DeflateResponseVector {
		return vectors.DeflateResponseVector{Common: vectors.Common{ID: id, Description: desc, Source: "generated", Requirements: reqs},
			Offers: offers, Response: response, Agreed: agreed, Error: err}
	}
	p := func(p vectors.DeflateParams) *vectors.DeflateParams { return &p }
	fail := "D-7-client-fail"
	return []vectors.DeflateResponseVector{
		v("resp-none", "the server declined: no compression, not an error", []string{"D-5-accept"}, pmd, "", nil, ""),
		v("resp-minimal", "the minimal answer", []string{"D-5-use-agreed"}, pmd, pmd, p(vectors.DeflateParams{}), ""),
		v("resp-rfc-first-option", "RFC 7692's example: the first option accepted", []string{"D-7.1.2.1-server_max_window_bits"},
			pmd+"; client_max_window_bits; server_max_window_bits=10, "+pmd+"; client_max_window_bits", pmd+"; server_max_window_bits=10", p(vectors.DeflateParams{ServerMaxWindowBits: 10}), ""),
		v("resp-rfc-second-option", "RFC 7692's example: the second option accepted", []string{"D-5-use-agreed"},
			pmd+"; client_max_window_bits; server_max_window_bits=10, "+pmd+"; client_max_window_bits", pmd, p(vectors.DeflateParams{}), ""),
		v("resp-server-takeover-unprompted", "server_no_context_takeover may come unoffered", []string{"D-7.1.1.1-server_no_context_takeover"},
			pmd, pmd+"; server_no_context_takeover", p(vectors.DeflateParams{ServerNoContextTakeover: true}), ""),
		v("resp-server-takeover-missing", "server_no_context_takeover offered but not echoed", []string{"D-7.1.1.1-server_no_context_takeover"},
			pmd+"; server_no_context_takeover", pmd, nil, "D-7.1.1.1-server_no_context_takeover"),
		v("resp-server-window-unprompted", "server_max_window_bits may come unoffered", []string{"D-7.1.2.1-server_max_window_bits"},
			pmd, pmd+"; server_max_window_bits=8", p(vectors.DeflateParams{ServerMaxWindowBits: 8}), ""),
		v("resp-server-window-missing", "server_max_window_bits offered but not answered", []string{"D-7.1.2.1-server_max_window_bits"},
			pmd+"; server_max_window_bits=10", pmd, nil, "D-7.1.2.1-server_max_window_bits"),
		v("resp-server-window-larger", "server_max_window_bits answered larger than offered", []string{"D-7.1.2.1-server_max_window_bits"},
			pmd+"; server_max_window_bits=10", pmd+"; server_max_window_bits=11", nil, "D-7.1.2.1-server_max_window_bits"),
		v("resp-client-window-unoffered", "client_max_window_bits in a response to an offer without it (coder/websocket issue 443)", []string{"D-7.1.2.2-client_max_window_bits"},
			pmd, pmd+"; client_max_window_bits=15", nil, "D-7.1.2.2-client_max_window_bits"),
		v("resp-client-window", "client_max_window_bits answered to a bare offer", []string{"D-7.1.2.2-client_max_window_bits"},
			pmd+"; client_max_window_bits", pmd+"; client_max_window_bits=8", p(vectors.DeflateParams{ClientMaxWindowBits: 8}), ""),
		v("resp-client-window-hint", "the client's own hint binds it when the response is silent", []string{"D-7.1.2.2-client_max_window_bits"},
			pmd+"; client_max_window_bits=10", pmd, p(vectors.DeflateParams{ClientMaxWindowBits: 10}), ""),
		v("resp-client-window-larger", "client_max_window_bits answered larger than the client's value (stricter than RFC 7692's text, as python-websockets and ws)", []string{"D-7.1.2.2-client_max_window_bits"},
			pmd+"; client_max_window_bits=10", pmd+"; client_max_window_bits=11", nil, "D-7.1.2.2-client_max_window_bits"),
		v("resp-client-takeover", "client_no_context_takeover may always come", []string{"D-7.1.1.2-client_no_context_takeover"},
			pmd, pmd+"; client_no_context_takeover", p(vectors.DeflateParams{ClientNoContextTakeover: true}), ""),
		v("resp-client-window-no-value", "client_max_window_bits without a value in a response", []string{fail}, pmd+"; client_max_window_bits", pmd+"; client_max_window_bits", nil, fail),
		v("resp-unknown-param", "an unknown parameter in the response", []string{fail}, pmd, pmd+"; foo", nil, fail),
		v("resp-duplicate-param", "a repeated parameter in the response", []string{fail}, pmd, pmd+"; server_no_context_takeover; server_no_context_takeover", nil, fail),
		v("resp-invalid-window", "a window size out of range in the response", []string{fail}, pmd, pmd+"; server_max_window_bits=16", nil, fail),
		v("resp-twice", "permessage-deflate accepted twice", []string{"D-5-invalid-response"}, pmd+", "+pmd, pmd+", "+pmd, nil, "D-5-invalid-response"),
		v("resp-rsv1-conflict", "permessage-deflate accepted with another per-message compression extension, which also uses RSV1", []string{"D-5-rsv1-conflict"},
			pmd+", permessage-foo", pmd+", permessage-foo", nil, "D-5-rsv1-conflict"),
	}
}

func deflateFile() (*vectors.DeflateFile, error) {
	return &vectors.DeflateFile{
		Generated: generatedNote,
		Decoder:   deflateDecoderVectors(),
		Offers:    offerVectors(),
		Responses: deflateResponseVectors(),
	}, nil
}

func init() { register("deflate.json", func() (any, error) { return deflateFile() }) }
