package sandbox_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/sandbox"
)

// gone reports whether process pid has ended (a zombie nobody reaped
// counts: it runs nothing and holds no memory).
func gone(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	_, after, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(after, "Z") || strings.HasPrefix(after, "X")
}

func waitGone(t *testing.T, pid int, why string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("child %d still runs 10 s after %s", pid, why)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCloseKillsTheSpare: a closed Extractor leaves no child behind.
func TestCloseKillsTheSpare(t *testing.T) {
	t.Parallel()
	x := newExtractor(t, sandbox.Limits{})
	pid := sandbox.SparePID(x)
	x.Close()
	waitGone(t, pid, "Close")
}

// TestChildDiesWithItsParent: when the server is killed outright (no
// Close, no cleanup), a child busy with a manifest dies with it rather
// than run on. (A child waiting for its request would end anyway, at the
// end of its stdin.)
func TestChildDiesWithItsParent(t *testing.T) {
	t.Parallel()
	if os.Getenv("SANDBOX_TEST_PARENT") == "1" {
		t.Skip("run as the helper parent")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperParent$", "-test.v")
	cmd.Env = append(os.Environ(), "SANDBOX_TEST_PARENT=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pid := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "SPARE "); ok {
			pid, _ = strconv.Atoi(v)
			break
		}
	}
	if pid == 0 {
		t.Fatal("the helper parent did not report its child")
	}
	if gone(pid) {
		t.Fatalf("child %d is not running before its parent dies", pid)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitGone(t, pid, "its parent was killed")
}

// TestHelperParent is the parent process of TestChildDiesWithItsParent:
// it has a child evaluate a manifest that never ends, reports the child's
// pid and waits to be killed.
func TestHelperParent(t *testing.T) {
	if os.Getenv("SANDBOX_TEST_PARENT") != "1" {
		t.Skip("helper process for TestChildDiesWithItsParent")
	}
	x := newExtractor(t, sandbox.Limits{Timeout: time.Minute})
	fmt.Printf("SPARE %d\n", sandbox.SparePID(x)) // the child the next extraction takes
	_, err := x.Extract(context.Background(), "m.py", []byte(sandbox.FaultPrefix+"hang\n"), pin.Options{})
	t.Errorf("the hanging extraction returned: %v", err)
}
