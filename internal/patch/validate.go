package patch

import (
	"context"
	"fmt"
	"reflect"

	"github.com/pindrift/pindrift/internal/pin"
)

// validate extracts patched with the options of the original extraction and
// checks it yields exactly the original pins, findings included, except
// that each pin fed by an edited literal now promises the new digest in
// the same encoding. It returns "" when it does, else what differs. This
// guards against anything the span bookkeeping got wrong: a span off by a
// byte, code that branches on a SHA's value, a literal that feeds a pin
// nobody accounted for.
func validate(ctx context.Context, extract pin.ExtractFunc, file string, patched []byte, opts pin.Options, orig *pin.Result, edits []edit) string {
	got, err := extract(ctx, file, patched, opts)
	if err != nil {
		return fmt.Sprintf("extracting it fails: %v", err)
	}
	newDigest := make(map[[2]int]string, len(edits))
	for _, e := range edits {
		newDigest[[2]int{e.change.Span.Start, e.change.Span.End}] = e.change.Digest
	}
	if len(got.Pins) != len(orig.Pins) {
		pins := "pins"
		if len(got.Pins) == 1 {
			pins = "pin"
		}
		return fmt.Sprintf("it has %d %s, the original %d", len(got.Pins), pins, len(orig.Pins))
	}
	for i, w := range orig.Pins {
		g := got.Pins[i]
		want := w.Key()
		if d, ok := newDigest[[2]int{w.SHASpan.Start, w.SHASpan.End}]; ok && !w.SHASpan.IsZero() {
			want.Hex = d
		}
		if g.Key() != want {
			return fmt.Sprintf("%s (%s) pins %s %s, want %s %s", g.Path, Location(file, g.SHASpan), g.Key().Algorithm, g.Key().Hex, want.Algorithm, want.Hex)
		}
		if g.Encoding != w.Encoding {
			return fmt.Sprintf("%s (%s) is written as %s, was %s", g.Path, Location(file, g.SHASpan), g.Encoding, w.Encoding)
		}
		if gr, wr := withoutDigest(g), withoutDigest(w); !reflect.DeepEqual(gr, wr) {
			return fmt.Sprintf("pin %d changed beyond its digest: %+v, want %+v", i, gr, wr)
		}
	}
	if !reflect.DeepEqual(got.Unresolved, orig.Unresolved) || !reflect.DeepEqual(got.Invalid, orig.Invalid) {
		return fmt.Sprintf("its unresolved or invalid pins differ (%d unresolved, %d invalid; the original %d and %d)",
			len(got.Unresolved), len(got.Invalid), len(orig.Unresolved), len(orig.Invalid))
	}
	return ""
}

// withoutDigest is p without the fields a rewrite changes: what it
// promises and how that is spelled, compared on their own.
func withoutDigest(p pin.Pin) pin.Pin {
	p.SHA256, p.Algorithm, p.Digest, p.Encoding = "", "", "", ""
	return p
}
