package interop

// Libraries returns the libraries of the table, wskit first (the reference
// row, which must conform everywhere).
func Libraries() []Library {
	return []Library{Wskit(), Gorilla(), Gobwas(), Coder(), Gws()}
}
