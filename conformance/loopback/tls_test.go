package loopback

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wskit/wskit/conformance"
	"github.com/wskit/wskit/conformance/autobahn"
)

// selfSigned returns a certificate for localhost and 127.0.0.1, and a pool
// that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "wskit test"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// TestTLS serves the loopback server over TLS and runs cases against it at
// a wss:// URL: the runner sends the URL's host name as SNI
// (H-4.1-tls-sni), and the server's whole handshake, response included,
// goes through TLS (H-4.2.2-tls), so a plain-text request gets no 101.
// Both ends of wskit support TLS (R-10.6-tls).
func TestTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	var mu sync.Mutex
	var names []string
	cfg := &tls.Config{
		Certificates: []tls.Certificate{cert},
		GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			mu.Lock()
			names = append(names, hello.ServerName)
			mu.Unlock()
			return nil, nil
		},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{})
	done := make(chan error, 1)
	go func() { done <- s.Serve(tls.NewListener(ln, cfg)) }()
	defer func() {
		s.Close()
		<-done
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	tg, err := conformance.NewTarget("wss://localhost:" + port + "/")
	if err != nil {
		t.Fatal(err)
	}
	cases, _ := autobahn.Select([]string{"1.1.*", "2.1", "7.1.1"}, nil)
	results, err := conformance.Run(context.Background(), conformance.Options{
		Target: tg, Cases: cases, TLSConfig: &tls.Config{RootCAs: pool},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Behavior != conformance.OK || r.BehaviorClose != conformance.OK {
			t.Errorf("%s over TLS: %s/%s: %s", r.ID, r.Behavior, r.BehaviorClose, r.Reason)
		}
	}
	mu.Lock()
	if len(names) != len(cases) {
		t.Errorf("%d TLS handshakes for %d cases", len(names), len(cases))
	}
	for _, n := range names {
		if n != "localhost" {
			t.Errorf("SNI %q, want localhost", n)
		}
	}
	mu.Unlock()

	// An untrusted certificate fails the connection before the
	// WebSocket handshake.
	results, err = conformance.Run(context.Background(), conformance.Options{Target: tg, Cases: cases[:1]})
	if err != nil {
		t.Fatal(err)
	}
	var cve *tls.CertificateVerificationError
	if r := results[0]; r.BehaviorClose != conformance.Failed || !strings.Contains(r.Reason, "TLS handshake failed") || r.HTTPRequest != "?" {
		t.Errorf("untrusted certificate: %s/%s %q, request %q", r.Behavior, r.BehaviorClose, r.Reason, r.HTTPRequest)
	} else if !errors.As(r.OpenError, &cve) {
		t.Errorf("untrusted certificate: OpenError %v does not keep the *tls.CertificateVerificationError", r.OpenError)
	}

	// Plain text on the TLS port never reaches the WebSocket handshake.
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	nc.Write([]byte("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
	line, _ := bufio.NewReader(nc).ReadString('\n')
	if strings.Contains(line, "101") {
		t.Errorf("plain-text request on the TLS port got %q", line)
	}
}
