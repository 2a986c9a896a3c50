package config

import (
	"net/url"
	"path/filepath"
	"strings"
)

// Database drivers a database URL can name.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// Database is where jobs and the verified-asset cache are kept.
type Database struct {
	// URL is sqlite://PATH (relative to the config file's directory),
	// sqlite:///ABSOLUTE/PATH, or a postgres:// or postgresql:// URL.
	// After LoadServer a sqlite URL always holds an absolute path.
	URL string `yaml:"url"`
}

// Driver is DriverSQLite or DriverPostgres, or "" for an invalid URL.
func (d Database) Driver() string {
	switch {
	case strings.HasPrefix(d.URL, "sqlite://"):
		return DriverSQLite
	case strings.HasPrefix(d.URL, "postgres://"), strings.HasPrefix(d.URL, "postgresql://"):
		return DriverPostgres
	}
	return ""
}

// SQLitePath is the database file of a sqlite URL, "" for other drivers.
func (d Database) SQLitePath() string {
	p, ok := strings.CutPrefix(d.URL, "sqlite://")
	if !ok {
		return ""
	}
	return p
}

// String is the URL with its password, if any, masked.
func (d Database) String() string {
	if d.Driver() != DriverPostgres {
		return d.URL
	}
	u, err := url.Parse(d.URL)
	if err != nil {
		return "(unparseable postgres URL)"
	}
	return u.Redacted()
}

// resolveDatabase validates the URL and makes a relative sqlite path
// absolute against dir. Messages never quote the URL, which may hold a
// password.
func resolveDatabase(d *Database, dir string) (problem string) {
	switch d.Driver() {
	case DriverSQLite:
		p := d.SQLitePath()
		switch {
		case p == "":
			return "needs a file path, e.g. sqlite://pindrift.db"
		case p == ":memory:" || strings.HasPrefix(p, "file::memory:"):
			return "must be a file: an in-memory database loses acknowledged work on restart"
		case strings.ContainsAny(p, "?#"):
			return "takes a file path only, without query parameters"
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return "cannot make the sqlite path absolute: " + err.Error()
		}
		d.URL = "sqlite://" + abs
		return ""
	case DriverPostgres:
		// url.Parse quotes the URL in its errors; say less.
		if _, err := url.Parse(d.URL); err != nil {
			return "is not a valid postgres URL"
		}
		return ""
	}
	scheme, _, found := strings.Cut(d.URL, "://")
	if d.URL == "" {
		return "is required"
	}
	if found && !strings.ContainsAny(scheme, "@:/") {
		return "has unsupported scheme " + quote(scheme) + "; use sqlite://PATH, postgres:// or postgresql://"
	}
	return "must be sqlite://PATH, postgres://... or postgresql://..."
}
