package autobahn

// utf8Groups are the generated UTF-8 cases 6.5-6.23: Markus Kuhn's UTF-8
// decoder stress test plus extras, as Autobahn|Testsuite numbers them. Each
// group is a sub-category; the j-th sequence of group 6.k is case 6.k.j.
// Valid sequences must be echoed, invalid ones must fail the connection
// with 1007 (a truncated code point at the end of the message included).
// TestUTF8CaseTable checks every verdict against unicode/utf8.
var utf8Groups = []struct {
	caption string
	seqs    []utf8Seq
}{
	{"Some valid UTF-8 sequences", []utf8Seq{ // 6.5
		{true, "68656c6c6f24776f726c64"},
		{true, "68656c6c6fc2a2776f726c64"},
		{true, "68656c6c6fe282ac776f726c64"},
		{true, "68656c6c6ff0a4ada2776f726c64"},
		{true, "cebae1bdb9cf83cebcceb5"},
	}},
	{"All prefixes of a valid UTF-8 string that contains multi-byte code points", []utf8Seq{ // 6.6
		{false, "ce"},
		{true, "ceba"},
		{false, "cebae1"},
		{false, "cebae1bd"},
		{true, "cebae1bdb9"},
		{false, "cebae1bdb9cf"},
		{true, "cebae1bdb9cf83"},
		{false, "cebae1bdb9cf83ce"},
		{true, "cebae1bdb9cf83cebc"},
		{false, "cebae1bdb9cf83cebcce"},
		{true, "cebae1bdb9cf83cebcceb5"},
	}},
	{"First possible sequence of a certain length", []utf8Seq{ // 6.7
		{true, "00"},
		{true, "c280"},
		{true, "e0a080"},
		{true, "f0908080"},
	}},
	{"First possible sequence length 5/6 (invalid codepoints)", []utf8Seq{ // 6.8
		{false, "f888808080"},
		{false, "fc8480808080"},
	}},
	{"Last possible sequence of a certain length", []utf8Seq{ // 6.9
		{true, "7f"},
		{true, "dfbf"},
		{true, "efbfbf"},
		{true, "f48fbfbf"},
	}},
	{"Last possible sequence length 4/5/6 (invalid codepoints)", []utf8Seq{ // 6.10
		{false, "f7bfbfbf"},
		{false, "fbbfbfbfbf"},
		{false, "fdbfbfbfbfbf"},
	}},
	{"Other boundary conditions", []utf8Seq{ // 6.11
		{true, "ed9fbf"},
		{true, "ee8080"},
		{true, "efbfbd"},
		{true, "f48fbfbf"},
		{false, "f4908080"},
	}},
	{"Unexpected continuation bytes", []utf8Seq{ // 6.12
		{false, "80"},
		{false, "bf"},
		{false, "80bf"},
		{false, "80bf80"},
		{false, "80bf80bf"},
		{false, "80bf80bf80"},
		{false, "80bf80bf80bf"},
		{false, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbe"},
	}},
	{"Lonely start characters", []utf8Seq{ // 6.13
		{false, "c020c120c220c320c420c520c620c720c820c920ca20cb20cc20cd20ce20cf20d020d120d220d320d420d520d620d720d820d920da20db20dc20dd20de20"},
		{false, "e020e120e220e320e420e520e620e720e820e920ea20eb20ec20ed20ee20"},
		{false, "f020f120f220f320f420f520f620"},
		{false, "f820f920fa20"},
		{false, "fc20"},
	}},
	{"Sequences with last continuation byte missing", []utf8Seq{ // 6.14
		{false, "c0"},
		{false, "e080"},
		{false, "f08080"},
		{false, "f8808080"},
		{false, "fc80808080"},
		{false, "df"},
		{false, "efbf"},
		{false, "f7bfbf"},
		{false, "fbbfbfbf"},
		{false, "fdbfbfbfbf"},
	}},
	{"Concatenation of incomplete sequences", []utf8Seq{ // 6.15
		{false, "c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf"},
	}},
	{"Impossible bytes", []utf8Seq{ // 6.16
		{false, "fe"},
		{false, "ff"},
		{false, "fefeffff"},
	}},
	{"Examples of an overlong ASCII character", []utf8Seq{ // 6.17
		{false, "c0af"},
		{false, "e080af"},
		{false, "f08080af"},
		{false, "f8808080af"},
		{false, "fc80808080af"},
	}},
	{"Maximum overlong sequences", []utf8Seq{ // 6.18
		{false, "c1bf"},
		{false, "e09fbf"},
		{false, "f08fbfbf"},
		{false, "f887bfbfbf"},
		{false, "fc83bfbfbfbf"},
	}},
	{"Overlong representation of the NUL character", []utf8Seq{ // 6.19
		{false, "c080"},
		{false, "e08080"},
		{false, "f0808080"},
		{false, "f880808080"},
		{false, "fc8080808080"},
	}},
	{"Single UTF-16 surrogates", []utf8Seq{ // 6.20
		{false, "eda080"},
		{false, "edadbf"},
		{false, "edae80"},
		{false, "edafbf"},
		{false, "edb080"},
		{false, "edbe80"},
		{false, "edbfbf"},
	}},
	{"Paired UTF-16 surrogates", []utf8Seq{ // 6.21
		{false, "eda080edb080"},
		{false, "eda080edbfbf"},
		{false, "edadbfedb080"},
		{false, "edadbfedbfbf"},
		{false, "edae80edb080"},
		{false, "edae80edbfbf"},
		{false, "edafbfedb080"},
		{false, "edafbfedbfbf"},
	}},
	{"Non-character code points (valid UTF-8)", []utf8Seq{ // 6.22
		{true, "efbfbe"},
		{true, "efbfbf"},
		{true, "f09fbfbe"},
		{true, "f09fbfbf"},
		{true, "f0afbfbe"},
		{true, "f0afbfbf"},
		{true, "f0bfbfbe"},
		{true, "f0bfbfbf"},
		{true, "f18fbfbe"},
		{true, "f18fbfbf"},
		{true, "f19fbfbe"},
		{true, "f19fbfbf"},
		{true, "f1afbfbe"},
		{true, "f1afbfbf"},
		{true, "f1bfbfbe"},
		{true, "f1bfbfbf"},
		{true, "f28fbfbe"},
		{true, "f28fbfbf"},
		{true, "f29fbfbe"},
		{true, "f29fbfbf"},
		{true, "f2afbfbe"},
		{true, "f2afbfbf"},
		{true, "f2bfbfbe"},
		{true, "f2bfbfbf"},
		{true, "f38fbfbe"},
		{true, "f38fbfbf"},
		{true, "f39fbfbe"},
		{true, "f39fbfbf"},
		{true, "f3afbfbe"},
		{true, "f3afbfbf"},
		{true, "f3bfbfbe"},
		{true, "f3bfbfbf"},
		{true, "f48fbfbe"},
		{true, "f48fbfbf"},
	}},
	{"Unicode specials (i.e. replacement char)", []utf8Seq{ // 6.23
		{true, "efbfb9"},
		{true, "efbfba"},
		{true, "efbfbb"},
		{true, "efbfbc"},
		{true, "efbfbd"},
		{true, "efbfbe"},
		{true, "efbfbf"},
	}},
}

// A utf8Seq is one payload of the generated UTF-8 cases.
type utf8Seq struct {
	valid bool   // the payload is valid UTF-8 as a whole message
	hex   string // the payload
}
