// Package report is what `bot check` tells its user about one run, over
// one manifest or several (Manifest: a file's pins, or why it could not be
// read; a run over one readable file reports exactly as runs did before
// they took several), in every form it takes: the JSON document of --json
// and --json-file (a contract other tools parse: its field names and shape
// change only on purpose, see testdata/check.json and
// testdata/check_files.json), its reader (bot fix --report), the
// --json-file writer, the human report, the GitHub Actions workflow
// commands (annotations) and the job's step summary, all sent by Deliver;
// and the listing of `bot pins`.
//
// It renders what package verify found about the pins of package pin, and
// imports only those two (and markdown, for text GitHub shows). It sits
// beside verify's other consumers (patch, issues) and must never import
// runner, jobs, webhook or server, nor patch: bot fix's report renders a
// patch.Result and so lives in the subpackage fixreport. Nothing here reads
// the environment; the caller (cmd/bot) says whether it runs in Actions.
package report
