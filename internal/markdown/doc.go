// Package markdown puts untrusted text (a URL, an asset name, a release
// tag, a path in a manifest, an error message, an uploader's login) into
// GitHub-flavoured Markdown so that it shows as the literal text it is and
// nothing more: no @-mention, no #1 reference, no HTML, no link, no broken
// table, no line of its own. Every renderer that writes Markdown GitHub
// shows (issue and PR bodies, comments, check-run summaries and text, the
// Actions step summary) goes through it.
//
// The rules, and why:
//   - Untrusted text in Markdown goes in a code span (Code, Cell) or a
//     fenced code block (Block): GitHub renders neither mentions, nor
//     references, nor HTML, nor links inside code. The fence is longer than
//     any run of backticks in the text, so the text cannot close it.
//   - Control characters (a newline, a tab, U+2028, bidirectional
//     overrides, invalid UTF-8) are shown as Go escapes (\n, \u202e, \xff):
//     a newline would end a table row or a list item, and a bidi override
//     would make the text read differently from what it is.
//   - Inside a table cell a | is written \|, which GFM reads as a literal
//     pipe even inside a code span.
//   - Titles (issues, pull requests) are plain text on GitHub, yet GitHub
//     links #1 and @alice in them: Title puts a WORD JOINER (U+2060), which
//     shows as nothing, after every @ and #, so neither can start a
//     mention or a reference.
//   - Every untrusted string is shortened for display (Shorten) with a
//     marker saying how much was cut, so one 70,000-character URL cannot
//     push a body over GitHub's limits.
//
// It imports no pindrift package and no Markdown library: it writes
// Markdown and never parses it (tests read its output back with mdtest, as
// GitHub would). Everything that writes for GitHub imports it (issues,
// fixpr, runner, cmd/bot), so it must stay a leaf.
package markdown
