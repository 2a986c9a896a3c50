package report

import (
	"bytes"
	"io"

	"github.com/pindrift/pindrift/internal/verify"
)

// Targets says where one run's report goes; the caller decides from its
// flags and its environment.
type Targets struct {
	Out io.Writer // the text report, or with JSON the Document
	// Err takes the annotations when JSON is set: the runner reads
	// workflow commands from stderr too, and Out stays one JSON document.
	Err  io.Writer
	JSON bool
	File *File // --json-file, or nil
	// Actions is set in a GitHub Actions job: annotations are written, and
	// the step summary appended to StepSummary if it is not "".
	Actions     bool
	StepSummary string
}

// Undelivered is what could not be written without the run failing: the
// verdict still stands, and the caller says so and decides the exit.
type Undelivered struct {
	File        error // the --json-file report was lost
	StepSummary error // the job summary was not appended to
}

// Deliver writes the report of a run over ms to every target. The
// Document is encoded once, so Out and File hold the same bytes. An error
// is a write to Out or Err that failed. A run over one readable file
// reports as runs did before they took several files.
func Deliver(t Targets, ms []Manifest, rep *verify.Report) (Undelivered, error) {
	var u Undelivered
	var doc []byte
	if t.JSON || t.File != nil {
		var buf bytes.Buffer
		if err := WriteFilesJSON(&buf, ms, rep); err != nil {
			return u, err
		}
		doc = buf.Bytes()
	}
	if t.File != nil {
		u.File = t.File.Commit(doc)
	}
	var err error
	if t.JSON {
		_, err = t.Out.Write(doc)
	} else {
		err = WriteFilesText(t.Out, ms, rep)
	}
	if err != nil || !t.Actions {
		return u, err
	}
	aw := t.Out
	if t.JSON {
		aw = t.Err
	}
	if err := WriteFilesAnnotations(aw, ms, rep); err != nil {
		return u, err
	}
	if t.StepSummary != "" {
		u.StepSummary = AppendStepSummary(t.StepSummary, ms, rep)
	}
	return u, nil
}
