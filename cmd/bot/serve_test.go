package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/config"
	"github.com/pindrift/pindrift/internal/jobs"
)

type idleHandler struct{}

func (idleHandler) VerifyRepo(context.Context, jobs.VerifyRepo) error { return nil }
func (idleHandler) CheckPR(context.Context, jobs.CheckPR) error       { return nil }
func (idleHandler) Installations(context.Context) ([]int64, error)    { return nil, nil }
func (idleHandler) InstallationRepos(context.Context, int64) ([]jobs.VerifyRepo, error) {
	return nil, nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// At the default log.level an idle server's log has no River chatter
// (leader elections, maintenance runs); at debug it has.
func TestRiverQuietAtDefaultLogLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		level     string
		wantRiver bool
	}{{config.DefaultLogLevel, false}, {"debug", true}} {
		t.Run(tc.level, func(t *testing.T) {
			t.Parallel()
			var buf syncBuffer
			logger, err := serveLogger(&buf, tc.level, false)
			if err != nil {
				t.Fatal(err)
			}
			ctx := logger.WithContext(context.Background())
			j, err := jobs.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "j.db"), jobs.Options{Handler: idleHandler{}})
			if err != nil {
				t.Fatal(err)
			}
			if err := j.Start(ctx); err != nil {
				t.Fatal(err)
			}
			time.Sleep(1500 * time.Millisecond) // River elects a leader and starts its maintenance
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := j.Stop(stopCtx); err != nil {
				t.Error(err)
			}
			_ = j.Close()
			var river []string
			for _, line := range strings.Split(buf.String(), "\n") {
				if strings.Contains(line, `"component":"river"`) {
					river = append(river, line)
				}
			}
			if got := len(river) > 0; got != tc.wantRiver {
				t.Errorf("log.level %s: %d River lines, want any: %v\n%s", tc.level, len(river), tc.wantRiver, strings.Join(river, "\n"))
			}
		})
	}
}
