package conformance

import "strings"

// categoryNames are the category titles Autobahn|Testsuite prints, by
// category number.
var categoryNames = map[string]string{
	"1":  "Framing",
	"2":  "Pings/Pongs",
	"3":  "Reserved Bits",
	"4":  "Opcodes",
	"5":  "Fragmentation",
	"6":  "UTF-8 Handling",
	"7":  "Close Handling",
	"9":  "Limits/Performance",
	"10": "Misc",
	"12": "WebSocket Compression (different payloads)",
	"13": "WebSocket Compression (different parameters)",
}

// subcategoryCaptions are the captions of sub-categories (the first two
// components of a three-component case ID). Categories 2, 3 and 5 have
// two-component IDs and no sub-categories.
var subcategoryCaptions = map[string]string{
	"1.1":  "Text Messages",
	"1.2":  "Binary Messages",
	"4.1":  "Non-control Opcodes",
	"4.2":  "Control Opcodes",
	"6.1":  "Valid UTF-8 with zero payload fragments",
	"6.2":  "Valid UTF-8 unfragmented, fragmented on code-points and within code-points",
	"6.3":  "Invalid UTF-8 differently fragmented",
	"6.4":  "Fail-fast on invalid UTF-8",
	"7.1":  "Basic close behavior (fuzzer initiated)",
	"7.3":  "Close frame structure: payload length (fuzzer initiated)",
	"7.5":  "Close frame structure: payload value (fuzzer initiated)",
	"7.7":  "Close frame structure: valid close codes (fuzzer initiated)",
	"7.9":  "Close frame structure: invalid close codes (fuzzer initiated)",
	"7.13": "Informational close information (fuzzer initiated)",
	"10.1": "Auto-Fragmentation",
}

// CategoryOf returns the category of a case ID: its first component.
func CategoryOf(id string) string {
	c, _, _ := strings.Cut(id, ".")
	return c
}

// CategoryName returns the title of a category, such as "Framing" for "1".
func CategoryName(category string) string { return categoryNames[category] }

// SubcategoryOf returns the sub-category of a case ID (its first two
// components) or "" for two-component IDs such as "2.1".
func SubcategoryOf(id string) string {
	parts := strings.Split(id, ".")
	if len(parts) < 3 {
		return ""
	}
	return parts[0] + "." + parts[1]
}

// SubcategoryCaption returns the caption of a sub-category, such as
// "Text Messages" for "1.1", or "" if it has none.
func SubcategoryCaption(sub string) string { return subcategoryCaptions[sub] }
