#!/usr/bin/env bash
# Run every hostile manifest (internal/pin/python/testdata/hostile plus the
# big cases TestHostileCorpus generates) through `bot pins` and print, per
# file and overall, the outcome, wall time and peak RSS.
#
#   bench/hostile/run.sh [-t TIMEOUT_S] [-k]
#
# Defaults: a 60 s timeout per file (a file that hits it is reported as
# TIMEOUT). -k keeps the work directory. BOT=path uses a prebuilt binary
# instead of building ./cmd/bot (e.g. one built from an older commit, to
# compare). Needs go and GNU time (/usr/bin/time). Aim: every file under
# 2 s and 256 MiB.
set -euo pipefail

limit=60 keep=0
while getopts "t:k" opt; do
  case $opt in
    t) limit=$OPTARG ;; k) keep=1 ;;
    *) sed -n '2,12p' "$0"; exit 3 ;;
  esac
done

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pindrift-hostile.XXXXXX")
cleanup() { [ "$keep" = 1 ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT

echo "building..." >&2
if [ -z "${BOT:-}" ]; then
  (cd "$repo" && go build -o "$work/bot" ./cmd/bot)
  BOT=$work/bot
fi
mkdir -p "$work/corpus"
cp "$repo"/internal/pin/python/testdata/hostile/*.py "$work/corpus/"
(cd "$repo" && go test -count=1 -run '^TestWriteGeneratedHostile$' ./internal/pin/python -hostile.write="$work/corpus" >/dev/null)

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(go version | cut -d' ' -f3)"
echo "bot:     $BOT"
printf '%-38s %-8s %8s %10s  %s\n' "file" "outcome" "wall (s)" "RSS (MiB)" "first line of output"
: >"$work/all"
for f in "$work"/corpus/*.py; do
  name=$(basename "$f")
  rc=0
  /usr/bin/time -f "%e %M" -o "$work/time.out" timeout "$limit" "$BOT" pins --symbols all "$f" >"$work/out" 2>&1 || rc=$?
  # GNU time appends "Command exited/terminated..." lines; the figures are last.
  read -r wall rss < <(tail -n1 "$work/time.out")
  case $rc in
    0) outcome=ok ;;
    124) outcome=TIMEOUT ;;
    3) outcome=refused ;;
    *) outcome="rc=$rc" ;;
  esac
  grep -q 'fatal error\|panic:' "$work/out" && outcome=CRASH
  msg=$(grep -m1 -E '^(bot:|unresolved:|invalid:|fatal error|panic:)|pins \(' "$work/out" | sed "s|$work/corpus/||" | cut -c1-90 || true)
  printf '%-38s %-8s %8.2f %10.1f  %s\n' "$name" "$outcome" "$wall" "$(awk -v r="$rss" 'BEGIN{print r/1024}')" "$msg"
  echo "$name $outcome $wall $rss" >>"$work/all"
done
echo
awk '{ n++; t += $3; if ($3 > mw) { mw = $3; fw = $1 } if ($4 > mr) { mr = $4; fr = $1 }
       if ($3 >= 2 || $4 >= 256 * 1024) over++; if ($2 == "CRASH" || $2 == "TIMEOUT") bad++ }
     END { printf "%d files, %.2f s in all; slowest %.2f s (%s); largest %.1f MiB (%s)\n", n, t, mw, fw, mr / 1024, fr
           printf "%d over 2 s or 256 MiB; %d crashed or timed out\n", over, bad }' "$work/all"
