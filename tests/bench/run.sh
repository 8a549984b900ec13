#!/usr/bin/env bash
# Build benchmark: generates the shared AIMS-like corpus (N documents, 2,000 commits) and times
# the release binary on it: median wall time of 5 runs, documents per second and peak memory
# (max RSS), in three modes:
#   first  into an empty destination with an empty build cache (a fresh clone, a CI job);
#   cold   over the previous output (unchanged files are linked, not rewritten), empty cache;
#   warm   over the previous output with the cache of the run before (a second local build).
#
#   tests/bench/run.sh            # 1,000 and 5,000 documents
#   tests/bench/run.sh 5000       # one size
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
gen="${GEN_CORPUS:-$repo/../shared/bench/gen_corpus.py}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000)
cargo build --release --quiet
bin="$repo/target/release/aims-site"

run_once() { # corpus cache-dir [dest]
  AIMS_SITE_CACHE_DIR="$2" /usr/bin/time -o "$1.time" -f "%e %M" \
    "$bin" --root "$1" build --quiet --today 2026-12-01 --dest "${3:-$1/public}" >/dev/null 2>&1
  cat "$1.time"
}

for n in "${sizes[@]}"; do
  corpus="$repo/target/bench-corpus-$n"
  if [ ! -f "$corpus/book.toml" ]; then
    rm -rf "$corpus"
    python3 "$gen" "$corpus" -n "$n" --git 2000 >/dev/null
    printf '[book]\ntitle = "Bench"\n' > "$corpus/book.toml"
  fi
  warm="$corpus.cache"
  rm -rf "$warm"
  run_once "$corpus" "$warm" >/dev/null
  # `first` runs last and its outputs are removed only after it: on file systems that avoid
  # reusing just-freed inodes (ext4 without a journal, as here) mass deletions slow down the
  # file creations of the next minute, which would be charged to the next run.
  for mode in cold warm first; do
    results=""
    for run in 1 2 3 4 5; do
      if [ "$mode" = first ]; then
        cache=$(mktemp -d)
        rm -rf "$corpus/first-$run"
        results+="$(run_once "$corpus" "$cache" "$corpus/first-$run")"$'\n'
        rm -rf "$cache"
      elif [ "$mode" = cold ]; then
        cache=$(mktemp -d)
        results+="$(run_once "$corpus" "$cache")"$'\n'
        rm -rf "$cache"
      else
        results+="$(run_once "$corpus" "$warm")"$'\n'
      fi
    done
    docs=$(find "$corpus/public/doc" -name '*.html' | wc -l)
    printf '%s' "$results" | python3 -c '
import statistics, sys
n, docs, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rows = [l.split() for l in sys.stdin if l.strip()]
secs = statistics.median(float(r[0]) for r in rows)
rss = max(int(r[1]) for r in rows)
print(f"{n:>6} documents ({docs} published), {mode:>5}: median {secs:.2f} s, {n/secs:,.0f} documents/s, peak {rss/1024:.0f} MiB")
' "$n" "$docs" "$mode"
    [ "$mode" != first ] || rm -rf "$corpus"/first-*
  done
done
