#!/usr/bin/env bash
# Compares two aims-site binaries on a benchmark corpus by alternating cold builds (empty cache,
# over the previous output), so that drift in the machine's speed hits both alike. Prints each
# binary's median, min and max wall time, its median CPU time (user + system: steadier than wall
# time on a machine whose speed drifts) and its median and peak memory.
#
#   tests/bench/ab.sh OLD_BINARY NEW_BINARY [ROUNDS] [CORPUS]
#
# CORPUS defaults to target/bench-corpus-5000 (made by tests/bench/run.sh 5000). AB_DEST=DIR
# builds into DIR instead of CORPUS/public, e.g. a tmpfs (/dev/shm/ab) to keep the file system
# out of the comparison.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { sed -n '2,11p' "$0"; exit 2; }
a=$(realpath "$1"); b=$(realpath "$2"); rounds=${3:-8}
corpus=$(realpath "${4:-target/bench-corpus-5000}")
dest=${AB_DEST:-$corpus/public}
[ -f "$corpus/book.toml" ] || { echo "no corpus at $corpus; run tests/bench/run.sh first" >&2; exit 2; }
times=$(mktemp)
trap 'rm -f "$times"' EXIT
for _ in $(seq "$rounds"); do
  for bin in "$a" "$b"; do
    cache=$(mktemp -d)
    AIMS_SITE_CACHE_DIR="$cache" /usr/bin/time -o "$times.one" -f "%e %U %S %M" \
      "$bin" --root "$corpus" build --quiet --today 2026-12-01 --dest "$dest" >/dev/null 2>&1
    echo "$bin $(cat "$times.one")" >> "$times"
    rm -rf "$cache" "$times.one"
  done
done
python3 - "$times" <<'PY'
import collections, statistics, sys
wall, cpu, rss = (collections.defaultdict(list) for _ in range(3))
for line in open(sys.argv[1]):
    b, t, u, s, m = line.split()
    wall[b].append(float(t)); cpu[b].append(float(u) + float(s)); rss[b].append(int(m) / 1024)
for b in wall:
    w, c, r = wall[b], cpu[b], rss[b]
    print(f"{b}: median {statistics.median(w):.3f} s (min {min(w):.3f}, max {max(w):.3f}), "
          f"CPU median {statistics.median(c):.2f} s, "
          f"memory median {statistics.median(r):.0f} MiB, peak {max(r):.0f} MiB")
PY
