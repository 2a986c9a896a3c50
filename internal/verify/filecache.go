package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// FileCache is a Cache kept in one JSON file, for the CLI. Entries are
// held in memory and written back by Save.
type FileCache struct {
	path    string
	mu      sync.Mutex
	entries map[string]CacheEntry
	dirty   bool
}

var _ Cache = (*FileCache)(nil)

type fileCacheDoc struct {
	Version int                   `json:"version"`
	Entries map[string]CacheEntry `json:"entries"`
}

const fileCacheVersion = 1

// OpenFileCache reads path; a missing file is an empty cache.
func OpenFileCache(path string) (*FileCache, error) {
	c := &FileCache{path: path, entries: map[string]CacheEntry{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read cache %s: %w", path, err)
	}
	var doc fileCacheDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read cache %s: %w", path, err)
	}
	if doc.Version != fileCacheVersion {
		return nil, fmt.Errorf("read cache %s: version %d, want %d", path, doc.Version, fileCacheVersion)
	}
	if doc.Entries != nil {
		c.entries = doc.Entries
	}
	return c, nil
}

// Get implements Cache.
func (c *FileCache) Get(_ context.Context, url string) (CacheEntry, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[url]
	return e, ok, nil
}

// Put implements Cache.
func (c *FileCache) Put(_ context.Context, url string, e CacheEntry) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[url] = e
	c.dirty = true
	return nil
}

// Save writes the cache back atomically (temporary file, then rename), if
// anything changed.
func (c *FileCache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty {
		return nil
	}
	data, err := json.MarshalIndent(fileCacheDoc{Version: fileCacheVersion, Entries: c.entries}, "", "  ")
	if err != nil {
		return fmt.Errorf("write cache %s: %w", c.path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".pindrift-cache-*")
	if err != nil {
		return fmt.Errorf("write cache %s: %w", c.path, err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("write cache %s: %w", c.path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write cache %s: %w", c.path, err)
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return fmt.Errorf("write cache %s: %w", c.path, err)
	}
	c.dirty = false
	return nil
}
