package patch

import (
	"context"
	"fmt"
	"reflect"

	"github.com/pindrift/pindrift/internal/pin"
)

// validate extracts patched with the options of the original extraction and
// checks it yields exactly the original pins, findings included, except
// that each pin fed by an edited literal now holds the new digits. It
// returns "" when it does, else what differs. This guards against anything
// the span bookkeeping got wrong: a span off by a byte, code that branches
// on a SHA's value, a literal that feeds a pin nobody accounted for.
func validate(ctx context.Context, extract pin.ExtractFunc, file string, patched []byte, opts pin.Options, orig *pin.Result, edits []edit) string {
	got, err := extract(ctx, file, patched, opts)
	if err != nil {
		return fmt.Sprintf("extracting it fails: %v", err)
	}
	newSHA := make(map[[2]int]string, len(edits))
	for _, e := range edits {
		newSHA[[2]int{e.change.Span.Start, e.change.Span.End}] = e.change.New
	}
	want := make([]pin.Pin, len(orig.Pins))
	for i, p := range orig.Pins {
		if s, ok := newSHA[[2]int{p.SHASpan.Start, p.SHASpan.End}]; ok && !p.SHASpan.IsZero() {
			p.SHA256 = s
		}
		want[i] = p
	}
	if len(got.Pins) != len(want) {
		pins := "pins"
		if len(got.Pins) == 1 {
			pins = "pin"
		}
		return fmt.Sprintf("it has %d %s, the original %d", len(got.Pins), pins, len(want))
	}
	for i := range want {
		w, g := want[i], got.Pins[i]
		if reflect.DeepEqual(w, g) {
			continue
		}
		if w.SHA256 != g.SHA256 {
			return fmt.Sprintf("%s (%s) pins %s, want %s", g.Path, Location(file, g.SHASpan), g.SHA256, w.SHA256)
		}
		return fmt.Sprintf("pin %d changed beyond its SHA-256: %+v, want %+v", i, g, w)
	}
	if !reflect.DeepEqual(got.Unresolved, orig.Unresolved) || !reflect.DeepEqual(got.Invalid, orig.Invalid) {
		return fmt.Sprintf("its unresolved or invalid pins differ (%d unresolved, %d invalid; the original %d and %d)",
			len(got.Unresolved), len(got.Invalid), len(orig.Unresolved), len(orig.Invalid))
	}
	return ""
}
