package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/wskit/wskit/conformance"
)

func repHTML(t *testing.T, results []*conformance.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, results, conformance.DefaultPolicy); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// repHTMLTags walks the page with encoding/xml in its lenient HTML mode
// and calls fn for every start tag.
func repHTMLTags(t *testing.T, page string, fn func(xml.StartElement)) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("page does not tokenize: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			fn(se)
		}
	}
}

func TestWriteHTMLCases(t *testing.T) {
	page := repHTML(t, repResults())
	for _, r := range repResults() {
		if !strings.Contains(page, "Case "+r.ID+"<") {
			t.Errorf("no grid row for case %s", r.ID)
		}
		if !strings.Contains(page, `id="`+htmlAnchor(r.Agent, r.ID)+`"`) {
			t.Errorf("no detail view for %s of %q", r.ID, r.Agent)
		}
	}
	// Grid texts of every verdict, Autobahn's legend, close cells.
	for _, want := range []string{
		">Pass<", ">Non-Strict<", ">Fail<", ">Info<", ">Unimplemented<", ">Missing<",
		`class="nonstrict">1002<`, `class="almost">None<`, `class="failed">Unclean<`,
		`<p class="failed">recording stopped after 1 events`, `<p>3 entries were left out: the wire log reached its budget.</p>`, `class="ok">1007<`,
		`<span class="dur">7 ms</span>`, // the performance case shows its duration
		"1.1 Text Messages", "6.4 Fail-fast on invalid UTF-8", "12 WebSocket Compression (different payloads)",
		"R-5.2-rsv-fail</span> (MUST)", "R-9.9-no-such-rule</span>: (not in the catalogue)", // citation:ignore
		"close 1002 (R-5.2-rsv-zero): RSV=1 without extension", // citation:ignore
		"TCP DROPPED BY ME", "TCP DROPPED BY PEER",
		"timeout A\ntimeout B\n", "message binary 65535 &#34;0xfefe",
		`pong 6 &#34;\ud800\udfff&#34;`, // surrogates shown as escapes
		"RX FRAME opcode=8 fin=true rsv=0 masked=true mask=deadbeef",
		"TX FRAME opcode=2 fin=false rsv=4 mask=none repeat-to=16777216 chopsize=1 sync",
		"CONTINUE AFTER 1 s, tag A", "CLOSE CONNECTION AFTER 0.5 s", "WIRE LOG DISABLED",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Grid rows come in case order: 1.1.1 < 1.1.2 < 1.2.8 < 2.10 < 3.1 < ...
	order := []string{"1.1.1", "1.1.2", "1.2.8", "2.10", "3.1", "6.4.1", "7.1.6", "9.1.1", "10.1.1", "12.1.1"}
	last := -1
	for _, id := range order {
		i := strings.Index(page, "Case "+id+"<")
		if i < last {
			t.Errorf("case %s is out of order in the grid", id)
		}
		last = i
	}
	// Every link is a fragment of the page, and points at an element.
	ids := map[string]bool{}
	var hrefs []string
	repHTMLTags(t, page, func(se xml.StartElement) {
		for _, a := range se.Attr {
			switch strings.ToLower(a.Name.Local) {
			case "id":
				ids[a.Value] = true
			case "href":
				hrefs = append(hrefs, a.Value)
			}
		}
	})
	for _, h := range hrefs {
		if !strings.HasPrefix(h, "#") || !ids[h[1:]] {
			t.Errorf("link %q does not point into the page", h)
		}
	}
	if len(hrefs) < len(repResults()) {
		t.Errorf("%d links for %d results", len(hrefs), len(repResults()))
	}
}

// The page loads nothing: no URLs, no src attributes, no stylesheets or
// imports, and its only script is its own.
func TestWriteHTMLSelfContained(t *testing.T) {
	var benign []*conformance.Result
	for _, r := range repResults() {
		if r.Agent != repAgentOther { // the hostile agent's texts contain URLs on purpose
			benign = append(benign, r)
		}
	}
	page := repHTML(t, benign)
	for _, bad := range []string{"http://", "https://", "src=", "url(", "@import", "<link", "<iframe", "<img"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	// Structurally, for all fixtures: no element may load anything.
	scripts := 0
	repHTMLTags(t, repHTML(t, repResults()), func(se xml.StartElement) {
		name := strings.ToLower(se.Name.Local)
		switch name {
		case "script":
			scripts++
		case "img", "iframe", "link", "object", "embed", "audio", "video", "source", "base", "form":
			t.Errorf("element <%s> in the page", name)
		}
		for _, a := range se.Attr {
			attr := strings.ToLower(a.Name.Local)
			if attr == "src" || attr == "srcset" || attr == "action" || strings.HasPrefix(attr, "on") || attr == "style" {
				t.Errorf("attribute %s=%q on <%s>", attr, a.Value, name)
			}
		}
	})
	if scripts != 1 {
		t.Errorf("%d script elements, want the page's own one", scripts)
	}
}

// Hostile strings from the testee or in case texts come out as text.
func TestWriteHTMLEscapes(t *testing.T) {
	page := repHTML(t, repResults())
	for _, bad := range []string{
		"<script>alert", "</script><script>", "<img src=x", `<a href="https://evil.example/"`, "<bogus>",
		"\x00", "\xff",
	} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	for _, want := range []string{
		"Other &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co", // the agent name
		"&lt;/script&gt;&lt;script&gt;alert(3)&lt;/script&gt;",           // the reason
		"&lt;img src=x onerror=alert(2)&gt;",                             // the description
		"GET /&lt;script&gt; HTTP/1.1",                                   // the request
		`Server: \u0000` + "\ufffd",                                      // control and invalid bytes made visible
		"<b>bold <i>nested</i></b>  <br> &lt;bogus&gt;",                  // kept tags balanced, others escaped
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestReportCaseText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain & simple", "plain &amp; simple"},
		{"<b>bold</b> <i>it</i> <tt>tt</tt> <code>c</code>", "<b>bold</b> <i>it</i> <tt>tt</tt> <code>c</code>"},
		{"a<br>b<br/>c<br />d", "a<br>b<br>c<br>d"},
		{"<b>unclosed", "<b>unclosed</b>"},
		{"stray</b> end", "stray end"},
		{"<b><i>crossed</b></i>", "<b><i>crossed</i></b>"},
		{`<b class="x">attr</b>`, "&lt;b class=&#34;x&#34;&gt;attr"},
		{"<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"},
		{"a < b > c", "a &lt; b &gt; c"},
		{"<<b>>", "&lt;<b>&gt;</b>"},
		{"unterminated <b", "unterminated &lt;b"},
		{"\xed\xa0\x80", `\ud800`},
	} {
		if got := string(caseText(tc.in)); got != tc.want {
			t.Errorf("caseText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWriteHTMLWireLogCut(t *testing.T) {
	r := repResults()[1] // 1.1.1
	r.WireLog = make([]conformance.WireEntry, htmlWireRows+7)
	for i := range r.WireLog {
		r.WireLog[i] = conformance.WireEntry{Kind: conformance.WireWrite, Len: 1, Data: []byte{byte(i)}, Sync: true}
	}
	page := repHTML(t, []*conformance.Result{r})
	if got := strings.Count(page, "TX OCTETS (sync)"); got != htmlWireRows {
		t.Errorf("%d wire rows shown, want %d", got, htmlWireRows)
	}
	if !strings.Contains(page, "7 more rows: see the JSON report") {
		t.Errorf("no note about the rows left out")
	}
}

func TestWriteHTMLEmpty(t *testing.T) {
	page := repHTML(t, nil)
	if !strings.Contains(page, "No results.") || !regexp.MustCompile(`(?s)<table id="grid">\s*</table>`).MatchString(page) {
		t.Errorf("empty page:\n%s", page)
	}
}
