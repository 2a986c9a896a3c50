package main

import (
	"context"
	"io"
	"os"
	"path"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"

	"github.com/pindrift/pindrift/internal/verify"
)

// isTerminal reports whether w is a terminal, where progress bars belong.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressBars draws one bar per transfer in flight, with bytes, total and
// rate; finished bars disappear so the report that follows stands alone.
type progressBars struct {
	p *mpb.Progress
}

var _ verify.Observer = (*progressBars)(nil)

func newProgressBars(ctx context.Context, w io.Writer) *progressBars {
	return &progressBars{p: mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithWidth(32))}
}

func (b *progressBars) Transfer(url string, size int64) verify.Transfer {
	name := path.Base(url)
	if len(name) > 28 {
		name = name[:27] + "…"
	}
	total := size
	if total < 0 {
		total = 0 // unknown: mpb completes it when told
	}
	bar := b.p.AddBar(total,
		mpb.PrependDecorators(decor.Name(name, decor.WC{C: decor.DindentRight | decor.DextraSpace, W: 29}),
			decor.CountersKibiByte("% .1f / % .1f", decor.WC{W: 24})),
		mpb.AppendDecorators(decor.AverageSpeed(decor.SizeB1024(0), "% .1f", decor.WC{W: 14})),
		mpb.BarRemoveOnComplete(),
	)
	return &progressBar{bar: bar}
}

// Wait blocks until every bar is drawn for the last time.
func (b *progressBars) Wait() { b.p.Wait() }

type progressBar struct{ bar *mpb.Bar }

func (p *progressBar) Add(n int) { p.bar.IncrBy(n) }

func (p *progressBar) Done(err error) {
	if err != nil {
		p.bar.Abort(true)
		return
	}
	p.bar.SetTotal(-1, true)
}
