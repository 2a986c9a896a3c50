// Package progress draws verify's transfers on a terminal: one bar per
// transfer in flight, with bytes, total and rate. It implements
// verify.Observer and imports verify and the bar library only; whether a
// terminal is there to draw on is the caller's decision (cmd/bot), and
// nothing in the App (runner, server) uses it.
package progress

import (
	"context"
	"io"
	"path"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/pindrift/pindrift/internal/verify"
)

// Bars draws one bar per transfer in flight; finished bars disappear so
// the report that follows stands alone.
type Bars struct {
	p *mpb.Progress
}

var _ verify.Observer = (*Bars)(nil)

// New draws on w until ctx ends or Wait returns.
func New(ctx context.Context, w io.Writer) *Bars {
	return &Bars{p: mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithWidth(32))}
}

// Transfer adds a bar for one attempt at url; size is -1 when unknown.
func (b *Bars) Transfer(url string, size int64) verify.Transfer {
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
	return &transfer{bar: bar}
}

// Wait blocks until every bar is drawn for the last time.
func (b *Bars) Wait() { b.p.Wait() }

type transfer struct{ bar *mpb.Bar }

func (p *transfer) Add(n int) { p.bar.IncrBy(n) }

func (p *transfer) Done(err error) {
	if err != nil {
		p.bar.Abort(true)
		return
	}
	p.bar.SetTotal(-1, true)
}
