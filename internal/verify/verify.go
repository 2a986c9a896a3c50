package verify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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

// Verify fetches every distinct URL among pins once, hashes its bytes with
// every algorithm its pins use, judges each pin against the one digest of
// its algorithm, and returns the outcomes (one per URL and algorithm) in
// the order the URLs first appear, followed by the extractor's unresolved
// and invalid findings. The error is non-nil only when ctx ended the run
// early; the report then holds what was learnt, with interrupted URLs
// unreachable.
func (v *Verifier) Verify(ctx context.Context, pins []pin.Pin, unresolved, invalid []pin.Finding) (*Report, error) {
	groups := groupByURL(pins)
	r := newRun(v.opts.MaxTotalBytes)
	r.algs = v.algorithmsByTransfer(groups)
	perURL := make([][]Outcome, len(groups))
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			perURL[i] = v.check(ctx, r, g.url, g.pins)
		}()
	}
	wg.Wait()
	outcomes := make([]Outcome, 0, len(groups)+len(unresolved)+len(invalid))
	for _, os := range perURL {
		outcomes = append(outcomes, os...)
	}
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

// algGroup is the pins of one URL under one algorithm.
type algGroup struct {
	alg  pin.Algorithm
	pins []pin.Pin
}

// byAlgorithm splits the pins of one URL by algorithm, in the order the
// algorithms first appear.
func byAlgorithm(pins []pin.Pin) []algGroup {
	var gs []algGroup
	for _, p := range pins {
		a := p.Key().Algorithm
		i := slices.IndexFunc(gs, func(g algGroup) bool { return g.alg == a })
		if i < 0 {
			i = len(gs)
			gs = append(gs, algGroup{alg: a})
		}
		gs[i].pins = append(gs[i].pins, p)
	}
	return gs
}

// algorithmsByTransfer lists, for each transfer of the run, every
// algorithm a pin of any of its URLs uses, so that whichever URL fetches
// the asset hashes it for all of them and the asset is read once.
func (v *Verifier) algorithmsByTransfer(groups []urlGroup) map[string][]pin.Algorithm {
	out := map[string][]pin.Algorithm{}
	for _, g := range groups {
		u, err := url.Parse(g.url)
		if err != nil || u.Host == "" {
			continue // refused before any transfer
		}
		k := v.transferKey(u)
		for _, p := range g.pins {
			out[k] = addAlgorithm(out[k], p.Key().Algorithm)
		}
	}
	return out
}

// addAlgorithm adds a to algs unless it is there, keeping pin.Algorithms'
// order so a transfer's hashes do not depend on which pin came first.
func addAlgorithm(algs []pin.Algorithm, a pin.Algorithm) []pin.Algorithm {
	if slices.Contains(algs, a) || a.New() == nil {
		return algs
	}
	algs = append(algs, a)
	slices.SortFunc(algs, func(x, y pin.Algorithm) int {
		return slices.Index(pin.Algorithms, x) - slices.Index(pin.Algorithms, y)
	})
	return algs
}

// check produces the outcomes for one URL, one per algorithm its pins
// use. A digest the release host or the cache already knows answers its
// algorithm; the others share one download.
func (v *Verifier) check(ctx context.Context, r *run, rawURL string, pins []pin.Pin) []Outcome {
	start := time.Now()
	groups := byAlgorithm(pins)
	// answered holds the outcomes settled without a download, by algorithm.
	answered := map[pin.Algorithm]Outcome{}
	// outcomes gives each algorithm base, the URL's facts, unless it was
	// answered, with the digest sums observed for it.
	outcomes := func(base Outcome, sums map[pin.Algorithm]string) []Outcome {
		out := make([]Outcome, len(groups))
		for i, g := range groups {
			o, ok := answered[g.alg]
			if !ok {
				o = base
				o.Got = sums[g.alg]
			}
			o.Algorithm, o.Pins, o.Expected = g.alg, g.pins, expected(g.pins)
			if o.Got != "" {
				judge(&o)
			}
			o.Duration = time.Since(start)
			out[i] = o
		}
		return out
	}
	base := Outcome{URL: rawURL, Size: -1}

	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		base.Status, base.Err = StatusRefused, fmt.Sprintf("refused: unusable URL %q", rawURL)
		return outcomes(base, nil)
	}
	if err := v.checkURL(u); err != nil {
		base.Status, base.Err = StatusRefused, err.Error()
		return outcomes(base, nil)
	}
	for _, g := range groups {
		if g.alg.New() == nil {
			base.Status, base.Err = StatusRefused, fmt.Sprintf("refused: unknown digest algorithm %q", g.alg)
			return outcomes(base, nil)
		}
	}

	expectSize := int64(-1)
	var info *AssetInfo
	if v.opts.Resolver != nil && (v.opts.Mode != ModeFull || v.opts.PreferDigest) {
		ai, err := v.resolve(ctx, rawURL)
		switch {
		case errors.Is(err, ErrNotReleaseAsset):
		case errors.Is(err, ErrAssetNotFound):
			base.Status, base.Err = StatusMissing, err.Error()
			return outcomes(base, nil)
		case err != nil:
			base.Status, base.Err = StatusUnreachable, err.Error()
			return outcomes(base, nil)
		default:
			info = &ai
			expectSize, base.Size = ai.Size, ai.Size
		}
	}
	// pending lists the algorithms still to answer, by download unless
	// the host's digest or the cache answers them first.
	pending := make([]pin.Algorithm, len(groups))
	for i, g := range groups {
		pending[i] = g.alg
	}
	answer := func(a pin.Algorithm, got string, src Source) {
		o := base
		o.Got, o.Source = got, src
		answered[a] = o
		pending = slices.DeleteFunc(pending, func(p pin.Algorithm) bool { return p == a })
	}
	var cached *CacheEntry
	if info != nil {
		// The host's digest is a SHA-256: it answers sha256 pins only.
		if (v.opts.Mode == ModeMetadata || v.opts.PreferDigest) && info.SHA256 != "" && slices.Contains(pending, pin.SHA256) {
			answer(pin.SHA256, info.SHA256, SourceDigest)
		}
		if v.opts.Mode == ModeAuto && v.opts.Cache != nil && len(pending) > 0 {
			e, ok, err := v.opts.Cache.Get(ctx, rawURL)
			// A cache that cannot answer only costs a download.
			if err == nil && ok && e.Identity == info.Identity() {
				cached = &e
				for _, a := range slices.Clone(pending) {
					if s := e.Sum(a); s != "" {
						answer(a, s, SourceCache)
					}
				}
			}
		}
	}
	if len(pending) == 0 {
		return outcomes(base, nil)
	}
	key := v.transferKey(u)
	algs := slices.Clone(r.algs[key])
	for _, a := range pending {
		algs = addAlgorithm(algs, a)
	}

	sums := v.shared(ctx, r, key, &base, func(o *Outcome) map[pin.Algorithm]string {
		return v.fetch(ctx, r, rawURL, u, info, expectSize, algs, o)
	})
	if sums != nil && info != nil && v.opts.Cache != nil {
		// What the entry knew of other algorithms stays.
		e := CacheEntry{}.withSums(sums)
		if cached != nil {
			e = cached.withSums(sums)
		}
		e.Identity, e.VerifiedAt = info.Identity(), time.Now().UTC()
		if err := v.opts.Cache.Put(ctx, rawURL, e); err != nil {
			// The verdict stands without the cache; the next run downloads again.
			base.Err = fmt.Sprintf("cache: %v", err)
		}
	}
	return outcomes(base, sums)
}

// expected lists the distinct digests pins promise, in pin order.
func expected(pins []pin.Pin) []string {
	var out []string
	for _, p := range pins {
		if h := p.Key().Hex; !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// fetch downloads the asset: from the resolver's direct URL for an asset
// its pinned URL does not serve to everyone, else from the pinned URL.
// When the pinned URL answers 404 before any metadata was read (full
// mode), the resolver says whether the asset is missing, readable only
// through its direct URL, or not to be talked about.
func (v *Verifier) fetch(ctx context.Context, r *run, rawURL string, u *url.URL, info *AssetInfo, expectSize int64, algs []pin.Algorithm, o *Outcome) map[pin.Algorithm]string {
	if info == nil || info.DirectURL == nil {
		sums := v.download(ctx, r, u, expectSize, algs, o)
		if o.Status != StatusMissing || info != nil || v.opts.Resolver == nil {
			return sums
		}
		ai, err := v.resolve(ctx, rawURL)
		switch {
		case errors.Is(err, ErrNotReleaseAsset), errors.Is(err, ErrAssetNotFound):
			return nil // the 404 stands
		case err != nil:
			o.Status, o.Err = StatusUnreachable, err.Error()
			return nil
		case ai.DirectURL == nil:
			return nil
		}
		info, expectSize, o.Size = &ai, ai.Size, ai.Size
	}
	direct, err := info.DirectURL(ctx)
	if err != nil {
		o.Status, o.Err = StatusUnreachable, fmt.Sprintf("release asset download URL: %v", err)
		return nil
	}
	du, err := url.Parse(direct)
	if err == nil {
		err = v.checkURL(du)
	}
	if err != nil {
		o.Status, o.Err = StatusRefused, signedOut(fmt.Sprintf("release asset download URL: %v", err), direct, rawURL)
		return nil
	}
	sums := v.download(ctx, r, du, expectSize, algs, o)
	// A signed URL is a credential while it lasts: reports name the
	// pinned URL instead.
	o.Err = signedOut(o.Err, du.Redacted(), rawURL)
	if o.FinalURL != "" {
		if fu, err := url.Parse(o.FinalURL); err == nil {
			fu.RawQuery, fu.Fragment = "", ""
			o.FinalURL = fu.String()
		}
	}
	return sums
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
