package autobahn_test

import (
	"fmt"

	"github.com/wskit/wskit/conformance/autobahn"
)

// Patterns compare whole ID components: "7.*.1" is the first case of each
// sub-category of 7, and "5.1" is case 5.1 alone, not 5.10-5.19.
func ExampleSelect() {
	cases, err := autobahn.Select([]string{"7.*.1", "5.1"}, []string{"7.13.*"})
	if err != nil {
		panic(err)
	}
	for _, c := range cases {
		fmt.Println(c.ID, c.Index, autobahn.CategoryName(autobahn.CategoryOf(c.ID)))
	}
	// Output:
	// 5.1 45 Fragmentation
	// 7.1.1 210 Close Handling
	// 7.3.1 216 Close Handling
	// 7.5.1 222 Close Handling
	// 7.7.1 223 Close Handling
	// 7.9.1 236 Close Handling
}
