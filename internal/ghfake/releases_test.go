package ghfake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/google/go-github/v62/github"
)

func TestReleasesAndDownloads(t *testing.T) {
	t.Parallel()
	s := New(t)
	rel := s.AddRelease("o", "r", Release{Tag: "v1", Immutable: true, Assets: []Asset{
		{Name: "tool.tar.gz", Content: []byte("v1 bytes")},
		{Name: "old.zip", Content: []byte("zip"), NoDigest: true},
	}})
	s.AddRelease("o", "r", Release{Tag: "v2", Draft: true})
	c := s.Client()
	cx := ctx(t)

	got, _, err := c.Repositories.GetReleaseByTag(cx, "o", "r", "v1")
	if err != nil || got.GetID() != rel.ID || len(got.Assets) != 2 || got.GetAuthor().GetLogin() != "o" {
		t.Fatalf("GetReleaseByTag = %+v, %v", got, err)
	}
	if _, _, err := c.Repositories.GetReleaseByTag(cx, "o", "r", "v2"); status(err) != http.StatusNotFound {
		t.Errorf("draft by tag: %v, want 404", err)
	}
	list, _, err := c.Repositories.ListReleases(cx, "o", "r", nil)
	if err != nil || len(list) != 2 || list[0].GetTagName() != "v2" {
		t.Errorf("ListReleases = %v, %v; want v2 (draft) then v1", list, err)
	}

	// go-github v62 has no digest or immutable fields: read the raw JSON.
	req, _ := c.NewRequest("GET", "repos/o/r/releases/"+itoa(rel.ID), nil)
	var raw struct {
		Immutable bool
		Assets    []struct {
			Name   string
			Digest *string
		}
	}
	if _, err := c.Do(cx, req, &raw); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("v1 bytes"))
	if !raw.Immutable || raw.Assets[0].Digest == nil || *raw.Assets[0].Digest != "sha256:"+hex.EncodeToString(sum[:]) ||
		raw.Assets[1].Digest != nil {
		t.Errorf("raw release = %+v", raw)
	}

	download := func() string {
		t.Helper()
		resp, err := s.srv.Client().Get(got.Assets[0].GetBrowserDownloadURL())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if b := download(); b != "v1 bytes" {
		t.Errorf("download = %q", b)
	}
	re := s.UploadAsset("o", "r", "v1", Asset{Name: "tool.tar.gz", Content: []byte("swapped")})
	if re.ID == got.Assets[0].GetID() || !re.UpdatedAt.After(got.Assets[0].GetUpdatedAt().Time) {
		t.Errorf("re-upload kept id %d or updated_at %v", re.ID, re.UpdatedAt)
	}
	if b := download(); b != "swapped" {
		t.Errorf("download after re-upload = %q", b)
	}
	assets, _, err := c.Repositories.ListReleaseAssets(cx, "o", "r", rel.ID, nil)
	if err != nil || len(assets) != 2 || assets[1].GetSize() != len("swapped") || assets[1].GetUploader().GetLogin() != "o" {
		t.Errorf("ListReleaseAssets = %v, %v", assets, err)
	}
	rc, _, err := c.Repositories.DownloadReleaseAsset(cx, "o", "r", re.ID, s.srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "swapped" {
		t.Errorf("DownloadReleaseAsset = %q", b)
	}
	if r, _ := s.Release("o", "r", "v1"); r.Assets[1].DownloadCount != 2 {
		t.Errorf("download count %d, want 2", r.Assets[1].DownloadCount)
	}
}

func TestAttestations(t *testing.T) {
	t.Parallel()
	s := New(t)
	digest := "sha256:" + hex.EncodeToString(make([]byte, 32))
	s.AddAttestation("o", "r", digest, Attestation{Repository: "o/r", Workflow: ".github/workflows/release.yml", Ref: "refs/tags/v1"})
	c := s.Client()
	get := func(d string) (*http.Response, []json.RawMessage) {
		req, _ := c.NewRequest("GET", "repos/o/r/attestations/"+d, nil)
		var out struct{ Attestations []json.RawMessage }
		resp, _ := c.Do(ctx(t), req, &out)
		return resp.Response, out.Attestations
	}
	resp, list := get(digest)
	if resp.StatusCode != http.StatusOK || len(list) != 1 {
		t.Fatalf("status %d, %d attestations", resp.StatusCode, len(list))
	}
	var a struct {
		Bundle struct {
			DSSEEnvelope struct{ Payload []byte } `json:"dsseEnvelope"`
		}
	}
	if err := json.Unmarshal(list[0], &a); err != nil {
		t.Fatal(err)
	}
	var stmt struct {
		Predicate struct {
			BuildDefinition struct {
				ExternalParameters struct {
					Workflow struct{ Repository, Path string }
				}
			}
		}
	}
	if err := json.Unmarshal(a.Bundle.DSSEEnvelope.Payload, &stmt); err != nil {
		t.Fatal(err)
	}
	if w := stmt.Predicate.BuildDefinition.ExternalParameters.Workflow; w.Repository != "https://github.com/o/r" ||
		w.Path != ".github/workflows/release.yml" {
		t.Errorf("workflow = %+v", w)
	}
	if resp, _ := get("sha256:" + hex.EncodeToString(make([]byte, 31)) + "01"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown digest: status %d, want 404", resp.StatusCode)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

var _ = github.String
