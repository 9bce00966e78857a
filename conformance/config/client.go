package config

import (
	"encoding/json"
	"fmt"
	"io"
)

// DefaultFuzzingClientOutDir is the report directory wstest uses when
// fuzzingclient.json has no "outdir".
const DefaultFuzzingClientOutDir = "./reports/servers/"

// FuzzingClient is fuzzingclient.json, the spec of wstest -m
// fuzzingclient: the suite acts as a client and tests the servers listed.
type FuzzingClient struct {
	// OutDir is the report directory ("outdir");
	// DefaultFuzzingClientOutDir when the key is absent.
	OutDir string
	// Servers are the servers to test, one after the other ("servers").
	// May be empty; see ResolveServers.
	Servers []Testee
	// Options are engine options for every server ("options"), as decoded
	// by encoding/json; nil when absent. wstest applies failByDrop=false,
	// then these, then each server's own Options.
	Options map[string]any

	Selection
}

// Testee is one entry of "servers" in fuzzingclient.json: a server under
// test.
type Testee struct {
	// URL is the ws:// or wss:// URL to connect to ("url", required). It
	// may carry a path and a query.
	URL string
	// Agent names the server in reports and is what "exclude-agent-cases"
	// keys are matched against ("agent"). When it is empty, wstest uses
	// the server's Server response header, else "UnknownServer".
	Agent string
	// Options are engine options for this server ("options"), applied
	// after the global ones; nil when absent. Files commonly carry
	// {"version": 18}, the draft number wstest maps to
	// Sec-WebSocket-Version: 13.
	Options map[string]any
	// Origin is sent as the Origin header when not empty ("origin").
	Origin string
	// Protocols are offered in Sec-WebSocket-Protocol ("protocols").
	Protocols []string
	// Hostname is the TLS server name (SNI) for wss when not empty
	// ("hostname").
	Hostname string
}

var (
	fuzzingClientKeys = []string{"outdir", "servers", "options", "cases", "exclude-cases", "exclude-agent-cases"}
	testeeKeys        = []string{"url", "agent", "options", "origin", "protocols", "hostname"}
)

// ParseFuzzingClient parses the contents of a fuzzingclient.json file.
//
// The warnings list what wstest would ignore (unknown keys, among them
// misspelt ones) or what cannot have the effect its author meant; they are
// returned even when err is not nil, since a misspelt key often explains a
// missing one. err is a [*SyntaxError], [*TypeError], [*MissingKeyError] or
// [*ValueError].
func ParseFuzzingClient(data []byte) (*FuzzingClient, []Warning, error) {
	d := &decoder{}
	c, err := d.fuzzingClient(data)
	if err != nil {
		return nil, d.warnings, err
	}
	return c, d.warnings, nil
}

// ReadFuzzingClient reads a fuzzingclient.json file from r to its end and
// parses it as [ParseFuzzingClient] does. A read error is returned as is.
func ReadFuzzingClient(r io.Reader) (*FuzzingClient, []Warning, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	return ParseFuzzingClient(data)
}

func (d *decoder) fuzzingClient(data []byte) (*FuzzingClient, error) {
	o, err := d.document(data)
	if err != nil {
		return nil, err
	}
	d.unknown(o, fuzzingClientKeys)
	c := &FuzzingClient{OutDir: DefaultFuzzingClientOutDir}
	if raw, ok := o.vals["outdir"]; ok {
		if c.OutDir, err = d.outdir("outdir", raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := o.vals["options"]; ok {
		if c.Options, err = d.options("options", raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := o.vals["servers"]; ok {
		elems, err := d.array("servers", raw)
		if err != nil {
			return nil, err
		}
		for i, e := range elems {
			t, err := d.testee(index("servers", i), e)
			if err != nil {
				return nil, err
			}
			c.Servers = append(c.Servers, t)
		}
	}
	if c.Selection, err = d.selection(o); err != nil {
		return nil, err
	}
	return c, nil
}

func (d *decoder) testee(path string, raw json.RawMessage) (Testee, error) {
	var t Testee
	o, err := d.object(path, raw)
	if err != nil {
		return t, err
	}
	d.unknown(o, testeeKeys)
	v, ok := o.vals["url"]
	if !ok {
		return t, &MissingKeyError{Path: join(path, "url")}
	}
	if t.URL, err = d.wsURL(join(path, "url"), v); err != nil {
		return t, err
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"agent", &t.Agent}, {"origin", &t.Origin}, {"hostname", &t.Hostname}} {
		if v, ok := o.vals[f.key]; ok {
			if *f.dst, err = d.optStr(join(path, f.key), v); err != nil {
				return t, err
			}
		}
	}
	if v, ok := o.vals["options"]; ok {
		if t.Options, err = d.options(join(path, "options"), v); err != nil {
			return t, err
		}
	}
	if v, ok := o.vals["protocols"]; ok {
		if t.Protocols, err = d.strs(join(path, "protocols"), v); err != nil {
			return t, err
		}
	}
	return t, nil
}

// ResolveServers returns the servers to test, applying wstest's rule for
// its -w option: when the spec lists no servers, the server at wsURL is
// the only one. It returns c.Servers itself when that is not empty, and
// [ErrNoServers] when it is empty and wsURL is "".
func (c *FuzzingClient) ResolveServers(wsURL string) ([]Testee, error) {
	if len(c.Servers) > 0 {
		return c.Servers, nil
	}
	if wsURL == "" {
		return nil, ErrNoServers
	}
	if err := checkURL(wsURL); err != nil {
		return nil, fmt.Errorf("server URL %q: %w", wsURL, err)
	}
	return []Testee{{URL: wsURL}}, nil
}
