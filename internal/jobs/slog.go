package jobs

import (
	"context"
	"log/slog"
	"strings"

	"github.com/rs/zerolog"
)

// newSlogLogger sends River's slog output to a zerolog logger. River's
// info and debug lines (leader elections, maintenance runs) are noise at
// pindrift's info level: only a logger at debug or below passes them on.
func newSlogLogger(l zerolog.Logger) *slog.Logger {
	if l.GetLevel() > zerolog.DebugLevel && l.GetLevel() < zerolog.WarnLevel {
		l = l.Level(zerolog.WarnLevel)
	}
	return slog.New(&slogHandler{l: l.With().Str("component", "river").Logger()})
}

type slogHandler struct {
	l      zerolog.Logger
	prefix string // group names joined with "."
}

func zerologLevel(l slog.Level) zerolog.Level {
	switch {
	case l >= slog.LevelError:
		return zerolog.ErrorLevel
	case l >= slog.LevelWarn:
		return zerolog.WarnLevel
	case l >= slog.LevelInfo:
		return zerolog.InfoLevel
	default:
		return zerolog.DebugLevel
	}
}

func (h *slogHandler) Enabled(_ context.Context, l slog.Level) bool {
	zl := zerologLevel(l)
	return zl >= h.l.GetLevel() && zl >= zerolog.GlobalLevel()
}

func (h *slogHandler) Handle(_ context.Context, r slog.Record) error {
	level := zerologLevel(r.Level)
	if strings.Contains(r.Message, "appears to be stuck") || strings.Contains(r.Message, "became unstuck") {
		// River's timeout is the rescue horizon, not a limit on the run
		// (see runTimed): a long download outliving it is expected.
		level = zerolog.DebugLevel
		if level < h.l.GetLevel() || level < zerolog.GlobalLevel() {
			return nil
		}
	}
	e := h.l.WithLevel(level)
	r.Attrs(func(a slog.Attr) bool {
		addAttr(e, h.prefix, a)
		return true
	})
	e.Msg(r.Message)
	return nil
}

func (h *slogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := h.l.With()
	for _, a := range attrs {
		c = c.Interface(h.prefix+a.Key, a.Value.Resolve().Any())
	}
	return &slogHandler{l: c.Logger(), prefix: h.prefix}
}

func (h *slogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &slogHandler{l: h.l, prefix: h.prefix + name + "."}
}

func addAttr(e *zerolog.Event, prefix string, a slog.Attr) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		for _, g := range v.Group() {
			addAttr(e, prefix+a.Key+".", g)
		}
		return
	}
	switch v.Kind() {
	case slog.KindString:
		e.Str(prefix+a.Key, v.String())
	case slog.KindInt64:
		e.Int64(prefix+a.Key, v.Int64())
	case slog.KindDuration:
		e.Dur(prefix+a.Key, v.Duration())
	case slog.KindTime:
		e.Time(prefix+a.Key, v.Time())
	case slog.KindBool:
		e.Bool(prefix+a.Key, v.Bool())
	default:
		if err, ok := v.Any().(error); ok {
			e.AnErr(prefix+a.Key, err)
			return
		}
		e.Interface(prefix+a.Key, v.Any())
	}
}
