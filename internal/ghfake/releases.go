package ghfake

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// Release is a GitHub release.
type Release struct {
	ID              int64
	Tag, Name, Body string
	TargetCommitish string
	Draft           bool
	Prerelease      bool
	Immutable       bool
	Author          string // the repository owner when empty on AddRelease
	Assets          []Asset
	CreatedAt       time.Time
	PublishedAt     time.Time // zero for drafts
}

// Asset is a release asset. The fake computes Size and Digest from Content.
type Asset struct {
	ID            int64
	Name          string
	Label         string
	ContentType   string // application/octet-stream when empty
	Uploader      string // the release's author when empty
	Content       []byte
	NoDigest      bool   // serve "digest": null, as for assets uploaded before GitHub computed digests
	Size          int    // set by the fake
	Digest        string // "sha256:<hex>", set by the fake
	DownloadCount int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// AddRelease seeds a release with its assets and returns it with ids, sizes,
// digests and times filled in.
func (s *Server) AddRelease(owner, name string, in Release) Release {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoFor(owner, name)
	now := s.tick()
	rel := in
	rel.ID, rel.CreatedAt, rel.Assets = s.newID(), now, nil
	if rel.Author == "" {
		rel.Author = rp.Owner
	}
	if rel.Name == "" {
		rel.Name = rel.Tag
	}
	if rel.TargetCommitish == "" {
		rel.TargetCommitish = rp.DefaultBranch
	}
	if !rel.Draft {
		rel.PublishedAt = now
	}
	rp.releases = append(rp.releases, &rel)
	for _, a := range in.Assets {
		s.putAsset(&rel, a)
	}
	return copyRelease(&rel)
}

// UploadAsset adds an asset to the release with tag, drafts included. An
// asset of the same name is replaced, as a delete and re-upload would: new
// id, new times, new bytes at the same download URL.
func (s *Server) UploadAsset(owner, name, tag string, a Asset) Asset {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t.Helper()
	rel := findRelease(s.repoOrFail(owner, name), tag, true)
	if rel == nil {
		s.t.Fatalf("ghfake: UploadAsset: %s/%s has no release %q", owner, name, tag)
	}
	return s.putAsset(rel, a)
}

func (s *Server) putAsset(rel *Release, a Asset) Asset {
	now := s.tick()
	a.ID, a.CreatedAt, a.UpdatedAt, a.DownloadCount = s.newID(), now, now, 0
	a.Content = slices.Clone(a.Content)
	a.Size = len(a.Content)
	sum := sha256.Sum256(a.Content)
	a.Digest = "sha256:" + hex.EncodeToString(sum[:])
	if a.ContentType == "" {
		a.ContentType = "application/octet-stream"
	}
	if a.Uploader == "" {
		a.Uploader = rel.Author
	}
	rel.Assets = slices.DeleteFunc(rel.Assets, func(old Asset) bool { return old.Name == a.Name })
	rel.Assets = append(rel.Assets, a)
	return a
}

func copyRelease(r *Release) Release {
	out := *r
	out.Assets = slices.Clone(r.Assets)
	return out
}

func findRelease(rp *repo, tag string, drafts bool) *Release {
	for _, r := range rp.releases {
		if r.Tag == tag && (drafts || !r.Draft) {
			return r
		}
	}
	return nil
}

// Release returns the release with tag, drafts included.
func (s *Server) Release(owner, name, tag string) (Release, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := findRelease(s.repoOrFail(owner, name), tag, true)
	if r == nil {
		return Release{}, false
	}
	return copyRelease(r), true
}

// AssetURL is the browser download URL of a release asset.
func (s *Server) AssetURL(owner, name, tag, asset string) string {
	return s.htmlURL("/%s/%s/releases/download/%s/%s", owner, name, url.PathEscape(tag), url.PathEscape(asset))
}

func (s *Server) registerReleaseRoutes() {
	s.api("GET /repos/{owner}/{repo}/releases", s.listReleases)
	s.api("GET /repos/{owner}/{repo}/releases/latest", s.latestRelease)
	s.api("GET /repos/{owner}/{repo}/releases/tags/{tag}", s.releaseByTag)
	s.api("GET /repos/{owner}/{repo}/releases/assets/{id}", s.getAsset)
	s.api("GET /repos/{owner}/{repo}/releases/{id}", s.getRelease)
	s.api("GET /repos/{owner}/{repo}/releases/{id}/assets", s.listAssets)
	s.raw("GET /{owner}/{repo}/releases/download/{tag}/{name}", s.downloadAsset)
}

func (s *Server) assetJSON(rp *repo, rel *Release, a *Asset) obj {
	var digest, label any
	if !a.NoDigest {
		digest = a.Digest
	}
	if a.Label != "" {
		label = a.Label
	}
	return obj{"id": a.ID, "node_id": nodeID("RA", a.ID), "name": a.Name, "label": label, "state": "uploaded",
		"content_type": a.ContentType, "size": a.Size, "digest": digest, "download_count": a.DownloadCount,
		"created_at": ts(a.CreatedAt), "updated_at": ts(a.UpdatedAt), "uploader": s.userJSON(a.Uploader),
		"url":                  s.apiURL("/repos/%s/releases/assets/%d", rp.FullName(), a.ID),
		"browser_download_url": s.AssetURL(rp.Owner, rp.Name, rel.Tag, a.Name)}
}

func (s *Server) releaseJSON(rp *repo, rel *Release) obj {
	assets := []obj{}
	for i := range rel.Assets {
		assets = append(assets, s.assetJSON(rp, rel, &rel.Assets[i]))
	}
	base := s.apiURL("/repos/%s/releases/%d", rp.FullName(), rel.ID)
	return obj{"id": rel.ID, "node_id": nodeID("RE", rel.ID), "tag_name": rel.Tag, "name": rel.Name, "body": rel.Body,
		"target_commitish": rel.TargetCommitish, "draft": rel.Draft, "prerelease": rel.Prerelease,
		"immutable": rel.Immutable, "created_at": ts(rel.CreatedAt), "published_at": ts(rel.PublishedAt),
		"author": s.userJSON(rel.Author), "assets": assets, "url": base, "assets_url": base + "/assets",
		"upload_url":  strings.Replace(base, APIPrefix, APIPrefix+"/uploads", 1) + "/assets{?name,label}",
		"html_url":    s.htmlURL("/%s/releases/tag/%s", rp.FullName(), url.PathEscape(rel.Tag)),
		"tarball_url": s.apiURL("/repos/%s/tarball/%s", rp.FullName(), rel.Tag),
		"zipball_url": s.apiURL("/repos/%s/zipball/%s", rp.FullName(), rel.Tag)}
}

func (s *Server) listReleases(c *call) {
	list := slices.Clone(c.repo.releases)
	sort.SliceStable(list, func(i, j int) bool { return list[i].CreatedAt.After(list[j].CreatedAt) })
	out := []obj{}
	for _, rel := range paginate(c, list) {
		out = append(out, s.releaseJSON(c.repo, rel))
	}
	c.json(http.StatusOK, out)
}

func (s *Server) latestRelease(c *call) {
	var latest *Release
	for _, r := range c.repo.releases {
		if !r.Draft && !r.Prerelease && (latest == nil || !r.CreatedAt.Before(latest.CreatedAt)) {
			latest = r
		}
	}
	if latest == nil {
		c.notFound()
		return
	}
	c.json(http.StatusOK, s.releaseJSON(c.repo, latest))
}

// releaseByTag does not return drafts, like GitHub.
func (s *Server) releaseByTag(c *call) {
	rel := findRelease(c.repo, c.param("tag"), false)
	if rel == nil {
		c.notFound()
		return
	}
	c.json(http.StatusOK, s.releaseJSON(c.repo, rel))
}

func (c *call) releaseParam() *Release {
	id, ok := c.intParam("id")
	if !ok {
		return nil
	}
	for _, r := range c.repo.releases {
		if r.ID == id {
			return r
		}
	}
	c.notFound()
	return nil
}

func (s *Server) getRelease(c *call) {
	if rel := c.releaseParam(); rel != nil {
		c.json(http.StatusOK, s.releaseJSON(c.repo, rel))
	}
}

func (s *Server) listAssets(c *call) {
	rel := c.releaseParam()
	if rel == nil {
		return
	}
	out := []obj{}
	for i := range rel.Assets {
		out = append(out, s.assetJSON(c.repo, rel, &rel.Assets[i]))
	}
	c.json(http.StatusOK, paginate(c, out))
}

// getAsset serves the asset's metadata, or with Accept:
// application/octet-stream redirects to its bytes as GitHub does.
func (s *Server) getAsset(c *call) {
	id, ok := c.intParam("id")
	if !ok {
		return
	}
	for _, rel := range c.repo.releases {
		for i := range rel.Assets {
			a := &rel.Assets[i]
			if a.ID != id {
				continue
			}
			if strings.Contains(c.r.Header.Get("Accept"), "application/octet-stream") {
				c.w.Header().Set("Location", s.signedAssetURL(c.repo, rel, a))
				c.w.WriteHeader(http.StatusFound)
				return
			}
			c.json(http.StatusOK, s.assetJSON(c.repo, rel, a))
			return
		}
	}
	c.notFound()
}

// downloadAsset serves an asset's bytes at its browser download URL; draft
// assets are not public.
func (s *Server) downloadAsset(c *call) {
	rp := s.repos[repoKey(c.param("owner"), c.param("repo"))]
	if rp == nil || !s.downloadable(c, rp) {
		c.w.WriteHeader(http.StatusNotFound)
		return
	}
	rel := findRelease(rp, c.param("tag"), false)
	if rel != nil {
		for i := range rel.Assets {
			if a := &rel.Assets[i]; a.Name == c.param("name") {
				a.DownloadCount++
				c.w.Header().Set("Content-Type", a.ContentType)
				c.w.Write(a.Content)
				return
			}
		}
	}
	c.w.WriteHeader(http.StatusNotFound)
}

// DeleteAsset removes the asset name from the release with tag, as the
// Releases UI does: its download URL answers 404 from then on.
func (s *Server) DeleteAsset(owner, name, tag, asset string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t.Helper()
	rel := findRelease(s.repoOrFail(owner, name), tag, true)
	if rel == nil {
		s.t.Fatalf("ghfake: DeleteAsset: %s/%s has no release %q", owner, name, tag)
	}
	rel.Assets = slices.DeleteFunc(rel.Assets, func(a Asset) bool { return a.Name == asset })
}

// DeleteRelease removes the release with tag and its assets.
func (s *Server) DeleteRelease(owner, name, tag string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repoOrFail(owner, name)
	rp.releases = slices.DeleteFunc(rp.releases, func(r *Release) bool { return r.Tag == tag })
}
