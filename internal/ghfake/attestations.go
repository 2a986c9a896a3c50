package ghfake

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
)

// Attestation is a build provenance attestation for an artifact digest.
type Attestation struct {
	Repository    string // "owner/repo" whose workflow built the artifact
	Workflow      string // e.g. ".github/workflows/release.yml"
	Ref           string // e.g. "refs/tags/v1.2.3"
	PredicateType string // "https://slsa.dev/provenance/v1" when empty
}

// AddAttestation attaches an attestation to digest ("sha256:<hex>" or bare
// hex) in a repository.
func (s *Server) AddAttestation(owner, name, digest string, a Attestation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !strings.Contains(digest, ":") {
		digest = "sha256:" + digest
	}
	if a.PredicateType == "" {
		a.PredicateType = "https://slsa.dev/provenance/v1"
	}
	rp := s.repoFor(owner, name)
	rp.attests[strings.ToLower(digest)] = append(rp.attests[strings.ToLower(digest)], a)
}

func (s *Server) registerAttestationRoutes() {
	s.api("GET /repos/{owner}/{repo}/attestations/{digest}", s.listAttestations)
}

// attestationJSON renders a sigstore bundle whose DSSE payload is the
// in-toto statement; signatures and certificates are placeholders.
func (s *Server) attestationJSON(rp *repo, digest string, a Attestation) obj {
	algo, hexDigest, _ := strings.Cut(digest, ":")
	statement := obj{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []obj{{"name": "artifact", "digest": obj{algo: hexDigest}}},
		"predicateType": a.PredicateType,
		"predicate": obj{
			"buildDefinition": obj{
				"buildType": "https://actions.github.io/buildtypes/workflow/v1",
				"externalParameters": obj{"workflow": obj{"ref": a.Ref,
					"repository": "https://github.com/" + a.Repository, "path": a.Workflow}},
			},
			"runDetails": obj{"builder": obj{"id": "https://github.com/" + a.Repository + "/" + a.Workflow + "@" + a.Ref}},
		},
	}
	payload, _ := json.Marshal(statement) // maps of strings always marshal
	return obj{"repository_id": rp.ID, "bundle_url": nil, "bundle": obj{
		"mediaType":            "application/vnd.dev.sigstore.bundle.v0.3+json",
		"verificationMaterial": obj{"certificate": obj{"rawBytes": ""}, "tlogEntries": []obj{}},
		"dsseEnvelope": obj{"payload": base64.StdEncoding.EncodeToString(payload),
			"payloadType": "application/vnd.in-toto+json", "signatures": []obj{{"sig": ""}}},
	}}
}

func (s *Server) listAttestations(c *call) {
	digest := strings.ToLower(c.param("digest"))
	pt := c.r.URL.Query().Get("predicate_type")
	out := []obj{}
	for _, a := range c.repo.attests[digest] {
		if pt == "" || pt == a.PredicateType || (pt == "provenance" && strings.Contains(a.PredicateType, "slsa.dev/provenance")) {
			out = append(out, s.attestationJSON(c.repo, digest, a))
		}
	}
	if len(out) == 0 {
		c.notFound()
		return
	}
	c.json(http.StatusOK, obj{"attestations": paginate(c, out)})
}
