package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/pin/extract"
)

// pinsFlags are the extraction flags shared by every command that reads a
// manifest (pins, check, fix).
type pinsFlags struct {
	fs        *pflag.FlagSet
	symbols   string
	env       []string
	platforms []string
}

func (f *pinsFlags) register(cmd *cobra.Command) {
	f.fs = cmd.Flags()
	cmd.Flags().StringVar(&f.symbols, "symbols", strings.Join(pin.DefaultSymbols, ","),
		`module-level names to walk for pins, comma-separated, or "all"`)
	cmd.Flags().StringArrayVar(&f.env, "env", nil,
		"environment variable the manifest sees through os.environ, as NAME=VALUE (repeatable)")
	cmd.Flags().StringArrayVar(&f.platforms, "platform", nil,
		"platform to evaluate under: linux, darwin or windows, optionally /MACHINE (repeatable; pins are the union; default linux)")
}

// options turns the flags into extraction options, or an error saying which
// flag is wrong.
func (f *pinsFlags) options() (pin.Options, error) {
	var opts pin.Options
	if f.fs != nil && !f.fs.Changed("symbols") {
		// Left at the default: a module without one of the default
		// symbols is normal, so it is not reported as missing.
		f.symbols = ""
	} else if strings.TrimSpace(f.symbols) == "" {
		return opts, fmt.Errorf("--symbols: no symbol named")
	}
	for _, s := range strings.Split(f.symbols, ",") {
		if s = strings.TrimSpace(s); s != "" {
			opts.Symbols = append(opts.Symbols, s)
		}
	}
	if len(f.env) > 0 {
		opts.Env = make(map[string]string, len(f.env))
	}
	for _, kv := range f.env {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return opts, fmt.Errorf("--env %q: want NAME=VALUE", kv)
		}
		opts.Env[name] = value
	}
	for _, s := range f.platforms {
		p, err := pin.ParsePlatform(s)
		if err != nil {
			return opts, fmt.Errorf("--platform: %w", err)
		}
		opts.Platforms = append(opts.Platforms, p)
	}
	return opts, nil
}

// extract reads and evaluates file. Every error it returns is unusable
// input (exit 3).
func (f *pinsFlags) extract(ctx context.Context, file string) (*pin.Result, error) {
	opts, err := f.options()
	if err != nil {
		return nil, badInput(err)
	}
	src, err := readLimited(file, manifestReadLimit(opts))
	if err != nil {
		return nil, badInput(err)
	}
	res, err := extract.File(ctx, file, src, opts)
	if err != nil {
		return nil, badInput(err)
	}
	return res, nil
}

func manifestReadLimit(opts pin.Options) int {
	if opts.MaxFileBytes > 0 {
		return opts.MaxFileBytes
	}
	return pin.DefaultMaxFileBytes
}

// readLimited reads at most limit+1 bytes of file, so a huge or endless
// file (a FIFO, /dev/zero) is refused instead of exhausting memory; the
// extractor reports the size error.
func readLimited(file string, limit int) ([]byte, error) {
	fh, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	src, err := io.ReadAll(io.LimitReader(fh, int64(limit)+1))
	if err == nil && len(src) > limit {
		// Say the real size when there is one: a regular file's.
		size := -1
		if st, serr := fh.Stat(); serr == nil && st.Mode().IsRegular() && st.Size() > int64(limit) {
			size = int(min(st.Size(), math.MaxInt))
		}
		return nil, &pin.TooLargeError{File: file, Size: size, Limit: limit}
	}
	return src, err
}

func newPinsCmd() *cobra.Command {
	var (
		flags   pinsFlags
		asJSON  bool
		onlyUni bool
	)
	cmd := &cobra.Command{
		Use:   "pins FILE",
		Short: "List the (url, sha256) pins a Python manifest promises, without executing it",
		Long: `pins evaluates a Python module statically and lists every (url, sha256)
pin reachable from the chosen module-level symbols, with the source location
of each SHA literal. Repository code is never executed.

Exit status: 0 when the file was evaluated (even if some pins are
unresolved), 3 when the input or the flags are unusable.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := flags.extract(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if onlyUni {
				res.Pins = res.Unique()
			}
			if asJSON {
				return writePinsJSON(cmd.OutOrStdout(), res)
			}
			return writePinsTable(cmd.OutOrStdout(), res)
		},
	}
	flags.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of a table")
	cmd.Flags().BoolVar(&onlyUni, "unique", false, "list each distinct (url, sha256) pair once")
	return cmd
}

func writePinsJSON(w io.Writer, res *pin.Result) error {
	// Empty lists print as [] rather than null: consumers index into them.
	out := *res
	if out.Pins == nil {
		out.Pins = []pin.Pin{}
	}
	if out.Unresolved == nil {
		out.Unresolved = []pin.Finding{}
	}
	if out.Invalid == nil {
		out.Invalid = []pin.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writePinsTable(w io.Writer, res *pin.Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LOCATION\tPATH\tSHA256\tURL")
	for _, p := range res.Pins {
		fmt.Fprintf(tw, "%s:%d:%d\t%s\t%s\t%s\n", printable(res.File), p.SHASpan.Line, p.SHASpan.Column,
			printable(p.Path), printable(p.SHA256), printable(p.URL))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range res.Invalid {
		// A finding's message starts with the pin's path.
		fmt.Fprintf(w, "invalid:    %s: %s\n", printable(f.Where(res.File)), printable(f.Message))
	}
	for _, f := range res.Unresolved {
		fmt.Fprintf(w, "unresolved: %s: %s\n", printable(f.Where(res.File)), printable(f.Message))
	}
	_, err := fmt.Fprintf(w, "%s (%d unique), %d unresolved, %d invalid\n",
		count(len(res.Pins), "pin", "pins"), len(res.Unique()), len(res.Unresolved), len(res.Invalid))
	return err
}

// count is "1 pin", "2 pins": n with the noun that agrees with it.
func count(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, plural(n, one, many))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
