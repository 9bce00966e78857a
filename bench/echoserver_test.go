package bench

// The echo servers of BenchmarkEcho and BenchmarkEchoIdle, each in a
// process of its own.
//
// The benchmark binary starts itself again with ECHO_SERVER=lib in its
// environment; TestMain then runs that library's echo server on
// 127.0.0.1 instead of the tests, prints its address, and answers one
// command per line on its standard input with its own memory statistics,
// so that what a benchmark reports as the server's allocations, heap and
// RSS is the server's alone, not the load client's. It exits when its
// standard input closes (the benchmark process ended, whatever the reason)
// or after echoServerLifetime at the latest. With ECHO_SERVER_CPUPROFILE=prefix
// in the benchmark's environment, each server writes a CPU profile to
// prefix.lib.
//
// Each server is written the way its library's documentation shows an echo
// server, with its whole-message API on both sides:
//
//   - wskit: conformance/loopback's Server (handshake + codec.Conn; it
//     echoes a message that arrived whole in one read straight from its
//     read buffer, 4 KiB or a pooled 32 KiB, and any other one from the
//     pooled chunks it was held in, as frames of at most 64 KiB), default
//     configuration but for MaxConns.
//   - gorilla: Upgrader.Upgrade in an http.Handler, then ReadMessage and
//     WriteMessage in the handler's goroutine, as in gorilla's
//     examples/echo (default 4 KiB buffers).
//   - gobwas: ws.UpgradeHTTP, then wsutil.ReadClientData and
//     wsutil.WriteServerMessage in a goroutine of its own, as in gobwas's
//     README (which reads the net.Conn without a bufio.Reader).
//   - coder: Accept, then Read and Write (Read is documented as the
//     convenience method around Reader for one message) in the handler's
//     goroutine, as coder's echo example runs its loop; without the
//     example's per-message context and rate limiter.
//   - gws: an Upgrader with the default ServerOption, Upgrade, then
//     ReadLoop in a goroutine of its own, and OnMessage writing the
//     message back with WriteMessage before Close, as in gws's README
//     ("Best Practice", without parallel processing or compression).
//
// Every server gets wskit's message limit (16 MiB) where it has one, and
// none negotiates compression: the client offers none.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	coder "github.com/coder/websocket"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	gorilla "github.com/gorilla/websocket"
	"github.com/lxzan/gws"
	"github.com/wskit/wskit/conformance/loopback"
)

// echoLibs are the echo servers, wskit first: benchstat -col /lib takes
// the first as the baseline.
var echoLibs = []string{"wskit", "gorilla", "gobwas", "coder", "gws"}

const (
	// echoServerEnv names the library a server process runs.
	echoServerEnv = "ECHO_SERVER"
	// echoProfileEnv, if set in the benchmark's environment, makes every
	// server process write a CPU profile to its value followed by ".lib".
	echoProfileEnv = "ECHO_SERVER_CPUPROFILE"
	// echoServerLifetime bounds a server process's life, should its
	// parent never close its standard input.
	echoServerLifetime = 30 * time.Minute
	// echoServerTimeout bounds each exchange with a server process:
	// starting, and answering a command.
	echoServerTimeout = 30 * time.Second
)

func TestMain(m *testing.M) {
	if lib := os.Getenv(echoServerEnv); lib != "" {
		if err := runEchoServer(lib, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "echo server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	stopSharedEchoServers()
	os.Exit(code)
}

// runEchoServer serves lib's echo server on 127.0.0.1 until in closes,
// after writing "listening ADDR" to out, and answers each command read
// from in: "stats" with the statistics of serverStats, "gcstats" with the
// same after a garbage collection.
func runEchoServer(lib string, in io.Reader, out io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	stop, err := serveEcho(lib, ln)
	if err != nil {
		return err
	}
	defer stop()
	if prefix := os.Getenv(echoProfileEnv); prefix != "" {
		f, err := os.Create(prefix + "." + lib)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	time.AfterFunc(echoServerLifetime, func() {
		fmt.Fprintln(os.Stderr, "echo server: lifetime over")
		os.Exit(2)
	})
	fmt.Fprintf(out, "listening %s\n", ln.Addr())
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		switch cmd := sc.Text(); cmd {
		case "stats", "gcstats":
			if cmd == "gcstats" {
				runtime.GC()
			}
			st := readServerStats()
			fmt.Fprintf(out, "stats %d %d %d %d %d %d %d\n", st.mallocs, st.totalAlloc, st.heapInuse, st.stackInuse, st.rss, st.goroutines, st.cpu)
		default:
			return fmt.Errorf("unknown command %q", cmd)
		}
	}
	return sc.Err()
}

// serverStats are a server process's memory statistics.
type serverStats struct {
	mallocs    uint64 // runtime.MemStats.Mallocs: heap objects allocated so far
	totalAlloc uint64 // runtime.MemStats.TotalAlloc: heap bytes allocated so far
	heapInuse  uint64 // runtime.MemStats.HeapInuse
	stackInuse uint64 // runtime.MemStats.StackInuse: goroutine stacks
	rss        uint64 // VmRSS of /proc/self/status, in bytes (0 if unknown)
	goroutines uint64 // runtime.NumGoroutine
	cpu        uint64 // CPU time used so far, user and system, in nanoseconds (see cpuTime)
}

func readServerStats() serverStats {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return serverStats{
		mallocs:    ms.Mallocs,
		totalAlloc: ms.TotalAlloc,
		heapInuse:  ms.HeapInuse,
		stackInuse: ms.StackInuse,
		rss:        readRSS(),
		goroutines: uint64(runtime.NumGoroutine()),
		cpu:        cpuTime(),
	}
}

// cpuTime returns the CPU time the process has used so far, user and
// system (the kernel's work in its system calls: for an echo server, most
// of the TCP stack), in nanoseconds, or 0 where getrusage fails.
func cpuTime() uint64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return uint64(ru.Utime.Nano() + ru.Stime.Nano())
}

// readRSS returns the process's resident set size from /proc/self/status,
// or 0 where there is none.
func readRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// serveEcho starts lib's echo server on ln and returns the function that
// stops it.
func serveEcho(lib string, ln net.Listener) (stop func(), err error) {
	if lib == "wskit" {
		srv := loopback.New(loopback.Config{MaxConns: 4 * idleConns})
		go srv.Serve(ln)
		return func() { srv.Close() }, nil
	}
	var h http.HandlerFunc
	switch lib {
	case "gorilla":
		h = gorillaEcho
	case "gobwas":
		h = gobwasEcho
	case "coder":
		h = coderEcho
	case "gws":
		up := gws.NewUpgrader(gwsEcho{}, &gws.ServerOption{ReadMaxPayloadSize: maxMessage})
		h = func(w http.ResponseWriter, r *http.Request) {
			socket, err := up.Upgrade(w, r)
			if err != nil {
				return
			}
			go socket.ReadLoop()
		}
	default:
		return nil, fmt.Errorf("no echo server for %q", lib)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return func() { srv.Close() }, nil
}

func gorillaEcho(w http.ResponseWriter, r *http.Request) {
	var u gorilla.Upgrader
	c, err := u.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	c.SetReadLimit(maxMessage)
	for {
		mt, p, err := c.ReadMessage()
		if err != nil {
			return
		}
		if err := c.WriteMessage(mt, p); err != nil {
			return
		}
	}
}

func gobwasEcho(w http.ResponseWriter, r *http.Request) {
	conn, _, _, err := ws.UpgradeHTTP(r, w)
	if err != nil {
		return
	}
	go func() {
		defer conn.Close()
		for {
			msg, op, err := wsutil.ReadClientData(conn)
			if err != nil {
				return
			}
			if err := wsutil.WriteServerMessage(conn, op, msg); err != nil {
				return
			}
		}
	}()
}

func coderEcho(w http.ResponseWriter, r *http.Request) {
	c, err := coder.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	c.SetReadLimit(maxMessage)
	ctx := context.Background()
	for {
		typ, p, err := c.Read(ctx)
		if err != nil {
			return
		}
		if err := c.Write(ctx, typ, p); err != nil {
			return
		}
	}
}

// gwsEcho is gws's event handler: it echoes each message.
type gwsEcho struct{ gws.BuiltinEventHandler }

func (gwsEcho) OnMessage(socket *gws.Conn, message *gws.Message) {
	defer message.Close()
	socket.WriteMessage(message.Opcode, message.Bytes())
}

// An echoServer is a server process, seen from the benchmark.
type echoServer struct {
	lib  string
	addr string
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	errs strings.Builder // the process's standard error
}

// startEchoServer starts a process serving lib's echo server.
func startEchoServer(lib string) (*echoServer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	s := &echoServer{lib: lib}
	s.cmd = exec.Command(exe, "-test.run=^$")
	s.cmd.Env = append(os.Environ(), echoServerEnv+"="+lib)
	s.cmd.Stderr = &s.errs
	if s.in, err = s.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s.out = bufio.NewReader(stdout)
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	line, err := s.readLine()
	if err != nil {
		s.stop()
		return nil, err
	}
	addr, ok := strings.CutPrefix(line, "listening ")
	if !ok {
		s.stop()
		return nil, fmt.Errorf("%s echo server: unexpected %q", lib, line)
	}
	s.addr = addr
	return s, nil
}

// readLine reads the process's next line of output, within
// echoServerTimeout.
func (s *echoServer) readLine() (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := s.out.ReadString('\n')
		ch <- result{strings.TrimSuffix(line, "\n"), err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return "", fmt.Errorf("%s echo server: %v (stderr: %q)", s.lib, r.err, s.errs.String())
		}
		return r.line, nil
	case <-time.After(echoServerTimeout):
		return "", fmt.Errorf("%s echo server: no answer within %v", s.lib, echoServerTimeout)
	}
}

// stats asks the process for its statistics, after a garbage collection
// if gc is set.
func (s *echoServer) stats(gc bool) (serverStats, error) {
	cmd := "stats\n"
	if gc {
		cmd = "gcstats\n"
	}
	if _, err := io.WriteString(s.in, cmd); err != nil {
		return serverStats{}, err
	}
	line, err := s.readLine()
	if err != nil {
		return serverStats{}, err
	}
	var st serverStats
	if _, err := fmt.Sscanf(line, "stats %d %d %d %d %d %d %d", &st.mallocs, &st.totalAlloc, &st.heapInuse, &st.stackInuse, &st.rss, &st.goroutines, &st.cpu); err != nil {
		return serverStats{}, fmt.Errorf("%s echo server: %q: %v", s.lib, line, err)
	}
	return st, nil
}

// stop closes the process's standard input, which ends it, and kills it
// if it has not ended within echoServerTimeout.
func (s *echoServer) stop() {
	s.in.Close()
	done := make(chan struct{})
	go func() {
		s.cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(echoServerTimeout):
		s.cmd.Process.Kill()
		<-done
	}
}

// The shared servers of BenchmarkEcho, one process per library, started
// on first use and stopped by TestMain.
var (
	sharedMu      sync.Mutex
	sharedServers = map[string]*echoServer{}
)

func sharedEchoServer(lib string) (*echoServer, error) {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if s := sharedServers[lib]; s != nil {
		return s, nil
	}
	s, err := startEchoServer(lib)
	if err != nil {
		return nil, err
	}
	sharedServers[lib] = s
	return s, nil
}

func stopSharedEchoServers() {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	for lib, s := range sharedServers {
		s.stop()
		delete(sharedServers, lib)
	}
}

// errEchoServer reports an echo server that ended the connection or
// answered with something else than the echo.
var errEchoServer = errors.New("bench: echo server misbehaved")
