// The payload corpora of categories 12 and 13. Autobahn|Testsuite takes
// its compression payloads from five files it ships (a JSON report, a
// bitmap, a German novel, an HTML report, a PDF). wskit does not ship
// them: it generates five corpora of the same sizes and the same kind of
// content, deterministically (the same bytes on every run and machine),
// so that messages compress about as Autobahn's do and results stay
// comparable from run to run.

package autobahn

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// A corpus is the content messages of category 12 or 13 are cut from.
type corpus struct {
	// key and desc are Autobahn's data set key and description.
	key, desc string
	// text: messages are windows of code points, sent as text;
	// otherwise windows of octets, sent as binary.
	text bool
	// size is the corpus's length in octets, as Autobahn's file's.
	size int
	// gen builds the content, exactly size octets.
	gen func(size int) []byte
	// like says which of Autobahn's files the corpus stands for.
	like string

	once  sync.Once
	data  []byte
	runes []int32 // text: the octet offset of each code point
}

// The corpora, in Autobahn's order of sub-categories 12.1-12.5.
var (
	corpusJSON = &corpus{key: "json_data1", desc: "Large JSON data file", text: true, size: 194056, gen: genJSON,
		like: "Autobahn's data1.json, an index.json report: ASCII JSON"}
	corpusBitmap = &corpus{key: "lena512", desc: "Lena Picture, Bitmap 512x512 bw", size: 263222, gen: genBitmap,
		like: "Autobahn's lena512.bmp: a 512x512 8-bit grayscale BMP of a photograph-like image"}
	corpusFaust = &corpus{key: "gutenberg_faust", desc: "Human readable text, Goethe's Faust I (German)", size: 222218, gen: genGerman,
		like: "Autobahn's pg2229.txt: German verse drama in UTF-8, sent as binary"}
	corpusHTML = &corpus{key: "html_data1", desc: "Large HTML file", text: true, size: 263647, gen: genHTML,
		like: "Autobahn's data1.html (at its HEAD: 263647 octets, 263620 code points), an HTML report"}
	corpusPDF = &corpus{key: "ooms", desc: "A larger PDF", size: 1042328, gen: genPDF,
		like: "Autobahn's 10.1.1.105.5439.pdf: PDF objects around deflate-compressed and binary streams"}
	corpora = []*corpus{corpusJSON, corpusBitmap, corpusFaust, corpusHTML, corpusPDF}
)

// load builds the corpus once.
func (c *corpus) load() {
	c.once.Do(func() {
		c.data = c.gen(c.size)
		if len(c.data) != c.size {
			panic(fmt.Sprintf("autobahn: corpus %s is %d octets, want %d", c.key, len(c.data), c.size))
		}
		if c.text {
			if !utf8.Valid(c.data) {
				panic("autobahn: corpus " + c.key + " is not UTF-8")
			}
			c.runes = make([]int32, 0, len(c.data))
			for i := range string(c.data) {
				c.runes = append(c.runes, int32(i))
			}
		}
	})
}

// units returns the corpus's length in the units messages are cut in:
// code points for text, octets otherwise.
func (c *corpus) units() int {
	c.load()
	if c.text {
		return len(c.runes)
	}
	return len(c.data)
}

// caption is Autobahn's sub-category caption: the description, the kind
// and the size in octets.
func (c *corpus) caption() string {
	kind := "binary"
	if c.text {
		kind = "utf8"
	}
	return fmt.Sprintf("%s (%s, %d bytes)", c.desc, kind, c.size)
}

// appendWindow appends the n units starting at unit start, wrapping
// around the end of the corpus, to dst: Autobahn's read pointer, which
// advances by n per message and wraps (n is never more than the
// corpus).
func (c *corpus) appendWindow(dst []byte, start, n int) []byte {
	c.load()
	total := c.units()
	start %= total
	for n > 0 {
		k := min(n, total-start)
		dst = append(dst, c.slice(start, start+k)...)
		n -= k
		start = 0
	}
	return dst
}

// slice returns the units [i, j) of the corpus.
func (c *corpus) slice(i, j int) []byte {
	if !c.text {
		return c.data[i:j]
	}
	end := len(c.data)
	if j < len(c.runes) {
		end = int(c.runes[j])
	}
	return c.data[c.runes[i]:end]
}

// rng is a small deterministic generator (splitmix64), so that the
// corpora never depend on a library's choice of algorithm.
type rng uint64

func (r *rng) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// intn returns a number in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// pick returns one of the words.
func (r *rng) pick(words []string) string { return words[r.intn(len(words))] }

// fit cuts b to exactly size octets; b must be at least that long.
func fit(b []byte, size int) []byte {
	if len(b) < size {
		panic("autobahn: corpus generator made too little")
	}
	return b[:size:size]
}

// genJSON writes an Autobahn index.json: agents, each with its cases'
// verdicts, durations, close codes and report file names, indented by
// three spaces as Autobahn writes it.
func genJSON(size int) []byte {
	r := rng(1)
	verdicts := []string{"OK", "OK", "OK", "OK", "NON-STRICT", "INFORMATIONAL", "FAILED", "UNIMPLEMENTED"}
	closes := []string{"OK", "OK", "OK", "OK", "FAILED", "UNCLEAN", "WRONG CODE"}
	codes := []int{1000, 1000, 1000, 1001, 1002, 1007, 1009}
	var b bytes.Buffer
	b.WriteString("{\n")
	for agent := 0; b.Len() < size; agent++ {
		name := fmt.Sprintf("AutobahnPython/0.%d.%d", agent/4, agent%4)
		file := strings.NewReplacer("/", "_", ".", "_").Replace(strings.ToLower(name))
		if agent > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "   %q: {\n", name)
		first := true
		for _, cat := range [][3]int{{1, 2, 8}, {2, 1, 11}, {3, 1, 7}, {4, 2, 5}, {5, 1, 20}, {6, 9, 6}, {7, 13, 9}, {9, 8, 6}, {10, 1, 1}} {
			for sub := 1; sub <= cat[1]; sub++ {
				for n := 1; n <= cat[2]; n++ {
					id := fmt.Sprintf("%d.%d.%d", cat[0], sub, n)
					if cat[1] == 1 && cat[0] != 10 {
						id = fmt.Sprintf("%d.%d", cat[0], n)
					}
					if !first {
						b.WriteString(",\n")
					}
					first = false
					fmt.Fprintf(&b, "      %q: {\n         \"behavior\": %q,\n         \"behaviorClose\": %q,\n         \"duration\": %d,\n",
						id, r.pick(verdicts), r.pick(closes), r.intn(3000))
					fmt.Fprintf(&b, "         \"remoteCloseCode\": %d,\n         \"reportfile\": \"%s_case_%s.json\"\n      }",
						codes[r.intn(len(codes))], file, strings.ReplaceAll(id, ".", "_"))
				}
			}
		}
		b.WriteString("\n   }")
	}
	b.WriteString("\n}\n")
	return fit(b.Bytes(), size)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// genBitmap writes a 512x512 8-bit grayscale BMP (a 54-octet header, a
// 256-entry gray palette, bottom-up rows) of a smooth image with fine
// grain, as a scanned photograph has.
func genBitmap(size int) []byte {
	const w, h = 512, 512
	const pixels = 14 + 40 + 256*4
	b := make([]byte, 0, pixels+w*h)
	le32 := func(v uint32) { b = binary.LittleEndian.AppendUint32(b, v) }
	le16 := func(v uint16) { b = binary.LittleEndian.AppendUint16(b, v) }
	b = append(b, 'B', 'M')
	le32(uint32(pixels + w*h))
	le32(0)
	le32(pixels)
	le32(40)
	le32(w)
	le32(h)
	le16(1)
	le16(8)
	le32(0)
	le32(w * h)
	le32(2835)
	le32(2835)
	le32(256)
	le32(256)
	for i := range 256 {
		b = append(b, byte(i), byte(i), byte(i), 0)
	}
	// Triangle waves of several periods and directions, in integers only
	// (floating point may round differently from one machine to the
	// next), plus a little grain.
	tri := func(t, period, amp int) int {
		t = (t%period + period) % period
		return amp*abs(2*t-period)/period - amp/2
	}
	r := rng(2)
	for y := range h {
		for x := range w {
			v := 124 + tri(x+tri(y, 97, 60), 173, 110) + tri(y-x/2, 131, 70) + tri(x+y, 61, 24) + tri(3*x-y, 389, 40)
			v += r.intn(13) - 6
			b = append(b, byte(max(0, min(255, v))))
		}
	}
	return fit(b, size)
}

// germanWords are the vocabulary of genGerman.
var germanWords = strings.Fields(`und der die das ich du er sie es wir ihr nicht mit sich ist
	zu ein eine den dem des auf so wie was wer wo noch nur schon doch ach mein dein sein Herz Welt
	Geist Nacht Tag Licht Himmel Erde Natur Leben Tod Seele Gott Teufel Mensch Liebe Zeit Glück
	Blut Wort Tat Kraft Sinn Traum Buch Kunst Wissen Brust Hand Auge Mund Haus Stadt Feld Wald
	Berg Quelle Stern Mond Sonne Feuer Wasser Luft Gold Wein Lied Klang Ruh Lust Qual Weh Schmerz
	möcht muß könnt wüßt hätt wär fühl sieh hör sprich komm geh bleib laß nimm gib such find
	schön süß kühn groß klein hoch tief weit nah alt jung still wild frei froh bang trüb hell
	dunkel ewig heilig höllisch göttlich menschlich über unter durch für gegen ohne um während
	nun dann wenn weil daß ob als bis seit hier dort heut fort hinab hinauf empor zurück Mädchen
	Gretchen Schüler Bürger Hexe Engel Chor Geister Tier Pudel Küche Kerker Garten Straße Dom`)

// germanSpeakers head the speeches of genGerman.
var germanSpeakers = []string{"FAUST", "MEPHISTOPHELES", "MARGARETE", "WAGNER", "MARTHE", "SCHÜLER", "CHOR DER ENGEL", "VALENTIN", "HEXE", "DER HERR"}

// genGerman writes a German verse drama: speakers' names, rhymeless
// verses of common words with umlauts, scene headings, in UTF-8.
func genGerman(size int) []byte {
	r := rng(3)
	var b bytes.Buffer
	b.WriteString("The Project Gutenberg EBook of a German verse drama (generated by wskit)\r\n\r\n")
	for scene := 1; b.Len() < size; scene++ {
		fmt.Fprintf(&b, "\r\n\r\n%d. Szene\r\n\r\n", scene)
		for speech := 0; speech < 12 && b.Len() < size; speech++ {
			fmt.Fprintf(&b, "%s:\r\n", r.pick(germanSpeakers))
			for verse := 2 + r.intn(8); verse > 0; verse-- {
				n := 5 + r.intn(5)
				for i := range n {
					w := r.pick(germanWords)
					if i == 0 {
						rr, k := utf8.DecodeRuneInString(w)
						w = strings.ToUpper(string(rr)) + w[k:]
					} else {
						b.WriteByte(' ')
					}
					b.WriteString(w)
				}
				b.WriteString([]string{",", ";", ".", "!", "?", ""}[r.intn(6)])
				b.WriteString("\r\n")
			}
			b.WriteString("\r\n")
		}
	}
	return fit(b.Bytes(), size)
}

// genHTML writes an Autobahn-style HTML report (tables of cases with
// their verdicts, links and durations) in ASCII, with 27 two-octet
// characters in it, so that it has Autobahn's data1.html's 263647 octets
// and 263620 code points.
func genHTML(size int) []byte {
	const wide = 27
	r := rng(4)
	verdicts := []string{"Pass", "Pass", "Pass", "Non-Strict", "Fail", "Info", "Missing"}
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html>\n   <head>\n      <meta charset=\"utf-8\" />\n      <style lang=\"css\">\n")
	for i := range 40 {
		fmt.Fprintf(&b, "         td.case_%d { background-color: #%06x; font-family: monospace; padding: %dpx; }\n", i, r.next()&0xffffff, r.intn(9))
	}
	b.WriteString("      </style>\n   </head>\n   <body>\n      <table id=\"agent_case_results\">\n")
	for row := 0; b.Len() < size; row++ {
		id := fmt.Sprintf("%d.%d.%d", 1+row/300%13, 1+row/18%10, 1+row%18)
		fmt.Fprintf(&b, "         <tr class=\"case_row\"><td class=\"case_%d\"><a href=\"#case_desc_%s\">Case %s</a></td>",
			row%40, strings.ReplaceAll(id, ".", "_"), id)
		for agent := range 3 {
			v := r.pick(verdicts)
			fmt.Fprintf(&b, "<td class=\"case_%s\"><a href=\"agent%d_case_%s.html\">%s</a><br/><span class=\"case_duration\">%d ms</span></td>",
				strings.ToLower(v), agent, strings.ReplaceAll(id, ".", "_"), v, r.intn(5000))
		}
		b.WriteString("</tr>\n")
	}
	ascii := fit(b.Bytes(), size-2*wide)
	// Insert the wide characters at spread-out places, each after an
	// ASCII octet, so the octet count grows by 2 per character.
	out := make([]byte, 0, size)
	step := len(ascii) / (wide + 1)
	prev := 0
	for i := 1; i <= wide; i++ {
		at := i * step
		out = append(out, ascii[prev:at]...)
		out = append(out, "äöüÄÖÜß©é"[0:2]...)
		prev = at
	}
	out = append(out, ascii[prev:]...)
	return out
}

// genPDF writes a PDF: page and font dictionaries in ASCII around content
// streams (FlateDecode) and image streams (DCTDecode) of high-entropy
// octets, as compressed data is, then a cross-reference table. (The
// streams are not real DEFLATE: the corpus must not depend on
// compress/flate's output, which may change from one Go release to the
// next.)
func genPDF(size int) []byte {
	r := rng(5)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	var offsets []int
	for obj := 1; b.Len() < size-4096; obj++ {
		offsets = append(offsets, b.Len())
		switch obj % 4 {
		case 0: // a page
			fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> /XObject << /Im%d %d 0 R >> >> >>\nendobj\n",
				obj, obj+1, 3, obj, obj+2)
		case 1: // a content stream: compressed page text, near random octets
			n := 800 + r.intn(2400)
			fmt.Fprintf(&b, "%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n\x78\xda", obj, n+2)
			for range n {
				b.WriteByte(byte(r.next() >> 56))
			}
			b.WriteString("\nendstream\nendobj\n")
		case 2: // an image
			n := 4000 + r.intn(12000)
			fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length %d /Filter /DCTDecode >>\nstream\n",
				obj, 64+r.intn(400), 64+r.intn(400), n)
			b.Write([]byte{0xff, 0xd8, 0xff, 0xe0})
			for range n - 4 {
				b.WriteByte(byte(r.next() >> 56))
			}
			b.WriteString("\nendstream\nendobj\n")
		case 3: // a font
			fmt.Fprintf(&b, "%d 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 >>\nendobj\n", obj)
		}
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	for b.Len() < size {
		b.WriteString("%\n") // comments pad to the size
	}
	return fit(b.Bytes(), size)
}
