package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pindrift/pindrift/internal/verify"
)

// AssetCache is the verify.Cache of the App, in the job database so every
// replica shares it.
type AssetCache struct{ q querier }

var _ verify.Cache = (*AssetCache)(nil)

// Get implements verify.Cache.
func (c *AssetCache) Get(ctx context.Context, url string) (verify.CacheEntry, bool, error) {
	var raw string
	err := c.q.queryRow(ctx, `SELECT entry FROM pindrift_asset_cache WHERE url = ?`, url).Scan(&raw)
	if isNoRows(err) {
		return verify.CacheEntry{}, false, nil
	}
	if err != nil {
		return verify.CacheEntry{}, false, fmt.Errorf("asset cache get %s: %w", url, err)
	}
	var e verify.CacheEntry
	if err := json.Unmarshal([]byte(raw), &e); err != nil {
		return verify.CacheEntry{}, false, fmt.Errorf("asset cache get %s: %w", url, err)
	}
	return e, true, nil
}

// Put implements verify.Cache; a later Put for the same URL replaces it.
func (c *AssetCache) Put(ctx context.Context, url string, e verify.CacheEntry) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("asset cache put %s: %w", url, err)
	}
	if _, err := c.q.exec(ctx, `
		INSERT INTO pindrift_asset_cache (url, entry, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET entry = excluded.entry, updated_at = excluded.updated_at`,
		url, string(raw), time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("asset cache put %s: %w", url, err)
	}
	return nil
}
