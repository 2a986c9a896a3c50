package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

// FaultPrefix starts a manifest's first line to make a child started by a
// test binary misbehave on purpose (see MainWithFaults), e.g.
// "#sandbox-fault: stack".
const FaultPrefix = "#sandbox-fault: "

// MainWithFaults is Main for test binaries: a child also obeys a first line
// FaultPrefix + one of
//
//	stack   recurse until the Go stack limit (a fatal error no recover catches)
//	cpu     spin on the CPU forever
//	memory  allocate and touch memory forever
//	hang    sleep forever, using no CPU
//	garbage write a response that is not JSON
//	env     answer with its environment, one variable per line, as Result.File
//	status  evaluate the rest, then answer with /proc/self/status as Result.File
//	fds     answer with its open descriptors (fd->target), comma-separated, as Result.File
//
// so that tests prove the sandbox contains failures whatever the
// interpreter fixes. bot's main calls Main, so no manifest can reach these.
func MainWithFaults() { mainWith(fault) }

var sink []byte

func fault(src []byte) (*pin.Result, bool) {
	line, _, _ := bytes.Cut(src, []byte("\n"))
	name, ok := strings.CutPrefix(string(line), FaultPrefix)
	if !ok {
		return nil, false
	}
	switch strings.TrimSpace(name) {
	case "stack":
		recurse(0)
	case "cpu":
		for i := 0; ; i++ {
			sink = strconv.AppendInt(sink[:0], int64(i), 10)
		}
	case "memory":
		var keep [][]byte
		for {
			b := make([]byte, 8<<20)
			for i := 0; i < len(b); i += 4096 {
				b[i] = 1 // touch every page, so it is really used
			}
			keep = append(keep, b)
		}
	case "hang":
		time.Sleep(time.Hour)
	case "garbage":
		os.Stdout.WriteString("this is not JSON\n")
		os.Exit(0)
	case "status":
		// Evaluate the rest, then report the process's memory figures.
		_, rest, _ := bytes.Cut(src, []byte("\n"))
		_, err := extract.File(context.Background(), "m.py", rest, pin.Options{})
		status, _ := os.ReadFile("/proc/self/status")
		return &pin.Result{File: fmt.Sprintf("%v\n%s", err, status), Pins: []pin.Pin{}}, true
	case "env":
		return &pin.Result{File: strings.Join(os.Environ(), "\n"), Pins: []pin.Pin{}}, true
	case "fds":
		entries, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			return &pin.Result{File: "error: " + err.Error()}, true
		}
		var names []string
		for _, e := range entries {
			target, _ := os.Readlink("/proc/self/fd/" + e.Name())
			names = append(names, e.Name()+"->"+target)
		}
		return &pin.Result{File: strings.Join(names, ","), Pins: []pin.Pin{}}, true
	}
	return nil, false
}

func recurse(n int) int {
	var pad [256]byte
	pad[n%256] = byte(n)
	return recurse(n+1) + int(pad[0])
}
