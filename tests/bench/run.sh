#!/usr/bin/env bash
# Build benchmark: generates the shared AIMS-like corpus (N documents, 2,000 commits) and times
# the release binary on it, reporting the median wall time of 5 runs, documents per second and
# peak memory (max RSS).
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
for n in "${sizes[@]}"; do
  corpus="$repo/target/bench-corpus-$n"
  if [ ! -f "$corpus/book.toml" ]; then
    rm -rf "$corpus"
    python3 "$gen" "$corpus" -n "$n" --git 2000 >/dev/null
    printf '[book]\ntitle = "Bench"\n' > "$corpus/book.toml"
  fi
  times=()
  rss=0
  for _ in 1 2 3 4 5; do
    /usr/bin/time -o "$corpus.time" -f "%e %M" "$bin" --root "$corpus" build --quiet --today 2026-12-01 --dest "$corpus/public" >/dev/null 2>&1
    read -r secs kb < "$corpus.time"
    times+=("$secs")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  docs=$(find "$corpus/public/doc" -name '*.html' | wc -l)
  python3 - "$n" "$docs" "$median" "$rss" <<'PY'
import sys
n, docs, med, rss = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"{n:>6} documents ({docs} published pages): median {med:.2f} s, {n/med:,.0f} documents/s, peak {rss/1024:.0f} MiB")
PY
done
