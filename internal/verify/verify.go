package verify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
)

// Verifier checks pins. One Verifier may run many Verify calls, in
// sequence or at once; each call has its own byte budget.
type Verifier struct {
	opts   Options
	client *http.Client
	global chan struct{}

	mu    sync.Mutex
	hosts map[string]chan struct{}

	// testAllowDial lets tests reach one loopback server with the
	// address guard on, to see what the guard does on the next hop.
	testAllowDial func(address string) bool
}

// New returns a Verifier with opts, zero fields taking their defaults.
func New(opts Options) *Verifier {
	v := &Verifier{opts: opts.withDefaults(), hosts: map[string]chan struct{}{}}
	v.client = v.newClient()
	v.global = make(chan struct{}, v.opts.Concurrency)
	return v
}

// Verify fetches every distinct URL among pins once, judges each pin on it
// against the one digest, and returns the outcomes in the order the URLs
// first appear, followed by the extractor's unresolved and invalid
// findings. The error is non-nil only when ctx ended the run early; the
// report then holds what was learnt, with interrupted URLs unreachable.
func (v *Verifier) Verify(ctx context.Context, pins []pin.Pin, unresolved, invalid []pin.Finding) (*Report, error) {
	groups := groupByURL(pins)
	outcomes := make([]Outcome, len(groups), len(groups)+len(unresolved)+len(invalid))
	r := newRun(v.opts.MaxTotalBytes)
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcomes[i] = v.check(ctx, r, g.url, g.pins)
		}()
	}
	wg.Wait()
	for _, f := range unresolved {
		outcomes = append(outcomes, findingOutcome(StatusUnresolved, f))
	}
	for _, f := range invalid {
		outcomes = append(outcomes, findingOutcome(StatusInvalid, f))
	}
	rep := &Report{Outcomes: outcomes, Summary: Summarize(outcomes)}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("verify: %w", err)
	}
	return rep, nil
}

func findingOutcome(s Status, f pin.Finding) Outcome {
	return Outcome{Status: s, Size: -1, Err: f.Message, Finding: &f}
}

type urlGroup struct {
	url  string
	pins []pin.Pin
}

func groupByURL(pins []pin.Pin) []urlGroup {
	index := map[string]int{}
	var groups []urlGroup
	for _, p := range pins {
		i, ok := index[p.URL]
		if !ok {
			i = len(groups)
			index[p.URL] = i
			groups = append(groups, urlGroup{url: p.URL})
		}
		groups[i].pins = append(groups[i].pins, p)
	}
	return groups
}

// check produces the outcome for one URL.
func (v *Verifier) check(ctx context.Context, r *run, rawURL string, pins []pin.Pin) (o Outcome) {
	start := time.Now()
	o = Outcome{URL: rawURL, Pins: pins, Size: -1}
	seen := map[string]bool{}
	for _, p := range pins {
		if s := strings.ToLower(p.SHA256); !seen[s] {
			seen[s] = true
			o.Expected = append(o.Expected, s)
		}
	}
	defer func() { o.Duration = time.Since(start) }()

	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		o.Status, o.Err = StatusRefused, fmt.Sprintf("refused: unusable URL %q", rawURL)
		return o
	}
	if err := v.checkURL(u); err != nil {
		o.Status, o.Err = StatusRefused, err.Error()
		return o
	}

	expectSize := int64(-1)
	var info *AssetInfo
	if v.opts.Resolver != nil && (v.opts.Mode != ModeFull || v.opts.PreferDigest) {
		ai, err := v.resolve(ctx, rawURL)
		switch {
		case errors.Is(err, ErrNotReleaseAsset):
		case errors.Is(err, ErrAssetNotFound):
			o.Status, o.Err = StatusMissing, err.Error()
			return o
		case err != nil:
			o.Status, o.Err = StatusUnreachable, err.Error()
			return o
		default:
			info = &ai
			expectSize, o.Size = ai.Size, ai.Size
		}
	}
	if info != nil {
		if (v.opts.Mode == ModeMetadata || v.opts.PreferDigest) && info.SHA256 != "" {
			o.Got, o.Source = info.SHA256, SourceDigest
			judge(&o)
			return o
		}
		if v.opts.Mode == ModeAuto && v.opts.Cache != nil {
			e, ok, err := v.opts.Cache.Get(ctx, rawURL)
			// A cache that cannot answer only costs a download.
			if err == nil && ok && e.Identity == info.Identity() && e.SHA256 != "" {
				o.Got, o.Source = e.SHA256, SourceCache
				judge(&o)
				return o
			}
		}
	}

	v.shared(ctx, r, v.transferKey(u), &o, func(o *Outcome) { v.fetch(ctx, r, rawURL, u, info, expectSize, o) })
	if o.Got == "" {
		return o
	}
	judge(&o)
	if info != nil && v.opts.Cache != nil {
		e := CacheEntry{Identity: info.Identity(), SHA256: o.Got, VerifiedAt: time.Now().UTC()}
		if err := v.opts.Cache.Put(ctx, rawURL, e); err != nil {
			// The verdict stands without the cache; the next run downloads again.
			o.Err = fmt.Sprintf("cache: %v", err)
		}
	}
	return o
}

// fetch downloads the asset: from the resolver's direct URL for an asset
// its pinned URL does not serve to everyone, else from the pinned URL.
// When the pinned URL answers 404 before any metadata was read (full
// mode), the resolver says whether the asset is missing, readable only
// through its direct URL, or not to be talked about.
func (v *Verifier) fetch(ctx context.Context, r *run, rawURL string, u *url.URL, info *AssetInfo, expectSize int64, o *Outcome) {
	if info == nil || info.DirectURL == nil {
		v.download(ctx, r, u, expectSize, o)
		if o.Status != StatusMissing || info != nil || v.opts.Resolver == nil {
			return
		}
		ai, err := v.resolve(ctx, rawURL)
		switch {
		case errors.Is(err, ErrNotReleaseAsset), errors.Is(err, ErrAssetNotFound):
			return // the 404 stands
		case err != nil:
			o.Status, o.Err = StatusUnreachable, err.Error()
			return
		case ai.DirectURL == nil:
			return
		}
		info, expectSize, o.Size = &ai, ai.Size, ai.Size
	}
	direct, err := info.DirectURL(ctx)
	if err != nil {
		o.Status, o.Err = StatusUnreachable, fmt.Sprintf("release asset download URL: %v", err)
		return
	}
	du, err := url.Parse(direct)
	if err == nil {
		err = v.checkURL(du)
	}
	if err != nil {
		o.Status, o.Err = StatusRefused, signedOut(fmt.Sprintf("release asset download URL: %v", err), direct, rawURL)
		return
	}
	v.download(ctx, r, du, expectSize, o)
	// A signed URL is a credential while it lasts: reports name the
	// pinned URL instead.
	o.Err = signedOut(o.Err, du.Redacted(), rawURL)
	if o.FinalURL != "" {
		if fu, err := url.Parse(o.FinalURL); err == nil {
			fu.RawQuery, fu.Fragment = "", ""
			o.FinalURL = fu.String()
		}
	}
}

func signedOut(msg, signed, pinned string) string {
	return strings.ReplaceAll(msg, signed, pinned+" (through its signed download URL)")
}

func (v *Verifier) resolve(ctx context.Context, rawURL string) (AssetInfo, error) {
	select {
	case v.global <- struct{}{}:
	case <-ctx.Done():
		return AssetInfo{}, fmt.Errorf("release metadata: %w", ctx.Err())
	}
	defer func() { <-v.global }()
	ai, err := v.opts.Resolver.Resolve(ctx, rawURL)
	if err != nil && !errors.Is(err, ErrNotReleaseAsset) {
		return ai, fmt.Errorf("release metadata: %w", err)
	}
	return ai, err
}

// judge sets ok or drift once o.Got is known.
func judge(o *Outcome) {
	o.Got = strings.ToLower(o.Got)
	o.Status = StatusOK
	for _, s := range o.Expected {
		if s != o.Got {
			o.Status = StatusDrift
		}
	}
}

func (v *Verifier) hostSem(host string) chan struct{} {
	v.mu.Lock()
	defer v.mu.Unlock()
	s, ok := v.hosts[host]
	if !ok {
		s = make(chan struct{}, v.opts.PerHost)
		v.hosts[host] = s
	}
	return s
}

// acquire takes a per-host slot, then a global one: in that order a
// transfer waiting on a busy host never holds a slot another host could use.
func (v *Verifier) acquire(ctx context.Context, host string) (release func(), err error) {
	hs := v.hostSem(host)
	select {
	case hs <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case v.global <- struct{}{}:
	case <-ctx.Done():
		<-hs
		return nil, ctx.Err()
	}
	return func() { <-v.global; <-hs }, nil
}
