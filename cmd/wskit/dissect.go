package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// A dissectedFrame is one frame of "wskit dissect" output.
type dissectedFrame struct {
	Offset       int64  `json:"offset"`
	Fin          bool   `json:"fin"`
	Rsv          uint8  `json:"rsv"`
	Opcode       uint8  `json:"opcode"`
	OpcodeName   string `json:"opcodeName"`
	Masked       bool   `json:"masked"`
	Length       uint64 `json:"length,string"`
	LengthForm   string `json:"lengthForm"` // "7-bit", "16-bit", "64-bit"
	HeaderSize   int    `json:"headerSize"`
	Key          string `json:"key,omitempty"`
	MaskedHex    string `json:"maskedPayload,omitempty"`
	PayloadHex   string `json:"payload"`
	PayloadText  string `json:"payloadText,omitempty"` // when the payload is valid UTF-8
	CloseCode    *int   `json:"closeCode,omitempty"`
	CloseReason  string `json:"closeReason,omitempty"`
	Incomplete   bool   `json:"incomplete,omitempty"` // the input ends inside this frame
	PayloadShown int    `json:"payloadBytes"`         // payload bytes present in the input
}

// dissectError is the first protocol error the role's decoder reports.
type dissectError struct {
	Code        int    `json:"closeCode"`
	Requirement string `json:"requirement"`
	Offset      int64  `json:"offset"`
	Detail      string `json:"detail"`
	Summary     string `json:"summary"`
}

type dissection struct {
	Role   string           `json:"role"`
	Bytes  int              `json:"bytes"`
	Frames []dissectedFrame `json:"frames"`
	Error  *dissectError    `json:"error"`
}

func runDissect(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("dissect", "[-role server|client] [-json] [-hex STR | FILE | -]",
		"Decodes raw WebSocket frame bytes, as received by an endpoint of the given role, and prints each\n"+
			"frame the way a packet capture shows it (FIN, RSV, opcode, MASK, payload length and its encoding,\n"+
			"masking key, unmasked payload as text or hex), then the first protocol error the role's\n"+
			"decoder finds, with its close code and requirement ID. Input is -hex, a file of raw bytes, or\n"+
			"raw bytes on standard input (-). A server receives masked frames, a client unmasked ones.\n\n"+
			"Exit status: 0 when the bytes break no rule, 1 on a protocol error, 2 on usage errors.",
		stderr)
	role := fs.String("role", "server", "role of the `endpoint` receiving the bytes: server or client")
	hexIn := fs.String("hex", "", "the bytes in `hex` (spaces and colons allowed)")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(stderr, "wskit dissect: unexpected argument %q\n", fs.Arg(1))
		return 2
	}
	var r codec.Role
	switch *role {
	case "server":
		r = codec.RoleServer
	case "client":
		r = codec.RoleClient
	default:
		fmt.Fprintf(stderr, "wskit dissect: -role must be server or client, not %q\n", *role)
		return 2
	}
	var data []byte
	switch {
	case *hexIn != "" && fs.NArg() > 0:
		fmt.Fprintln(stderr, "wskit dissect: give -hex or a file, not both")
		return 2
	case *hexIn != "":
		clean := strings.NewReplacer(" ", "", ":", "", "\n", "", "\t", "").Replace(*hexIn)
		b, err := hex.DecodeString(clean)
		if err != nil {
			fmt.Fprintf(stderr, "wskit dissect: -hex: %v\n", err)
			return 2
		}
		data = b
	case fs.NArg() == 1:
		var err error
		if fs.Arg(0) == "-" {
			data, err = io.ReadAll(io.LimitReader(os.Stdin, 64<<20))
		} else {
			data, err = os.ReadFile(fs.Arg(0))
		}
		if err != nil {
			fmt.Fprintf(stderr, "wskit dissect: %v\n", err)
			return 2
		}
	default:
		fmt.Fprintln(stderr, "wskit dissect: give the bytes with -hex, a file name, or - for standard input")
		fs.Usage()
		return 2
	}
	d := dissect(r, data)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(d)
	} else {
		printDissection(stdout, d)
	}
	if d.Error != nil {
		return 1
	}
	return 0
}

// dissect splits data into frames for display (leniently: it keeps going
// after rule violations as long as the framing is intact) and runs the
// role's strict decoder over the same bytes for the first protocol error.
func dissect(role codec.Role, data []byte) dissection {
	d := dissection{Role: role.String(), Bytes: len(data), Frames: []dissectedFrame{}}
	for off := 0; off < len(data); {
		h, n, err := codec.ParseHeader(data[off:])
		if n == 0 {
			d.Frames = append(d.Frames, dissectedFrame{Offset: int64(off), Incomplete: true, OpcodeName: "incomplete header"})
			break
		}
		f := dissectedFrame{
			Offset: int64(off), Fin: h.Fin, Rsv: h.Rsv, Opcode: uint8(h.Opcode), OpcodeName: h.Opcode.String(),
			Masked: h.Masked, Length: h.Length, HeaderSize: n, LengthForm: lengthForm(data[off+1] & 0x7f),
		}
		if h.Masked {
			f.Key = hex.EncodeToString(h.Key[:])
		}
		if err != nil && h.Length > spec.MaxPayloadLength {
			f.Incomplete = true
			d.Frames = append(d.Frames, f)
			break // the framing is lost
		}
		avail := uint64(len(data) - off - n)
		take := min(avail, h.Length)
		payload := append([]byte(nil), data[off+n:off+n+int(take)]...)
		if h.Masked {
			f.MaskedHex = hex.EncodeToString(payload)
			codec.Mask(h.Key, 0, payload)
		}
		f.PayloadShown = int(take)
		f.PayloadHex = hex.EncodeToString(payload)
		if utf8.Valid(payload) && (h.Opcode == spec.OpText || h.Opcode == spec.OpContinuation || isPrintable(payload)) {
			f.PayloadText = string(payload)
		}
		if h.Opcode == spec.OpClose && len(payload) >= 2 {
			code := int(payload[0])<<8 | int(payload[1])
			f.CloseCode = &code
			f.CloseReason = string(payload[2:])
			f.PayloadText = ""
		}
		f.Incomplete = take < h.Length
		d.Frames = append(d.Frames, f)
		off += n + int(take)
	}

	dec, err := codec.NewDecoder(codec.DecoderOptions{Role: role})
	if err != nil {
		panic(err) // the options are valid
	}
	p := append([]byte(nil), data...) // Decode unmasks in place
	for {
		ev, n, err := dec.Decode(p)
		p = p[n:]
		if err != nil {
			var pe *codec.ProtocolError
			if errors.As(err, &pe) {
				de := &dissectError{Code: int(pe.Code), Requirement: pe.Requirement, Offset: pe.Offset, Detail: pe.Detail}
				if r, ok := spec.Lookup(pe.Requirement); ok {
					de.Summary = r.Summary
				}
				d.Error = de
			}
			break
		}
		if ev.Kind == codec.EventNone {
			break
		}
	}
	return d
}

func lengthForm(len7 byte) string {
	switch len7 {
	case 126:
		return "16-bit"
	case 127:
		return "64-bit"
	}
	return "7-bit"
}

// isPrintable reports whether b is plain printable text, worth showing as
// such even in a binary or control frame.
func isPrintable(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, r := range string(b) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return false
		}
	}
	return true
}

// printDissection writes the frames the way Wireshark shows a WebSocket
// frame: each header bit field under a mask of its bits.
func printDissection(w io.Writer, d dissection) {
	fmt.Fprintf(w, "%d bytes, received by a %s\n", d.Bytes, d.Role)
	for i, f := range d.Frames {
		fmt.Fprintf(w, "\nFrame %d at offset %d", i+1, f.Offset)
		if f.HeaderSize == 0 {
			fmt.Fprintf(w, ": incomplete header (%d bytes)\n", d.Bytes-int(f.Offset))
			continue
		}
		fmt.Fprintf(w, " (%d header bytes, %s payload length)\n", f.HeaderSize, f.LengthForm)
		fmt.Fprintf(w, "  %s = Fin: %s\n", bitField(7, 1, b2i(f.Fin)), title(f.Fin))
		fmt.Fprintf(w, "  %s = Reserved: 0x%x\n", bitField(6, 3, int(f.Rsv)), f.Rsv)
		fmt.Fprintf(w, "  %s = Opcode: %s (%d)\n", bitField(3, 4, int(f.Opcode)), f.OpcodeName, f.Opcode)
		fmt.Fprintf(w, "  %s = Mask: %s\n", bitField(7, 1, b2i(f.Masked)), title(f.Masked))
		len7 := min(f.Length, 125)
		switch f.LengthForm {
		case "16-bit":
			len7 = 126
		case "64-bit":
			len7 = 127
		}
		fmt.Fprintf(w, "  %s = Payload length: %d\n", bitField(6, 7, int(len7)), len7)
		if f.LengthForm != "7-bit" {
			fmt.Fprintf(w, "  Extended payload length (%s): %d\n", f.LengthForm, f.Length)
		}
		if f.Masked {
			fmt.Fprintf(w, "  Masking-Key: %s\n", f.Key)
			fmt.Fprintf(w, "  Masked payload: %s\n", abbreviate(f.MaskedHex))
		}
		switch {
		case f.CloseCode != nil:
			fmt.Fprintf(w, "  Close code: %v\n", spec.CloseCode(*f.CloseCode))
			if f.CloseReason != "" {
				fmt.Fprintf(w, "  Close reason: %q\n", f.CloseReason)
			}
		case f.PayloadText != "":
			fmt.Fprintf(w, "  Payload (text): %q\n", abbreviate(f.PayloadText))
		case f.PayloadShown > 0:
			fmt.Fprintf(w, "  Payload (hex): %s\n", abbreviate(f.PayloadHex))
		default:
			fmt.Fprintln(w, "  Payload: empty")
		}
		if f.Incomplete {
			fmt.Fprintf(w, "  (the input ends inside the payload: %d of %d bytes)\n", f.PayloadShown, f.Length)
		}
	}
	if d.Error != nil {
		fmt.Fprintf(w, "\nprotocol error at offset %d: close %v, %s: %s\n", d.Error.Offset,
			spec.CloseCode(d.Error.Code), d.Error.Requirement, d.Error.Detail)
		if d.Error.Summary != "" {
			fmt.Fprintf(w, "  rule: %s\n", d.Error.Summary)
		}
	} else {
		fmt.Fprintf(w, "\nno protocol error for a %s\n", d.Role)
	}
}

// bitField draws the bits of one header byte that a field occupies, as
// Wireshark does: "1... ...." for FIN set, ".... 0001" for opcode 1. top
// is the field's highest bit (7 = leftmost), width its size in bits.
func bitField(top, width, value int) string {
	var b strings.Builder
	for bit := 7; bit >= 0; bit-- {
		if bit == 3 {
			b.WriteByte(' ')
		}
		if bit <= top && bit > top-width {
			if value>>(bit-(top-width+1))&1 == 1 {
				b.WriteByte('1')
			} else {
				b.WriteByte('0')
			}
		} else {
			b.WriteByte('.')
		}
	}
	return b.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func title(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// abbreviate shortens long payloads for the terminal, without splitting a
// UTF-8 sequence.
func abbreviate(s string) string {
	if len(s) <= 160 {
		return s
	}
	n := 160
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + fmt.Sprintf("... (%d bytes)", len(s))
}
