package report

import (
	"io"

	"github.com/pindrift/pindrift/internal/verify"
)

// WriteFilesText is WriteText for a run over ms: a heading per file with
// its verdict and counts, the file's blocks under it (an asset pinned in
// several files shows under each, with that file's pins), a line for each
// file that could not be checked, then a total line over every file.
func WriteFilesText(w io.Writer, ms []Manifest, rep *verify.Report) error {
	if res := single(ms); res != nil {
		return WriteText(w, res, rep)
	}
	ew := &errWriter{w: w}
	for _, v := range splitByFile(ms, rep) {
		if v.Err != nil {
			ew.printf("==> %s: NOT CHECKED: %s\n\n", Printable(v.File), Printable(errLine(v.Err)))
			continue
		}
		ew.printf("==> %s: %s\n\n", Printable(v.File), summaryLine(v.rep.Summary))
		writeBlocks(ew, v.Result, v.rep)
	}
	ew.printf("%s\n", totalLine(len(ms), Unreadable(ms), rep.Summary))
	return ew.err
}

// totalLine is the verdict over every file: drift first, then files that
// could not be checked, whose absence must not read as "OK".
func totalLine(files, unreadable int, s verify.Summary) string {
	v := verdict(s)
	if unreadable > 0 && s.Drift == 0 {
		v = "NOT CHECKED: " + Count(unreadable, "file", "files") + " could not be read or evaluated"
	}
	head := "TOTAL " + Count(files, "file", "files")
	if unreadable > 0 {
		head += " (" + Count(unreadable, "not checked", "not checked") + ")"
	}
	return head + ": " + v + " — " + counts(s)
}
