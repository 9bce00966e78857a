package config

import "io"

// DefaultFuzzingServerOutDir is the report directory wstest uses when
// fuzzingserver.json has no "outdir".
const DefaultFuzzingServerOutDir = "./reports/clients/"

// FuzzingServer is fuzzingserver.json, the spec of wstest -m
// fuzzingserver: the suite listens as a server, and clients under test
// connect to it once per case (/runCase?case=N&agent=NAME).
type FuzzingServer struct {
	// URL is the ws:// or wss:// URL the suite serves ("url", required);
	// without a port, 80 for ws and 443 for wss.
	URL string
	// OutDir is the report directory ("outdir");
	// DefaultFuzzingServerOutDir when the key is absent.
	OutDir string
	// Options are the server's engine options ("options"), as decoded by
	// encoding/json; nil when absent. wstest applies failByDrop=false
	// first.
	Options map[string]any
	// Protocols are the subprotocols the server accepts ("protocols").
	Protocols []string
	// Key and Cert name the TLS key and certificate files for a wss URL
	// ("key", "cert"); wstest's -k and -c options take precedence.
	Key, Cert string
	// WebPort is the "webport" key, 0 when absent. wstest ignores it and
	// serves its browser test page on the port of its -u option (default
	// 8080); it appears in Autobahn's own example file.
	WebPort int

	Selection
}

var fuzzingServerKeys = []string{"url", "outdir", "options", "protocols", "key", "cert", "webport", "cases", "exclude-cases", "exclude-agent-cases"}

// ParseFuzzingServer parses the contents of a fuzzingserver.json file.
// Warnings and errors are as for [ParseFuzzingClient].
func ParseFuzzingServer(data []byte) (*FuzzingServer, []Warning, error) {
	d := &decoder{}
	s, err := d.fuzzingServer(data)
	if err != nil {
		return nil, d.warnings, err
	}
	return s, d.warnings, nil
}

// ReadFuzzingServer reads a fuzzingserver.json file from r to its end and
// parses it as [ParseFuzzingServer] does. A read error is returned as is.
func ReadFuzzingServer(r io.Reader) (*FuzzingServer, []Warning, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	return ParseFuzzingServer(data)
}

func (d *decoder) fuzzingServer(data []byte) (*FuzzingServer, error) {
	o, err := d.document(data)
	if err != nil {
		return nil, err
	}
	d.unknown(o, fuzzingServerKeys)
	s := &FuzzingServer{OutDir: DefaultFuzzingServerOutDir}
	raw, ok := o.vals["url"]
	if !ok {
		return nil, &MissingKeyError{Path: "url"}
	}
	if s.URL, err = d.wsURL("url", raw); err != nil {
		return nil, err
	}
	if raw, ok := o.vals["outdir"]; ok {
		if s.OutDir, err = d.outdir("outdir", raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := o.vals["options"]; ok {
		if s.Options, err = d.options("options", raw); err != nil {
			return nil, err
		}
	}
	if raw, ok := o.vals["protocols"]; ok {
		if s.Protocols, err = d.strs("protocols", raw); err != nil {
			return nil, err
		}
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"key", &s.Key}, {"cert", &s.Cert}} {
		if raw, ok := o.vals[f.key]; ok {
			if *f.dst, err = d.optStr(f.key, raw); err != nil {
				return nil, err
			}
		}
	}
	if raw, ok := o.vals["webport"]; ok && !isNull(raw) {
		if s.WebPort, err = d.port("webport", raw); err != nil {
			return nil, err
		}
	}
	if s.Selection, err = d.selection(o); err != nil {
		return nil, err
	}
	return s, nil
}
