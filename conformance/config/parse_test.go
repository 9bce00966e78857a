package config

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseFuzzingClientFile(t *testing.T) {
	c, warns, err := ParseFuzzingClient(readTestdata(t, "fuzzingclient.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	want := &FuzzingClient{
		OutDir:  "./reports/servers",
		Options: map[string]any{"failByDrop": false},
		Servers: []Testee{
			{
				Agent:   "wskit/server@v0.3.0",
				URL:     "ws://127.0.0.1:9001",
				Options: map[string]any{"version": 18.0},
			},
			{
				Agent:   "wskit/server@v0.3.0 deflate",
				URL:     "ws://127.0.0.1:9002/echo?compress=1",
				Options: map[string]any{"version": 18.0, "openHandshakeTimeout": 2.5},
			},
			{
				Agent:     "nginx-proxy",
				URL:       "wss://localhost:9443/ws",
				Hostname:  "echo.example.test",
				Origin:    "https://example.test",
				Protocols: []string{"echo", "chat"},
			},
		},
		Selection: Selection{
			Cases:        []string{"1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "9.*", "10.*", "11.*", "12.*", "13.*"},
			ExcludeCases: []string{"1[2-3].*", "9.2.5", "9.2.6"},
			ExcludeAgentCases: map[string][]string{
				"wskit/server*": {"6.4.*"},
				"nginx-proxy":   {"9.*", "7.1.6"},
			},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("ParseFuzzingClient (-want +got):\n%s", diff)
	}

	m, err := c.Compile()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		agent string
		want  []string
	}{
		{c.Servers[0].Agent, []string{"1.1.1", "1.1.8", "1.2.1", "2.1", "2.2", "2.10", "2.11", "3.1", "4.1.1", "5.1", "5.20", "6.1.1", "7.1.1", "7.1.6", "7.13.2", "9.1.1", "9.1.6", "9.7.6", "10.1.1"}},
		{c.Servers[1].Agent, []string{"1.1.1", "1.1.8", "1.2.1", "2.1", "2.2", "2.10", "2.11", "3.1", "4.1.1", "5.1", "5.20", "6.1.1", "7.1.1", "7.1.6", "7.13.2", "9.1.1", "9.1.6", "9.7.6", "10.1.1"}},
		{c.Servers[2].Agent, []string{"1.1.1", "1.1.8", "1.2.1", "2.1", "2.2", "2.10", "2.11", "3.1", "4.1.1", "5.1", "5.20", "6.1.1", "6.4.1", "6.4.2", "6.4.3", "6.4.4", "7.1.1", "7.13.2", "10.1.1"}},
	} {
		if diff := cmp.Diff(tt.want, m.SelectFor(tt.agent, ids)); diff != "" {
			t.Errorf("SelectFor(%q) (-want +got):\n%s", tt.agent, diff)
		}
	}
	unmatched, _ := m.Unmatched(ids)
	if len(unmatched) != 1 || unmatched[0].String() != "11.*" {
		t.Errorf("Unmatched cases = %v, want [11.*]", unmatched)
	}
}

func TestParseFuzzingServerFile(t *testing.T) {
	s, warns, err := ParseFuzzingServer(readTestdata(t, "fuzzingserver.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	want := &FuzzingServer{
		URL:     "ws://127.0.0.1:9001",
		OutDir:  "./reports/clients",
		Options: map[string]any{"failByDrop": false},
		WebPort: 8080,
		Selection: Selection{
			Cases:        []string{"*"},
			ExcludeCases: []string{"9.1.5", "9.1.6", "9.2.5", "9.2.6", "12.*", "13.*"},
			ExcludeAgentCases: map[string][]string{
				"browser-*":      {"9.*"},
				"wskit/client@*": {"2.10", "2.11"},
			},
		},
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("ParseFuzzingServer (-want +got):\n%s", diff)
	}
	m, err := s.Compile()
	if err != nil {
		t.Fatal(err)
	}
	// Case numbers come from the selection before agent exclusions.
	sel := m.Select(ids)
	if len(sel) != len(ids)-6 {
		t.Errorf("Select kept %d of %d cases: %q", len(sel), len(ids), sel)
	}
	if !m.ExcludedFor("wskit/client@v0.3.0", "2.10") || m.ExcludedFor("wskit/client@v0.3.0", "2.1") {
		t.Error("exclude-agent-cases for wskit/client@* not applied as written")
	}
}

func TestParseQuirks(t *testing.T) {
	c, warns, err := ParseFuzzingClient(readTestdata(t, "quirks.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range warns {
		got = append(got, w.String())
	}
	want := []string{
		`duplicate key "cases": the last value is used`,
		`unknown key "Cases" ignored (did you mean "cases"?)`,
		`unknown key "exclude_cases" ignored (did you mean "exclude-cases"?)`,
		`unknown key "comment" ignored`,
		`servers[0]: unknown key "timeout" ignored`,
		`servers[1]: unknown key "Agent" ignored (did you mean "agent"?)`,
		`exclude-cases[1]: "all-slow-ones" is not a case ID and excludes nothing`,
		`exclude-agent-cases["AutobahnPython (CPy)"]: agent pattern does not match the agent name "AutobahnPython (CPy)": only "." and "*" are rewritten, the rest is regular-expression syntax`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"2.*", "6.4.1"}, c.Cases); diff != "" {
		t.Errorf("Cases, the last value given (-want +got):\n%s", diff)
	}
	if c.Servers[0].Agent != "" || c.Servers[1].Agent != "" {
		t.Errorf("agents = %q, %q; want both empty (null, and a misspelt key)", c.Servers[0].Agent, c.Servers[1].Agent)
	}
	if c.OutDir != "./out/autobahn" {
		t.Errorf("OutDir = %q", c.OutDir)
	}
}

// TestParseMinimal reads files in the shape of wstest's own spec templates
// and checks the defaults.
func TestParseMinimal(t *testing.T) {
	c, warns, err := ParseFuzzingClient([]byte(`{"servers": [{"url": "ws://127.0.0.1:9001"}], "cases": ["*"]}`))
	if err != nil || len(warns) != 0 {
		t.Fatalf("ParseFuzzingClient: %v, %v", err, warns)
	}
	want := &FuzzingClient{
		OutDir:    DefaultFuzzingClientOutDir,
		Servers:   []Testee{{URL: "ws://127.0.0.1:9001"}},
		Selection: Selection{Cases: []string{"*"}},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("ParseFuzzingClient (-want +got):\n%s", diff)
	}

	s, warns, err := ParseFuzzingServer([]byte("{\"url\": \"ws://127.0.0.1:9001\", \"cases\": [\"*\"], \"exclude-agent-cases\": {}}\n"))
	if err != nil || len(warns) != 0 {
		t.Fatalf("ParseFuzzingServer: %v, %v", err, warns)
	}
	wantS := &FuzzingServer{
		URL:       "ws://127.0.0.1:9001",
		OutDir:    DefaultFuzzingServerOutDir,
		Selection: Selection{Cases: []string{"*"}, ExcludeAgentCases: map[string][]string{}},
	}
	if diff := cmp.Diff(wantS, s); diff != "" {
		t.Errorf("ParseFuzzingServer (-want +got):\n%s", diff)
	}
}

func TestParseAccepts(t *testing.T) {
	for _, tt := range []struct {
		name, doc string
		warnings  int
	}{
		{"no servers", `{"cases": ["*"]}`, 0},
		{"empty servers", `{"servers": [], "cases": ["*"]}`, 0},
		{"null agent, origin and hostname", `{"servers": [{"url": "ws://h", "agent": null, "origin": null, "hostname": null}], "cases": ["*"]}`, 0},
		{"empty cases", `{"servers": [{"url": "ws://h"}], "cases": []}`, 0},
		{"url with path and query", `{"servers": [{"url": "wss://h:1/a/b?c=d"}], "cases": ["*"]}`, 0},
		{"upper-case scheme", `{"servers": [{"url": "WS://h"}], "cases": ["*"]}`, 0},
		{"byte order mark", "\xef\xbb\xbf{\"cases\": [\"*\"]}", 1},
		{"whitespace around", "\n\n  {\"cases\": [\"*\"]}  \n", 0},
		{"top-level url is unknown here", `{"url": "ws://h", "cases": ["*"]}`, 1},
		{"escaped agent pattern", `{"cases": ["*"], "exclude-agent-cases": {"c\\+\\+*": ["*"], "gws*": []}}`, 0},
		{"agent name with parentheses", `{"cases": ["*"], "exclude-agent-cases": {"Foo (bar)": ["*"]}}`, 1},
		{"duplicate key in a server", `{"servers": [{"url": "ws://a", "url": "ws://b"}], "cases": ["*"]}`, 1},
	} {
		_, warns, err := ParseFuzzingClient([]byte(tt.doc))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if len(warns) != tt.warnings {
			t.Errorf("%s: warnings %v, want %d", tt.name, warns, tt.warnings)
		}
	}
	for _, tt := range []struct{ name, doc string }{
		{"null key, cert and webport", `{"url": "wss://h", "key": null, "cert": null, "webport": null, "cases": ["*"]}`},
		{"key and cert", `{"url": "wss://h", "key": "k.pem", "cert": "c.pem", "cases": ["*"]}`},
		{"protocols", `{"url": "ws://h", "protocols": ["a"], "cases": ["*"]}`},
		{"webport zero", `{"url": "ws://h", "webport": 0, "cases": ["*"]}`},
	} {
		if _, warns, err := ParseFuzzingServer([]byte(tt.doc)); err != nil || len(warns) != 0 {
			t.Errorf("%s: %v, %v", tt.name, err, warns)
		}
	}
}

// errKind names the error types for table tests.
func errKind(err error) (kind, path string) {
	var (
		se *SyntaxError
		te *TypeError
		me *MissingKeyError
		ve *ValueError
	)
	switch {
	case errors.As(err, &se):
		return "syntax", ""
	case errors.As(err, &te):
		return "type", te.Path
	case errors.As(err, &me):
		return "missing", me.Path
	case errors.As(err, &ve):
		return "value", ve.Path
	case err == nil:
		return "nil", ""
	}
	return "other", ""
}

func TestParseFuzzingClientErrors(t *testing.T) {
	const srv = `"servers": [{"url": "ws://h"}], `
	tests := []struct {
		name, doc  string
		kind, path string
	}{
		{"empty input", ``, "syntax", ""},
		{"trailing comma", `{"cases": ["*"],}`, "syntax", ""},
		{"comment", "{\n// all\n\"cases\": [\"*\"]}", "syntax", ""},
		{"trailing data", `{"cases": ["*"]} {}`, "syntax", ""},
		{"not an object", `[{"cases": ["*"]}]`, "type", ""},
		{"no cases", `{` + srv + `"exclude-cases": []}`, "missing", "cases"},
		{"cases as a string", `{` + srv + `"cases": "*"}`, "type", "cases"},
		{"cases null", `{` + srv + `"cases": null}`, "type", "cases"},
		{"case as a number", `{` + srv + `"cases": ["1.1.1", 2.1]}`, "type", "cases[1]"},
		{"exclude-cases object", `{` + srv + `"cases": ["*"], "exclude-cases": {}}`, "type", "exclude-cases"},
		{"exclude-agent-cases list", `{` + srv + `"cases": ["*"], "exclude-agent-cases": []}`, "type", "exclude-agent-cases"},
		{"exclude-agent-cases string value", `{` + srv + `"cases": ["*"], "exclude-agent-cases": {"gws": "9.*"}}`, "type", `exclude-agent-cases["gws"]`},
		{"exclude-agent-cases number in list", `{` + srv + `"cases": ["*"], "exclude-agent-cases": {"gws": ["9.*", 6]}}`, "type", `exclude-agent-cases["gws"][1]`},
		{"word in cases", `{` + srv + `"cases": ["all"]}`, "value", "cases[0]"},
		{"bad expression in cases", `{` + srv + `"cases": ["1[.*"]}`, "value", "cases[0]"},
		{"bad agent pattern", `{` + srv + `"cases": ["*"], "exclude-agent-cases": {"c++": ["*"]}}`, "value", `exclude-agent-cases["c++"]`},
		{"servers object", `{"servers": {"url": "ws://h"}, "cases": ["*"]}`, "type", "servers"},
		{"server string", `{"servers": ["ws://h"], "cases": ["*"]}`, "type", "servers[0]"},
		{"server without url", `{"servers": [{"url": "ws://h"}, {"agent": "x"}], "cases": ["*"]}`, "missing", "servers[1].url"},
		{"url number", `{"servers": [{"url": 9001}], "cases": ["*"]}`, "type", "servers[0].url"},
		{"url http", `{"servers": [{"url": "http://h:9001"}], "cases": ["*"]}`, "value", "servers[0].url"},
		{"url without host", `{"servers": [{"url": "ws:///echo"}], "cases": ["*"]}`, "value", "servers[0].url"},
		{"url with fragment", `{"servers": [{"url": "ws://h/#top"}], "cases": ["*"]}`, "value", "servers[0].url"},
		{"url with bad port", `{"servers": [{"url": "ws://h:x"}], "cases": ["*"]}`, "value", "servers[0].url"},
		{"agent number", `{"servers": [{"url": "ws://h", "agent": 1}], "cases": ["*"]}`, "type", "servers[0].agent"},
		{"server options list", `{"servers": [{"url": "ws://h", "options": []}], "cases": ["*"]}`, "type", "servers[0].options"},
		{"server options null", `{"servers": [{"url": "ws://h", "options": null}], "cases": ["*"]}`, "type", "servers[0].options"},
		{"protocols string", `{"servers": [{"url": "ws://h", "protocols": "chat"}], "cases": ["*"]}`, "type", "servers[0].protocols"},
		{"options null", `{` + srv + `"options": null, "cases": ["*"]}`, "type", "options"},
		{"outdir empty", `{` + srv + `"outdir": "", "cases": ["*"]}`, "value", "outdir"},
		{"outdir null", `{` + srv + `"outdir": null, "cases": ["*"]}`, "type", "outdir"},
		{"option out of range", `{` + srv + `"options": {"autoFragmentSize": 1e400}, "cases": ["*"]}`, "value", "options"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _, err := ParseFuzzingClient([]byte(tt.doc))
			kind, path := errKind(err)
			if kind != tt.kind || path != tt.path {
				t.Errorf("error %v: kind %s at %q, want %s at %q", err, kind, path, tt.kind, tt.path)
			}
			if c != nil {
				t.Error("value returned with an error")
			}
		})
	}
}

func TestParseFuzzingServerErrors(t *testing.T) {
	tests := []struct {
		name, doc  string
		kind, path string
	}{
		{"no url", `{"cases": ["*"]}`, "missing", "url"},
		{"no cases", `{"url": "ws://h"}`, "missing", "cases"},
		{"url scheme", `{"url": "tcp://h:9001", "cases": ["*"]}`, "value", "url"},
		{"webport string", `{"url": "ws://h", "webport": "8080", "cases": ["*"]}`, "type", "webport"},
		{"webport fraction", `{"url": "ws://h", "webport": 8080.5, "cases": ["*"]}`, "value", "webport"},
		{"webport too big", `{"url": "ws://h", "webport": 70000, "cases": ["*"]}`, "value", "webport"},
		{"webport negative", `{"url": "ws://h", "webport": -1, "cases": ["*"]}`, "value", "webport"},
		{"webport out of float range", `{"url": "ws://h", "webport": 1e400, "cases": ["*"]}`, "value", "webport"},
		{"key number", `{"url": "wss://h", "key": 1, "cases": ["*"]}`, "type", "key"},
		{"protocols null", `{"url": "ws://h", "protocols": null, "cases": ["*"]}`, "type", "protocols"},
		{"servers is not read here", `{"url": "ws://h", "servers": [], "cases": "*"}`, "type", "cases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, err := ParseFuzzingServer([]byte(tt.doc))
			kind, path := errKind(err)
			if kind != tt.kind || path != tt.path {
				t.Errorf("error %v: kind %s at %q, want %s at %q", err, kind, path, tt.kind, tt.path)
			}
			if s != nil {
				t.Error("value returned with an error")
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{`{"servers": [{"url": "ws://h"}, {"url": 9002}], "cases": ["*"]}`, `servers[1].url: got number, want string`},
		{`{"servers": [{"agent": "x"}], "cases": ["*"]}`, `servers[0].url: required key missing`},
		{`[]`, `top level: got array, want object`},
		{`{"cases": ["all"]}`, `cases[0]: "all": neither a case ID nor a pattern with "*"`},
		{"{\n   \"cases\": [\"*\"],\n}", `line 3, column 1: invalid character '}' looking for beginning of object key string`},
		{`{"cases": ["*"]} x`, `line 1, column 18: invalid character 'x' after top-level value`},
	} {
		_, _, err := ParseFuzzingClient([]byte(tt.doc))
		if err == nil || err.Error() != tt.want {
			t.Errorf("ParseFuzzingClient(%q) error = %v, want %s", tt.doc, err, tt.want)
		}
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	doc := "{\n  \"servers\": [\n    {\"url\": \"ws://h\",}\n  ],\n  \"cases\": [\"*\"]\n}\n"
	_, _, err := ParseFuzzingClient([]byte(doc))
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want a *SyntaxError", err)
	}
	if se.Line != 3 || se.Column != 22 {
		t.Errorf("position = line %d, column %d; want line 3, column 22 (%v)", se.Line, se.Column, err)
	}
	if doc[se.Offset-1] != '}' {
		t.Errorf("Offset %d points at %q", se.Offset, doc[se.Offset-1])
	}
}

// TestWarningsWithError checks that the warning explaining an error comes
// with it.
func TestWarningsWithError(t *testing.T) {
	_, warns, err := ParseFuzzingClient([]byte(`{"Cases": ["*"], "servers": [{"url": "ws://h"}]}`))
	var me *MissingKeyError
	if !errors.As(err, &me) || me.Path != "cases" {
		t.Fatalf("error = %v, want cases missing", err)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Msg, `did you mean "cases"?`) {
		t.Errorf("warnings = %v", warns)
	}
}

func TestRead(t *testing.T) {
	f, err := os.Open("testdata/fuzzingclient.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, _, err := ReadFuzzingClient(iotest.OneByteReader(f))
	if err != nil || len(c.Servers) != 3 {
		t.Errorf("ReadFuzzingClient: %v, %+v", err, c)
	}

	s, _, err := ReadFuzzingServer(strings.NewReader(string(readTestdata(t, "fuzzingserver.json"))))
	if err != nil || s.URL != "ws://127.0.0.1:9001" {
		t.Errorf("ReadFuzzingServer: %v, %+v", err, s)
	}

	boom := errors.New("boom")
	if _, _, err := ReadFuzzingClient(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("ReadFuzzingClient error = %v, want %v", err, boom)
	}
	if _, _, err := ReadFuzzingServer(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("ReadFuzzingServer error = %v, want %v", err, boom)
	}
}

func TestResolveServers(t *testing.T) {
	listed := &FuzzingClient{Servers: []Testee{{URL: "ws://a"}, {URL: "ws://b"}}}
	got, err := listed.ResolveServers("ws://ignored")
	if err != nil || len(got) != 2 || got[0].URL != "ws://a" {
		t.Errorf("ResolveServers with servers listed = %+v, %v", got, err)
	}

	empty := &FuzzingClient{}
	got, err = empty.ResolveServers("ws://127.0.0.1:9001/echo")
	if err != nil || !cmp.Equal(got, []Testee{{URL: "ws://127.0.0.1:9001/echo"}}) {
		t.Errorf("ResolveServers(url) = %+v, %v", got, err)
	}
	if _, err := empty.ResolveServers(""); !errors.Is(err, ErrNoServers) {
		t.Errorf("ResolveServers(\"\") error = %v, want ErrNoServers", err)
	}
	if _, err := empty.ResolveServers("http://127.0.0.1:9001"); err == nil {
		t.Error("ResolveServers accepted an http URL")
	}
}

// FuzzParse checks that no input makes the parsers panic, and that a spec
// they accept always compiles.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"fuzzingclient.json", "fuzzingserver.json", "quirks.json"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"url": "ws://h", "cases": ["1[1-4].*"], "exclude-agent-cases": {"a|b": ["*.1"]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, _, err := ParseFuzzingClient(data); err == nil {
			if _, err := c.Compile(); err != nil {
				t.Fatalf("accepted fuzzingclient spec does not compile: %v", err)
			}
		}
		if s, _, err := ParseFuzzingServer(data); err == nil {
			if _, err := s.Compile(); err != nil {
				t.Fatalf("accepted fuzzingserver spec does not compile: %v", err)
			}
		}
	})
}
