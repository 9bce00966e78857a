package interop

import (
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/wskit/wskit/codec"
	"github.com/wskit/wskit/vectors"
)

// Parallel is how many vector runs go on at once in the first phase. Each
// run holds two loopback connections and a few goroutines, each bounded by
// hangTimeout.
const Parallel = 24

// allocBound is the most a run may allocate (process-wide, measured during
// the second phase, where the runs of one library go one at a time) before
// it counts as Crashes.
const allocBound = 256 << 20

// A Report holds every result of a run of the vectors.
type Report struct {
	// Libraries are the libraries run, in column order.
	Libraries []Library
	// Results holds one result per vector and library.
	Results []Result
	// Elapsed is the wall time of the run.
	Elapsed time.Duration
}

// A job is one vector run through one library.
type job struct {
	lib   Library
	heavy bool // the input ends inside a frame: run alone, allocations measured
	bomb  bool // a decompression bomb: run alone, allocations recorded
	run   func() Result
}

// Run runs every decoder, conn and handshake request vector, and the
// decoder vectors of deflate.json, through each library. Runs whose input
// is complete go in parallel; runs whose input ends inside a frame (a
// declared length the input does not deliver) go afterwards, one library's
// at a time, with their allocations measured; decompression bombs go last,
// strictly one at a time, with what each allocated recorded.
func Run(libs []Library) (*Report, error) {
	start := time.Now()
	jobs, err := jobs(libs)
	if err != nil {
		return nil, err
	}
	rep := &Report{Libraries: libs}
	var mu sync.Mutex
	add := func(r Result) {
		mu.Lock()
		rep.Results = append(rep.Results, r)
		mu.Unlock()
	}
	sem := make(chan struct{}, Parallel)
	var wg sync.WaitGroup
	for _, j := range jobs {
		if j.heavy || j.bomb {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			add(j.run())
		}()
	}
	wg.Wait()
	// Heavy runs: libraries side by side, each library's runs in turn.
	for _, lib := range libs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, j := range jobs {
				if j.heavy && !j.bomb && j.lib.Name == lib.Name {
					add(measured(j.run))
				}
			}
		}()
	}
	wg.Wait()
	// Bombs: one run at a time, so that each one's allocations are its own.
	for _, j := range jobs {
		if j.bomb {
			add(measuredAlloc(j.run))
		}
	}
	sort.Slice(rep.Results, func(i, k int) bool {
		a, b := rep.Results[i], rep.Results[k]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return libIndex(libs, a.Library) < libIndex(libs, b.Library)
	})
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// measured runs f and turns its result into Crashes when the process
// allocated more than allocBound meanwhile.
func measured(f func() Result) Result {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := f()
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > allocBound && r.Verdict != NotApplicable {
		r.Verdict = Crashes
		r.Detail = "allocated " + mib(d) + " during the run (" + r.Detail + ")"
	}
	return r
}

// libIndex is the column of a library.
func libIndex(libs []Library, name string) int {
	for i, l := range libs {
		if l.Name == name {
			return i
		}
	}
	return len(libs)
}

// jobs lists every run.
func jobs(libs []Library) ([]job, error) {
	dec, err := vectors.Decoder()
	if err != nil {
		return nil, err
	}
	conns, err := vectors.Conn()
	if err != nil {
		return nil, err
	}
	hs, err := vectors.Handshake()
	if err != nil {
		return nil, err
	}
	df, err := vectors.Deflate()
	if err != nil {
		return nil, err
	}
	var out []job
	for _, lib := range libs {
		for _, v := range dec {
			out = append(out, job{lib: lib, heavy: endsInsideFrame(v.Input), run: func() Result {
				r, _ := runDecoder(lib, v)
				return r
			}})
		}
		for _, v := range conns {
			out = append(out, job{lib: lib, run: func() Result { return runConn(lib, v) }})
		}
		for _, v := range hs.Requests {
			out = append(out, job{lib: lib, run: func() Result { return runRequest(lib, v) }})
		}
		for _, v := range df.Offers {
			out = append(out, job{lib: lib, run: func() Result { return runOffer(lib, v) }})
		}
		for _, v := range df.Decoder {
			out = append(out, job{lib: lib, heavy: endsInsideFrame(v.Input), bomb: isBomb(v), run: func() Result { return runDeflate(lib, v) }})
		}
	}
	return out, nil
}

// endsInsideFrame reports whether input stops before the end of its last
// frame, as codec.FrameScanner (which judges nothing) follows it.
func endsInsideFrame(input []byte) bool {
	var sc codec.FrameScanner
	p := input
	for len(p) > 0 {
		n, done, err := sc.Scan(p)
		if err != nil {
			return true // a length with its top bit set: the end is unknown
		}
		p = p[n:]
		if !done {
			return true
		}
	}
	return false
}
