package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// delivery is one signed push, built before the clock starts so that
// JSON encoding and signing do not compete with the server during the run.
type delivery struct {
	id   string
	body []byte
	sig  string
}

// minimalPush stands in for GitHub's push payload when the fixture is absent:
// only what the push handler reads.
const minimalPush = `{"ref": "", "before": "", "after": "", "created": false, "deleted": false, "forced": false,
 "commits": [], "repository": {"name": "", "full_name": "", "default_branch": "", "owner": {"login": ""}},
 "pusher": {"name": "bench"}, "sender": {"login": "bench"}}`

// pushTemplate is GitHub's push payload from the shared fixtures, or the
// minimal one; it reports which.
func pushTemplate(fixture string) (map[string]any, string, error) {
	raw, err := os.ReadFile(fixture)
	src := fixture
	if err != nil {
		if !os.IsNotExist(err) {
			return nil, "", err
		}
		raw, src = []byte(minimalPush), "inline minimal payload"
	}
	var p map[string]any
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, "", fmt.Errorf("%s: %w", src, err)
	}
	return p, src, nil
}

// deliveries builds n pushes to the default branch, each with its own
// commit SHA (so none coalesces with another: the queue coalesces by
// repository and pushed commit), spread round-robin over the repositories.
func deliveries(tmpl map[string]any, n int, repos []string, secret string) ([]delivery, error) {
	run := time.Now().UnixNano()
	out := make([]delivery, n)
	for i := range out {
		sum := sha1.Sum(fmt.Appendf(nil, "%d/%d", run, i))
		sha := hex.EncodeToString(sum[:])
		name := repos[i%len(repos)]
		p := clone(tmpl)
		repo, _ := p["repository"].(map[string]any)
		if repo == nil {
			repo = map[string]any{}
			p["repository"] = repo
		}
		repo["name"], repo["full_name"], repo["default_branch"] = name, benchOwner+"/"+name, "main"
		repo["owner"] = map[string]any{"login": benchOwner}
		p["installation"] = map[string]any{"id": benchInstallation}
		p["ref"], p["before"], p["after"] = "refs/heads/main", strings.Repeat("1", 40), sha
		p["deleted"], p["created"], p["forced"] = false, false, false
		commit := map[string]any{"id": sha, "distinct": true, "message": fmt.Sprintf("bench push %d", i),
			"added": []any{}, "removed": []any{}, "modified": []any{"README.md"}}
		p["commits"], p["head_commit"] = []any{commit}, commit
		p["size"], p["distinct_size"] = 1, 1
		body, err := json.Marshal(p)
		if err != nil {
			return nil, err
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		out[i] = delivery{id: fmt.Sprintf("bench-%d-%06d", run, i), body: body,
			sig: "sha256=" + hex.EncodeToString(mac.Sum(nil))}
	}
	return out, nil
}

// clone deep-copies a decoded JSON value's maps and slices.
func clone(m map[string]any) map[string]any {
	var c func(any) any
	c = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			out := make(map[string]any, len(v))
			for k, x := range v {
				out[k] = c(x)
			}
			return out
		case []any:
			out := make([]any, len(v))
			for i, x := range v {
				out[i] = c(x)
			}
			return out
		default:
			return v
		}
	}
	return c(m).(map[string]any)
}

// result is one delivery's outcome.
type result struct {
	status  int // 0 when the request failed
	err     error
	latency time.Duration // from the scheduled send time to the whole response
}

// fire sends ds open-loop at rate per second: delivery i is due at
// start + i/rate whether or not earlier ones were answered, and its
// latency counts from that due time, so waiting for a connection or for a
// late scheduler is part of it. It returns the results and how late the
// scheduler was at worst.
func fire(ctx context.Context, client *http.Client, url string, ds []delivery, rate float64) ([]result, time.Duration) {
	res := make([]result, len(ds))
	var wg sync.WaitGroup
	var maxLag time.Duration
	start := time.Now()
	for i := range ds {
		due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		} else {
			maxLag = max(maxLag, -d)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i] = send(ctx, client, url, ds[i], due)
		}()
	}
	wg.Wait()
	return res, maxLag
}

func send(ctx context.Context, client *http.Client, url string, d delivery, due time.Time) result {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(d.body))
	if err != nil {
		return result{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "GitHub-Hookshot/pindrift-bench")
	req.Header.Set("X-GitHub-Event", "push")
	req.Header.Set("X-GitHub-Delivery", d.id)
	req.Header.Set("X-Hub-Signature-256", d.sig)
	resp, err := client.Do(req)
	if err != nil {
		return result{err: err, latency: time.Since(due)}
	}
	defer resp.Body.Close()
	// Read to the end so the connection goes back to the pool.
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return result{status: resp.StatusCode, err: err, latency: time.Since(due)}
	}
	return result{status: resp.StatusCode, latency: time.Since(due)}
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func sortedLatencies(rs []result, keep func(result) bool) []time.Duration {
	var out []time.Duration
	for _, r := range rs {
		if keep(r) {
			out = append(out, r.latency)
		}
	}
	slices.Sort(out)
	return out
}
