#!/usr/bin/env bash
# Runs `bot demo --keep`, renders the Markdown of the tracking issue and the
# fix PR it produced the way GitHub shows it (GitHub's Markdown CSS, GFM
# tables and alerts approximated) and screenshots them with headless
# Chromium, for the README.
#
#   docs/render.sh            # writes docs/tracking-issue.png and docs/fix-pr.png
#
# Needs node/npm (marked, github-markdown-css from the npm registry) and
# Chromium (Debian: apt-get install chromium). Not part of the tests.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent marked@18.2.1 github-markdown-css@5.9.0 >/dev/null)

render() { # golden.md out.png title
  local md=$1 png=$2 title=$3
  (cd "$work" && node -e '
    const fs = require("fs");
    const { marked } = require("marked");
    let src = fs.readFileSync(process.argv[1], "utf8");
    // GitHub hides HTML comments and renders > [!CAUTION] / [!WARNING] as alerts.
    src = src.replace(/<!--[\s\S]*?-->/g, "").split("\n---\ncommit message")[0];
    let html = marked.parse(src, { gfm: true });
    html = html.replace(/<blockquote>\s*<p>\[!(CAUTION|WARNING)\]\s*/g, (m, kind) =>
      `<blockquote class="alert alert-${kind.toLowerCase()}"><p><strong>${kind === "CAUTION" ? "Caution" : "Warning"}</strong><br>`);
    const css = fs.readFileSync("node_modules/github-markdown-css/github-markdown-light.css", "utf8");
    fs.writeFileSync("page.html", `<!doctype html><meta charset="utf-8"><style>${css}
      body{margin:0;background:#fff} .markdown-body{box-sizing:border-box;max-width:1012px;margin:0 auto;padding:24px}
      .title{font:600 26px -apple-system,Segoe UI,Helvetica,Arial,sans-serif;padding:24px 24px 0;max-width:1012px;margin:0 auto}
      .alert{border-left:.25em solid}.alert-caution{border-color:#d1242f;color:#1f2328}.alert-caution strong{color:#d1242f}
      .alert-warning{border-color:#9a6700}.alert-warning strong{color:#9a6700}</style>
      <div class="title">${process.argv[2]}</div><article class="markdown-body">${html}</article>`);
  ' "$md" "$title")
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/profile" --hide-scrollbars \
    --window-size=1060,740 --screenshot="$png" "file://$work/page.html" >/dev/null 2>&1
  echo "wrote $png"
}

demo=$(cd "$repo" && go run ./cmd/bot demo --keep --no-color | sed -n 's/^Kept \([^:]*\):.*/\1/p')
[ -d "$demo" ] || { echo "bot demo did not keep its folder" >&2; exit 1; }
trap 'rm -rf "$work" "$demo"' EXIT
render "$demo/issue-1.md" "$repo/docs/tracking-issue.png" "Release assets no longer match their pinned SHA-256"
render "$demo/pr-2.md" "$repo/docs/fix-pr.png" \
  "Update the SHA-256 pin of <code>ubuntu-rootfs-amd64.ext4.zst</code> to the bytes now published"
