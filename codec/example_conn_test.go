package codec_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/spec"
)

// echoServer drives a server Conn from a net.Conn that has finished the
// opening handshake: read, Receive, answer the events, write what is
// owed, and close the transport when the Conn says so.
func echoServer(nc net.Conn) error {
	c, err := codec.NewConn(codec.ConnOptions{Role: codec.RoleServer})
	if err != nil {
		return err
	}
	defer nc.Close()
	buf := make([]byte, 32<<10)
	var msg []byte
	for {
		n, err := nc.Read(buf)
		if err != nil {
			c.TransportClosed() // the close code is now 1006 unless a Close arrived
			return err
		}
		// Receive unmasks buf in place; payload events alias it, so
		// copy what must outlive the next Read.
		events, rerr := c.Receive(buf[:n])
		for _, ev := range events {
			switch ev.Kind {
			case codec.EventMessageStart:
				msg = msg[:0]
			case codec.EventPayload:
				msg = append(msg, ev.Data...)
			case codec.EventMessageEnd:
				// Echo. The bytes returned include any pongs owed.
				out, err := c.SendMessage(ev.Opcode, msg)
				if err != nil {
					break // e.g. our Close already went out
				}
				if _, err := nc.Write(out); err != nil {
					return err
				}
			}
		}
		// Pongs, the close echo, or the Close that fails the
		// connection after a violation (rerr).
		if out := c.Outgoing(); len(out) > 0 {
			if _, err := nc.Write(out); err != nil {
				return err
			}
		}
		if c.ShouldCloseTransport() {
			return rerr // nil after a clean closing handshake
		}
	}
}

// A client and a server Conn talk over a net.Conn (here an in-memory
// net.Pipe; a TCP connection after the opening handshake works the same).
// The client masks its frames with keys from crypto/rand.Reader, sends a
// message, reads the echo, and closes; the server echoes and, once the
// closing handshake is done, closes the transport first, as RFC 6455
// asks; the client then sees the end of the transport.
func ExampleConn() {
	clientSide, serverSide := net.Pipe()
	done := make(chan error, 1)
	go func() { done <- echoServer(serverSide) }()

	c, err := codec.NewConn(codec.ConnOptions{Role: codec.RoleClient, Rand: rand.Reader})
	if err != nil {
		panic(err)
	}
	out, _ := c.SendMessage(spec.OpText, []byte("Hello, WebSocket"))
	clientSide.Write(out)

	// A client waits for the server to close the transport, but not
	// forever (RFC 6455 section 7.1.1).
	clientSide.SetDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 32<<10)
	var msg []byte
	closing := false
	for {
		n, err := clientSide.Read(buf)
		if err != nil {
			// The server closed the transport (io.EOF), or the
			// deadline passed and the client gives up.
			clientSide.Close()
			fmt.Println("client: close code", c.TransportClosed(), "clean", c.Clean())
			break
		}
		events, err := c.Receive(buf[:n])
		if err != nil {
			panic(err)
		}
		for _, ev := range events {
			switch ev.Kind {
			case codec.EventPayload:
				msg = append(msg, ev.Data...)
			case codec.EventMessageEnd:
				fmt.Printf("client: echo %q\n", msg)
			case codec.EventClose:
				fmt.Println("client: server answered the Close with", ev.Code)
			}
		}
		if out := c.Outgoing(); len(out) > 0 {
			clientSide.Write(out)
		}
		if len(msg) > 0 && !closing {
			closing = true
			out, _ := c.SendClose(spec.CloseNormal, "done")
			clientSide.Write(out)
		}
	}
	fmt.Println("server:", <-done)
	// Output:
	// client: echo "Hello, WebSocket"
	// client: server answered the Close with 1000 (normal closure)
	// client: close code 1000 (normal closure) clean true
	// server: <nil>
}

// Answers the protocol requires are queued by Receive and handed out by
// Outgoing: here the pong for a ping, then the echo of a Close.
func ExampleConn_Outgoing() {
	c, _ := codec.NewConn(codec.ConnOptions{Role: codec.RoleClient, Rand: zeroKeys{}})
	// A ping "hi" and a Close 1001, as a server sends them (unmasked).
	events, err := c.Receive([]byte{0x89, 0x02, 'h', 'i', 0x88, 0x02, 0x03, 0xe9})
	fmt.Println(events[0].Kind, string(events[0].Data))
	fmt.Println(events[1].Kind, events[1].Code)
	fmt.Println(err, c.State())
	fmt.Printf("% x\n", c.Outgoing()) // masked with all-zero keys, to be readable
	fmt.Println(c.State(), c.ShouldCloseTransport())
	// Output:
	// ping hi
	// close 1001 (going away)
	// <nil> closing
	// 8a 82 00 00 00 00 68 69 88 82 00 00 00 00 03 e9
	// closed false
}

// A violation fails the connection: the events before it still come
// back, and the Close with the violation's code is owed.
func ExampleConn_Receive_failure() {
	c, _ := codec.NewConn(codec.ConnOptions{Role: codec.RoleClient, Rand: zeroKeys{}})
	// A text message, then a frame with the reserved opcode 3.
	events, err := c.Receive([]byte{0x81, 0x02, 'o', 'k', 0x83, 0x00})
	for _, ev := range events {
		fmt.Printf("%v %q\n", ev.Kind, ev.Data)
	}
	var pe *codec.ProtocolError
	if errors.As(err, &pe) {
		fmt.Println(pe.Code, pe.Requirement)
	}
	fmt.Printf("% x\n", c.Outgoing())
	fmt.Println(c.State(), c.ShouldCloseTransport())
	// Output:
	// message-start ""
	// payload "ok"
	// message-end ""
	// 1002 (protocol error) R-5.2-opcode-fail
	// 88 82 00 00 00 00 03 ea
	// closed true
}

// zeroKeys yields all-zero masking keys, so that the examples print
// readable bytes. Real clients use crypto/rand.Reader.
type zeroKeys struct{}

func (zeroKeys) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
