package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/verify"
)

func TestAssetCacheRoundTripAndOverwrite(t *testing.T) {
	t.Parallel()
	forEachDatabase(t, func(t *testing.T, db testDatabase) {
		j := openJobs(t, db, Options{})
		c := j.Cache()
		ctx := context.Background()
		const url = "https://github.com/acme/microvm/releases/download/v1/vmlinux"

		if _, ok, err := c.Get(ctx, url); err != nil || ok {
			t.Fatalf("Get on an empty cache = ok %v, err %v; want a miss", ok, err)
		}
		first := verify.CacheEntry{
			Identity:   verify.AssetIdentity{ID: 101, Size: 4096, UpdatedAt: time.Date(2025, 6, 1, 12, 0, 0, 123456789, time.UTC)},
			SHA256:     "09d999bb0d86ac4c1919a0dd937acf6a29b2003dac5f10f7fba97a6ea03633e2",
			VerifiedAt: time.Date(2025, 6, 2, 3, 17, 0, 0, time.UTC),
		}
		second := first
		second.Identity.ID, second.Identity.Size = 102, 8192
		second.SHA256 = "e2feeaf0f9f98946f1f9af7330c7c474d98d74c4788f8289af903d0b24de6c05"

		for _, want := range []verify.CacheEntry{first, second} {
			if err := c.Put(ctx, url, want); err != nil {
				t.Fatalf("Put: %v", err)
			}
			got, ok, err := c.Get(ctx, url)
			if err != nil || !ok {
				t.Fatalf("Get after Put = ok %v, err %v", ok, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Get after Put (-want +got):\n%s", diff)
			}
		}
		if _, ok, err := c.Get(ctx, url+".sig"); err != nil || ok {
			t.Errorf("Get of another URL = ok %v, err %v; want a miss", ok, err)
		}
	})
}
