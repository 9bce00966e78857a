package echoclient

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// RunSuite runs every case of a fuzzing server (Autobahn|Testsuite's
// "wstest -m fuzzingserver", or "wskit serve-cases") against this client,
// the way Autobahn documents its API: /getCaseCount, then
// /runCase?case=N&agent=A for every N (parallel at a time, each on its
// own connection), then /updateReports?agent=A. base is the server's
// ws:// or wss:// URL without a path. It returns the number of cases. A
// case's own outcome is the server's to judge and is not an error here,
// a refused response included (ErrRefused: category 0 sends invalid
// ones on purpose); a case whose connection could not be made at all
// (the TCP connect or TLS failed) is, and ends the suite.
func RunSuite(ctx context.Context, base, agent string, parallel int, cfg Config) (int, error) {
	base = strings.TrimSuffix(base, "/")
	texts, err := ReadText(ctx, base+"/getCaseCount", cfg)
	if err != nil {
		return 0, fmt.Errorf("getCaseCount: %w", err)
	}
	if len(texts) != 1 {
		return 0, fmt.Errorf("getCaseCount: want one text message, got %d", len(texts))
	}
	count, err := strconv.Atoi(strings.TrimSpace(texts[0]))
	if err != nil || count < 0 {
		return 0, fmt.Errorf("getCaseCount: %q is not a case count", texts[0])
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		next     = make(chan int)
	)
	for range max(parallel, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range next {
				u := fmt.Sprintf("%s/runCase?case=%d&agent=%s", base, n, url.QueryEscape(agent))
				if err := Run(ctx, u, cfg); err != nil && ctx.Err() == nil && isNotOpened(err) && !errors.Is(err, ErrRefused) {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("case %d: %w", n, err)
					}
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
feed:
	for n := 1; n <= count; n++ {
		select {
		case next <- n:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return 0, firstErr
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if _, err := ReadText(ctx, base+"/updateReports?agent="+url.QueryEscape(agent), cfg); err != nil {
		return count, fmt.Errorf("updateReports: %w", err)
	}
	return count, nil
}
