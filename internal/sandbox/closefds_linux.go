package sandbox

// The child must not keep descriptors it inherited beyond stdin, stdout
// and stderr: Go opens its own files close-on-exec, but C code linked into
// the server (SQLite, drivers) or a future change might not. They are
// closed here, in a C constructor, because it runs before the Go runtime
// starts: by the time Go code runs, the runtime has opened files of its
// own (the cgroup CPU quota it watches for GOMAXPROCS), which must stay.

/*
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

__attribute__((constructor)) static void pindrift_sandbox_close_inherited(int argc, char **argv, char **envp) {
	(void)envp;
	if (argc < 2 || strcmp(argv[1], "__pindrift-sandbox-child") != 0) {
		return;
	}
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3, ~0U, 0) == 0) {
		return;
	}
#endif
	// Kernels before 5.9 lack close_range: close one by one.
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > (1L << 20)) {
		max = 1L << 20;
	}
	for (long fd = 3; fd < max; fd++) {
		close((int)fd);
	}
}
*/
import "C"
