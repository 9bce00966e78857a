// Package handshake implements the RFC 6455 opening handshake without I/O:
// it computes and checks Sec-WebSocket-Accept values.
//
// The package starts no goroutines and imports no networking; callers pass
// bytes and values in and get bytes and values out.
package handshake
