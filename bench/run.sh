#!/usr/bin/env bash
# Benchmark `bot check` against the sequential Python baseline (urllib +
# hashlib) and a `curl | sha256sum` loop, on N generated assets served on
# loopback. Prints wall time and peak RSS of each, and the ratios.
#
#   bench/run.sh [-n COUNT] [-s SIZE_MIB] [-r REPEATS] [-c CONCURRENCY] [-k]
#
# Defaults: 16 assets of 64 MiB, 3 repeats (the median is reported),
# concurrency 4. -k keeps the work directory. BOT=path uses a prebuilt
# binary instead of building ./cmd/bot. Needs go, python3, curl,
# sha256sum and GNU time (/usr/bin/time).
set -euo pipefail

count=16 size=64 repeats=3 conc=4 keep=0
while getopts "n:s:r:c:k" opt; do
  case $opt in
    n) count=$OPTARG ;; s) size=$OPTARG ;; r) repeats=$OPTARG ;; c) conc=$OPTARG ;; k) keep=1 ;;
    *) sed -n '2,12p' "$0"; exit 3 ;;
  esac
done

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pindrift-bench.XXXXXX")
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ "$keep" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

need=$((count * size + 64))
avail=$(df -Pm "$work" | awk 'NR==2 {print $4}')
if [ "$avail" -lt "$need" ]; then
  echo "need ${need} MiB free in $work, have ${avail} MiB" >&2
  exit 3
fi

echo "building..." >&2
if [ -z "${BOT:-}" ]; then
  (cd "$repo" && go build -o "$work/bot" ./cmd/bot)
  BOT=$work/bot
fi
(cd "$repo" && go build -o "$work/server" ./bench/server)

echo "generating $count x $size MiB..." >&2
mkdir -p "$work/assets"
for i in $(seq 1 "$count"); do
  head -c "$((size << 20))" /dev/urandom >"$work/assets/asset-$i.bin"
done

"$work/server" -dir "$work/assets" >"$work/port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

: >"$work/urls"
{
  echo "MANIFEST = {"
  for i in $(seq 1 "$count"); do
    sha=$(sha256sum "$work/assets/asset-$i.bin" | cut -d' ' -f1)
    url="http://127.0.0.1:$port/asset-$i.bin"
    echo "$url $sha" >>"$work/urls"
    printf '    "asset-%d": {\n        "url": "%s",\n        "sha256": "%s",\n    },\n' "$i" "$url" "$sha"
  done
  echo "}"
} >"$work/manifest.py"

cat >"$work/curl-loop.sh" <<'LOOP'
#!/usr/bin/env bash
set -euo pipefail
bad=0
while read -r url want; do
  got=$(curl -sSf "$url" | sha256sum | cut -d' ' -f1)
  [ "$got" = "$want" ] || { echo "$url: expected $want, got $got"; bad=1; }
done <"$1"
exit $bad
LOOP
chmod +x "$work/curl-loop.sh"

# measure NAME CMD...: run REPEATS times, keep each "wall_s rss_kib".
measure() {
  local name=$1; shift
  : >"$work/$name.times"
  for _ in $(seq 1 "$repeats"); do
    /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >"$work/$name.out" 2>&1 || {
      echo "$name failed:" >&2; cat "$work/$name.out" >&2; exit 1; }
    cat "$work/time.out" >>"$work/$name.times"
  done
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cat "$work"/assets/* >/dev/null # warm the page cache so every contender reads from memory
measure python python3 "$repo/bench/baseline.py" "$work/urls"
measure curl "$work/curl-loop.sh" "$work/urls"
measure bot "$BOT" check --quiet --allow-private-network --concurrency "$conc" "$work/manifest.py"

declare -A wall rss
for n in python curl bot; do
  wall[$n]=$(cut -d' ' -f1 "$work/$n.times" | median)
  rss[$n]=$(cut -d' ' -f2 "$work/$n.times" | median)
done

total=$((count * size))
echo
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "assets:  $count x $size MiB = $total MiB on loopback; median of $repeats runs; bot --concurrency $conc"
printf '%-28s %9s %10s %12s\n' "contender" "wall (s)" "MiB/s" "peak RSS"
for n in python curl bot; do
  label=$n
  case $n in
    python) label="python urllib+hashlib (seq)" ;;
    curl) label="curl | sha256sum (seq)" ;;
    bot) label="bot check" ;;
  esac
  awk -v l="$label" -v w="${wall[$n]}" -v r="${rss[$n]}" -v t="$total" \
    'BEGIN { printf "%-28s %9.2f %10.0f %8.1f MiB\n", l, w, (w > 0 ? t / w : 0), r / 1024 }'
done
awk -v b="${wall[bot]}" -v p="${wall[python]}" -v c="${wall[curl]}" \
  'BEGIN { printf "wall ratio bot/python: %.2f   bot/curl: %.2f\n", b / p, b / c }'
awk -v b="${rss[bot]}" -v p="${rss[python]}" \
  'BEGIN { printf "RSS ratio bot/python:  %.2f\n", b / p }'
