package jobs

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pindrift/pindrift/internal/runner"
)

// TestStoredArgsStayReadable: jobs queued by an earlier release sit in
// River's job table as JSON and must run after an upgrade. The documents
// below are what pindrift stored before the requests moved to runner;
// they must decode to the same request, and encode back to the same
// bytes, so that River's unique-args hash (taken over key and gen) and
// anything reading the table see no difference.
func TestStoredArgsStayReadable(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		stored string
		decode func([]byte) (any, error)
		want   any
	}{
		"verify_repo": {
			stored: `{"installation_id":7,"owner":"Acme","repo":"MicroVM","trigger":"/pindrift recheck by @octocat on #3",` +
				`"delivery_id":"d-1","push_sha":"1a2b3c4d","paths":["images/published.py"],"require_write":"octocat",` +
				`"issue":3,"swept":true,"key":"verify/acme/microvm@1a2b3c4d?by=octocat~sweep","gen":2}`,
			decode: func(b []byte) (any, error) { var a verifyRepoJob; err := json.Unmarshal(b, &a); return a, err },
			want: verifyRepoJob{
				VerifyRepo: VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 7, Owner: "Acme", Repo: "MicroVM",
					Trigger: "/pindrift recheck by @octocat on #3", DeliveryID: "d-1", PushSHA: "1a2b3c4d",
					Paths: []string{"images/published.py"}, RequireWrite: "octocat", Issue: 3}, Swept: true},
				Key: "verify/acme/microvm@1a2b3c4d?by=octocat~sweep", Gen: 2,
			},
		},
		"verify_repo of a sweep, fields left out": {
			stored: `{"installation_id":9,"owner":"b","repo":"r1","trigger":"nightly sweep","swept":true,"key":"verify/b/r1~sweep","gen":0}`,
			decode: func(b []byte) (any, error) { var a verifyRepoJob; err := json.Unmarshal(b, &a); return a, err },
			want: verifyRepoJob{
				VerifyRepo: VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 9, Owner: "b", Repo: "r1",
					Trigger: "nightly sweep"}, Swept: true},
				Key: "verify/b/r1~sweep",
			},
		},
		"check_pr": {
			stored: `{"installation_id":7,"owner":"acme","repo":"microvm","pr":12,"head_sha":"abc123","trigger":"opened",` +
				`"delivery_id":"d-2","key":"check_pr/acme/microvm#12@abc123","gen":0}`,
			decode: func(b []byte) (any, error) { var a checkPRJob; err := json.Unmarshal(b, &a); return a, err },
			want: checkPRJob{
				CheckPR: CheckPR{PRRequest: runner.PRRequest{InstallationID: 7, Owner: "acme", Repo: "microvm", Number: 12,
					HeadSHA: "abc123", Trigger: "opened", DeliveryID: "d-2"}},
				Key: "check_pr/acme/microvm#12@abc123",
			},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.decode([]byte(tt.stored))
			if err != nil {
				t.Fatalf("decode stored job: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("stored job decoded (-want +got):\n%s", diff)
			}
			again, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if string(again) != tt.stored {
				t.Errorf("encoded again:\n%s\nwant the stored bytes:\n%s", again, tt.stored)
			}
		})
	}
}

// TestStoredKeysMatch: the coalescing key stored with a job is the one a
// new event for the same request computes, so events after an upgrade
// still coalesce with jobs queued before it.
func TestStoredKeysMatch(t *testing.T) {
	t.Parallel()
	v := VerifyRepo{VerifyRequest: runner.VerifyRequest{InstallationID: 7, Owner: "Acme", Repo: "MicroVM",
		PushSHA: "1a2b3c4d", RequireWrite: "octocat"}, Swept: true}
	if got, want := v.coalesceKey(), "verify/acme/microvm@1a2b3c4d?by=octocat~sweep"; got != want {
		t.Errorf("verify key = %q, want %q", got, want)
	}
	pr := CheckPR{PRRequest: runner.PRRequest{InstallationID: 7, Owner: "acme", Repo: "microvm", Number: 12, HeadSHA: "ABC123"}}
	if got, want := pr.coalesceKey(), "check_pr/acme/microvm#12@abc123"; got != want {
		t.Errorf("check key = %q, want %q", got, want)
	}
}
