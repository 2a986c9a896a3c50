package remedy_test

import (
	"context"
	"testing"

	"github.com/pindrift/pindrift/internal/issues"
	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
	"github.com/pindrift/pindrift/internal/remedy"
)

// TestFixUsesInputExtract: the fix is computed with the extractor the
// caller gives (the App's sandbox), for the original and the patched
// manifest alike.
func TestFixUsesInputExtract(t *testing.T) {
	e := newEnv(t)
	head, _ := e.gh.Ref(owner, name, "heads/main")
	calls := 0
	extract := func(ctx context.Context, f string, b []byte, opts pin.Options) (*pin.Result, error) {
		calls++
		return extract.File(ctx, f, b, opts)
	}
	res, err := remedy.Run(context.Background(), remedy.Input{
		Repo: issues.Repo{Owner: owner, Name: name, WebURL: "https://github.com"}, DefaultBranch: "main", Commit: head,
		Files: []remedy.File{{Path: file, Source: []byte(src)}}, Extract: extract, Report: e.report(map[string]string{kURL: hex('c'), rURL: hex('b')}),
		Assets: e.assets, Trigger: "nightly sweep", Time: e.clock, PR: prOn,
	}, e.ic, e.pc)
	if err != nil {
		t.Fatal(err)
	}
	if res.PR == 0 || calls != 2 {
		t.Fatalf("fix PR #%d after %d extractions; want a PR after 2 (original and patched)", res.PR, calls)
	}
}
