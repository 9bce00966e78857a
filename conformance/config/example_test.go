package config_test

import (
	"fmt"
	"log"

	"github.com/wskit/wskit/conformance/config"
)

func ExampleParseFuzzingClient() {
	spec := []byte(`{
   "options": {"failByDrop": false},
   "outdir": "./reports/servers",
   "servers": [
      {"agent": "echo", "url": "ws://127.0.0.1:9001", "options": {"version": 18}},
      {"agent": "echo-behind-proxy", "url": "ws://127.0.0.1:9002/ws", "retries": 3}
   ],
   "cases": ["1.*", "2.1*", "6.4.1"],
   "exclude-cases": ["1.1.8"],
   "exclude-agent-cases": {"*-proxy": ["2.*"]}
}`)
	c, warnings, err := config.ParseFuzzingClient(spec)
	for _, w := range warnings {
		fmt.Println("warning:", w)
	}
	if err != nil {
		log.Fatal(err)
	}

	// Case IDs in catalogue order, as the runner knows them.
	ids := []string{"1.1.1", "1.1.8", "2.1", "2.2", "2.10", "6.4.1", "6.4.2", "10.1.1"}
	m, err := c.Compile()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("selected:", m.Select(ids))
	for _, s := range c.Servers {
		fmt.Printf("%s runs %v\n", s.Agent, m.SelectFor(s.Agent, ids))
	}
	// Output:
	// warning: servers[1]: unknown key "retries" ignored
	// selected: [1.1.1 2.1 2.10 6.4.1]
	// echo runs [1.1.1 2.1 2.10 6.4.1]
	// echo-behind-proxy runs [1.1.1 6.4.1]
}

func ExampleCompilePattern() {
	ids := []string{"1.1.1", "2.1", "2.10", "10.1.1", "12.1.1"}
	for _, p := range []string{"1.*", "1*", "2.1", "2.1*", "1[0-2].*"} {
		pat, err := config.CompilePattern(p)
		if err != nil {
			log.Fatal(err)
		}
		var matched []string
		for _, id := range ids {
			if pat.Match(id) {
				matched = append(matched, id)
			}
		}
		fmt.Printf("%-10q %v\n", p, matched)
	}
	// Output:
	// "1.*"      [1.1.1]
	// "1*"       [1.1.1 10.1.1 12.1.1]
	// "2.1"      [2.1]
	// "2.1*"     [2.1 2.10]
	// "1[0-2].*" [10.1.1 12.1.1]
}
