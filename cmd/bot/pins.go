package main

import (
	"context"
	"fmt"
	"strings"

	"errors"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/pindrift/pindrift/internal/pin"
	"github.com/pindrift/pindrift/internal/report"
)

// pinsFlags are the extraction flags shared by every command that reads a
// manifest (pins, check, fix).
type pinsFlags struct {
	fs        *pflag.FlagSet
	symbols   string
	env       []string
	platforms []string
	format    string
	urlFields []string
	shaFields []string
	input     inputFlags
}

func (f *pinsFlags) register(cmd *cobra.Command) {
	f.fs = cmd.Flags()
	f.input.register(cmd)
	cmd.Flags().StringVar(&f.symbols, "symbols", strings.Join(pin.DefaultSymbols, ","),
		`module-level names to walk for pins, comma-separated, or "all"`)
	cmd.Flags().StringArrayVar(&f.env, "env", nil,
		"environment variable the manifest sees through os.environ, as NAME=VALUE (repeatable)")
	cmd.Flags().StringArrayVar(&f.platforms, "platform", nil,
		"platform to evaluate under: linux, darwin or windows, optionally /MACHINE (repeatable; pins are the union; default linux)")
	cmd.Flags().StringVar(&f.format, "format", "",
		"the file's format: python, starlark, json, yaml or toml (default: told from the file name)")
	cmd.Flags().StringArrayVar(&f.urlFields, "url-field", nil,
		"a key holding URLs in JSON, YAML and TOML records, as NAME, *SUFFIX or PREFIX* (repeatable; added to the defaults)")
	cmd.Flags().StringArrayVar(&f.shaFields, "digest-field", nil,
		"a key holding digests in JSON, YAML and TOML records, as NAME, *SUFFIX or PREFIX* (repeatable; added to the defaults)")
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
	if f.format != "" {
		format, err := pin.ParseFormat(f.format)
		if err != nil {
			return opts, fmt.Errorf("--format: %w", err)
		}
		opts.Format = format
	}
	for _, fl := range []struct {
		name     string
		patterns []string
		into     *[]string
	}{{"--url-field", f.urlFields, &opts.Fields.URL}, {"--digest-field", f.shaFields, &opts.Fields.Digest}} {
		for _, p := range fl.patterns {
			if err := pin.CheckPattern(p); err != nil {
				return opts, fmt.Errorf("%s: %w", fl.name, err)
			}
			*fl.into = append(*fl.into, p)
		}
	}
	return opts, nil
}

// read expands the FILE arguments and reads and evaluates each file.
// The error is unusable input (exit 3): bad flags or arguments, a limit
// passed, or the one file of a one-file run that cannot be read; with
// several files, one that cannot be read is in its Manifest.
func (f *pinsFlags) read(ctx context.Context, args []string) ([]report.Manifest, map[string][]byte, pin.Options, error) {
	files, err := f.input.files(args)
	if err != nil {
		return nil, nil, pin.Options{}, err
	}
	return f.readFiles(ctx, files)
}

// readFiles is read for files already expanded.
func (f *pinsFlags) readFiles(ctx context.Context, files []string) ([]report.Manifest, map[string][]byte, pin.Options, error) {
	opts, err := f.options()
	if err != nil {
		return nil, nil, opts, badInput(err)
	}
	ms, src := readManifests(ctx, files, opts, f.input.maxBytes)
	if err := firstError(ms); err != nil {
		return nil, nil, opts, badInput(err)
	}
	return ms, src, opts, nil
}

// errNotRead is the exit message when some of several files could not be
// read; which and why is in the report.
var errNotRead = errors.New("some files could not be read or evaluated; see the report")

func newPinsCmd() *cobra.Command {
	var (
		flags   pinsFlags
		asJSON  bool
		onlyUni bool
	)
	cmd := &cobra.Command{
		Use:   "pins FILE...",
		Short: "List the (url, digest) pins a manifest promises, without executing it",
		Long: `pins reads a manifest and lists every (url, digest) pin it promises, with
the source location of each digest literal. A Python or Starlark module is
evaluated statically from the chosen module-level symbols; a JSON, YAML or
TOML document is read whole, pairing the URL and digest keys of each record
(--url-field and --digest-field add keys). The format is told from the file
name unless --format names it. Repository code is never executed.

Digest literals that could not be paired with a URL are counted and listed
after the pins.

Each FILE is a path or a glob ("**" crosses directories; quote it so the
shell does not expand it): files are read in argument order, sorted within
a glob, each once. With several files, each gets a heading and its table
(--json: {"files": [...]}, one object per file as a one-file run prints
it, with an "error"), and a file that cannot be read is reported there
while the others are still listed. At most --max-files files, together at
most --max-input-bytes bytes.

Exit status: 0 when every file was evaluated (even if some pins are
unresolved), 3 when the input or the flags are unusable, or a file cannot
be read or its format cannot be read.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ms, _, _, err := flags.read(cmd.Context(), args)
			if err != nil {
				return err
			}
			if asJSON {
				err = report.WriteFilesPinsJSON(cmd.OutOrStdout(), ms, onlyUni)
			} else {
				err = report.WriteFilesPinsTable(cmd.OutOrStdout(), ms, onlyUni)
			}
			if err != nil {
				return err
			}
			if anyUnreadable(ms) {
				return &exitError{code: exitBadInput, err: errNotRead}
			}
			return nil
		},
	}
	flags.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of a table")
	cmd.Flags().BoolVar(&onlyUni, "unique", false, "list each distinct (url, sha256) pair once")
	return cmd
}
