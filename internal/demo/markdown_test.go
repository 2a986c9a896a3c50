package demo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		color bool
		want  string
	}{
		{
			name: "hidden comments and details tags are dropped, the summary stays",
			in: "<!-- pindrift:tracking -->\n## Title\n\n<details><summary>Full digests</summary>\n\n```\nabc\n```\n\n</details>\n\n" +
				"<!-- pindrift:state\n{\"v\":1}\n-->\n",
			want: "## Title\n\n▸ Full digests\n\n    abc\n",
		},
		{
			name: "a table becomes one block per row",
			in: "| Asset | Pinned → live | Feeds |\n|---|---|---|\n" +
				"| [`vmlinux`](http://x/r)<br>`v1` | `aaa` →<br>`ccc` | `A`: 1 row<br>`B`: 2 rows |\n" +
				"| `rootfs` | `bbb` →<br>`ddd` | `B`: 1 row |\n\nAfter.\n",
			want: "- Asset: `vmlinux`, `v1`\n  Pinned → live: `aaa` → `ccc`\n  Feeds: `A`: 1 row, `B`: 2 rows\n\n" +
				"- Asset: `rootfs`\n  Pinned → live: `bbb` → `ddd`\n  Feeds: `B`: 1 row\n\nAfter.\n",
		},
		{
			name: "a pipe inside a code span does not split a cell",
			in:   "| A | B |\n|---|---|\n| `x|y` | z |\n",
			want: "- A: `x|y`\n  B: z\n",
		},
		{
			name: "links show their text, not the loopback target",
			in:   "Verified at [`269c1a5`](http://127.0.0.1:1/acme/images/commit/269c1a5) by [release-bot](http://127.0.0.1:1/release-bot).\n",
			want: "Verified at `269c1a5` by release-bot.\n",
		},
		{
			name: "plain keeps emphasis, quotes and list marks",
			in:   "> [!WARNING]\n> **Merging accepts the new bytes.** Think.\n\n- one\n- two\n\n---\n",
			want: "> Warning\n> **Merging accepts the new bytes.** Think.\n\n- one\n- two\n\n────────────────────────────────────────\n",
		},
		{
			name:  "colour styles and drops the marks",
			in:    "### How to fix\n\n- **If** `x`\n> [!CAUTION]\n",
			color: true,
			want: "\x1b[1;34mHow to fix\x1b[0m\n\n• \x1b[1mIf\x1b[0m \x1b[36mx\x1b[0m\n" +
				"\x1b[33m▌ \x1b[0m\x1b[33m\x1b[1mCaution\x1b[0m\x1b[33m\x1b[0m\n",
		},
		{
			name:  "diff blocks are coloured",
			in:    "```diff\n- old\n+ new\n```\n",
			color: true,
			want:  "    \x1b[31m- old\x1b[0m\n    \x1b[32m+ new\x1b[0m\n",
		},
		{
			name: "an unclosed code span or link is left as written",
			in:   "a `b and [c](d\n",
			want: "a `b and [c](d\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := markdown(tt.in, style{color: tt.color})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("markdown (-want +got):\n%s", diff)
			}
		})
	}
}
