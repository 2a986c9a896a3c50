package logtest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/logtest"
)

// TestKeyCounts: a key zerolog wrote twice is counted twice, which a map
// decoded from the line would hide.
func TestKeyCounts(t *testing.T) {
	t.Parallel()
	got, err := logtest.KeyCounts(`{"level":"info","github_installation_id":7,"nested":{"a":1},"github_installation_id":7,"message":"x"}`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"level": 1, "github_installation_id": 2, "nested": 1, "message": 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("KeyCounts (-want +got):\n%s", diff)
	}
	if _, err := logtest.KeyCounts(`["not", "an", "object"]`); err == nil {
		t.Error("KeyCounts of an array: no error")
	}
}
