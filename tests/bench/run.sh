#!/usr/bin/env bash
# Build benchmark: generates the shared AIMS-like corpus (N documents, 2,000 commits) and times
# the release binary on it: median wall time of 5 runs, documents per second and peak memory
# (max RSS), in three modes:
#   first  into an empty destination with an empty build cache (a fresh clone, a CI job);
#   cold   over the previous output (unchanged files are linked, not rewritten), empty cache;
#   warm   over the previous output with the cache of the run before (a second local build).
#
# First, for each corpus, the summary the performance issue asks for, measured interleaved in
# the same run (RUNS times, 5 by default; medians):
#   floor  reading what any build must read: `cat` of every content file, then `git log` over
#          the whole history, as the build reads it (--raw -M, every commit);
#   build  `aims-site build --drafts` into an empty folder with an empty cache: wall time, peak
#          RSS, and its ratio to the floor;
#   output bytes per document (the whole output folder / documents) and the largest page;
#   old    `git cat-file` of what the approval check reads beyond the floor (the version before
#          each approved document's newest change), measured once;
#   scale  from the second corpus on, the build's time and memory against the corpus before
#          (linear growth is the documents' ratio).
# Each run builds into a folder of its own, and all the outputs are removed when the script
# ends: on this machine's file system, creating files in the minutes after a mass deletion is
# several times slower, so removing one corpus's outputs would slow the next corpus's builds.
#
# MODES may also name:
#   serve  save-to-page latency of `aims-site serve` (tests/bench/serve_latency.py, 8 saves);
#   pdf    `aims-site export` with the PDF (needs chromium and pdfunite): wall time, pages, size.
#
# The figures of the performance issue in one run (about 15 minutes; the 50,000-document corpus
# is made once with gen_corpus.py -n 50000 --git 5000):
#   MODES="summary serve" tests/bench/run.sh 1000 5000 /path/to/corpus-50000
#   MODES=pdf RUNS=1 tests/bench/run.sh 1000
#
#   tests/bench/run.sh                  # 1,000 and 5,000 documents
#   tests/bench/run.sh 5000             # one size
#   tests/bench/run.sh /path/to/corpus  # a corpus made elsewhere (book.toml added if missing)
#   RUNS=1 MODES=summary tests/bench/run.sh /work/target-50k   # the summary only, once
#   BIN=/tmp/aims-site-before tests/bench/run.sh 1000            # another binary
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
gen="${GEN_CORPUS:-$repo/../shared/bench/gen_corpus.py}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000)
runs=${RUNS:-5}
modes=${MODES:-summary cold warm first}
# BIN=path/to/aims-site measures that binary (an older build, for figures before a change).
if [ -n "${BIN:-}" ]; then
  bin=$(realpath "$BIN")
else
  cargo build --release --quiet
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/aims-site"
fi

run_once() { # corpus cache-dir [dest]
  AIMS_SITE_CACHE_DIR="$2" /usr/bin/time -o "$1.time" -f "%e %M" \
    "$bin" --root "$1" build --quiet --today 2026-12-01 --dest "${3:-$1/public}" >/dev/null 2>&1
  cat "$1.time"
}

floor_once() { # corpus: seconds to read every content file and the history
  local start end
  start=$(date +%s.%N)
  find "$1/content" -type f -print0 | xargs -0 cat >/dev/null
  git -C "$1" log --no-merges --raw -z --no-abbrev -M --no-color --format=%H%x1f%an%x1f%ad >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

# Seconds for `git cat-file` to read what the approval check reads beyond the floor: the version
# before each approved document's newest change. How deep the pack's delta chains are decides
# it (a `git fast-import` history keeps each file's newest version deepest; `git gc` does not).
old_versions_once() { # corpus
  local approved ids start end
  approved=$(mktemp); ids=$(mktemp)
  (cd "$1" && grep -rl '^status: approved' content | sort) > "$approved"
  git -C "$1" log --no-merges --raw --no-abbrev --format= |
    awk 'NR == FNR { a[$0] = 1; next }
         !($6 in seen) { seen[$6] = 1; if (($6 in a) && $3 !~ /^0+$/) print $3 }' "$approved" - > "$ids"
  start=$(date +%s.%N)
  git -C "$1" cat-file --batch < "$ids" >/dev/null
  end=$(date +%s.%N)
  echo "$(wc -l < "$ids") $(echo "$end - $start" | bc)"
  rm -f "$approved" "$ids"
}

previous="" # the last summary's "documents build-seconds peak-KiB", for the scale figures
leftovers=() # the summaries' outputs, removed when the script ends
trap 'rm -rf "${leftovers[@]}"' EXIT

summary() { # corpus n
  local corpus=$1 n=$2 out results=""
  rm -rf "$corpus".summary-out-*
  for run in $(seq "$runs"); do
    local cache; cache=$(mktemp -d)
    out="$corpus.summary-out-$run"
    leftovers+=("$out")
    local floor; floor=$(floor_once "$corpus")
    AIMS_SITE_CACHE_DIR="$cache" /usr/bin/time -o "$corpus.time" -f "%e %M" \
      "$bin" --root "$corpus" build --quiet --drafts --today 2026-12-01 --dest "$out" >/dev/null 2>&1
    results+="$floor $(cat "$corpus.time")"$'\n'
    rm -rf "$cache"
  done
  local docs bytes largest old
  old=$(old_versions_once "$corpus")
  docs=$(find "$out/doc" -name '*.html' | wc -l)
  bytes=$(du -sb --apparent-size "$out" | cut -f1)
  largest=$(find "$out" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
  local line
  line=$(printf '%s' "$results" | python3 -c '
import statistics, sys
n, docs, bytes_, largest = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split()
before = sys.argv[5].split()
old = sys.argv[6].split()
rows = [l.split() for l in sys.stdin if l.strip()]
floor = statistics.median(float(r[0]) for r in rows)
build = statistics.median(float(r[1]) for r in rows)
rss = max(int(r[2]) for r in rows)
text = (f"{n:>6} documents ({docs} pages), {len(rows)} run(s): floor (cat + git log) {floor:.3f} s; "
      f"build --drafts median {build:.3f} s, peak {rss/1024:.0f} MiB, {build/floor:.1f} x the floor; "
      f"output {bytes_/n:,.0f} bytes per document ({bytes_/2**20:.0f} MiB); "
      f"largest page {largest[1]} {int(largest[0])/2**20:.2f} MiB; "
      f"the {old[0]} previous versions the approval check reads: {float(old[1]):.3f} s of git cat-file")
if before:
    bn, bt, bm = int(before[0]), float(before[1]), int(before[2])
    text += (f"; against {bn:,} documents: {n/bn:.1f} x the documents, "
             f"{build/bt:.1f} x the time, {rss/bm:.1f} x the memory")
print(text)
print(f"#{n} {build} {rss}")
' "$n" "$docs" "$bytes" "$largest" "$previous" "$old")
  echo "${line%$'\n'#*}"
  previous=$(echo "$line" | sed -n 's/^#//p')
}

serve_latency() { # corpus (the script edits one document and restores it)
  python3 tests/bench/serve_latency.py --bin "$bin" --saves 8 "$1"
}

pdf_export() { # corpus n
  local out cache; out=$(mktemp -d); cache=$(mktemp -d)
  AIMS_SITE_CACHE_DIR="$cache" /usr/bin/time -o "$1.time" -f "%e %M" \
    "$bin" --root "$1" export --today 2026-12-01 -o "$out" >/dev/null 2>&1
  local zip pdf="$out/manual.pdf"; zip=$(find "$out" -name '*.zip' | head -1)
  python3 -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
name = next(n for n in z.namelist() if n.endswith("/manual.pdf") or n == "manual.pdf")
open(sys.argv[2], "wb").write(z.read(name))' "$zip" "$pdf"
  read -r secs kib < "$1.time"
  echo "$2 documents: export with PDF $secs s, peak $((kib / 1024)) MiB; manual.pdf" \
    "$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p') pages, $(( $(stat -c %s "$pdf") / 1048576 )) MiB"
  rm -rf "$out" "$cache"
}

for n in "${sizes[@]}"; do
  if [[ "$n" == */* ]]; then
    corpus=$(realpath "$n")
    [ -f "$corpus/book.toml" ] || printf '[book]\ntitle = "Bench"\n' > "$corpus/book.toml"
    n=$(find "$corpus/content" -name '*.md' | wc -l)
  else
    corpus="$repo/target/bench-corpus-$n"
  fi
  if [ ! -f "$corpus/book.toml" ]; then
    rm -rf "$corpus"
    python3 "$gen" "$corpus" -n "$n" --git 2000 >/dev/null
    printf '[book]\ntitle = "Bench"\n' > "$corpus/book.toml"
  fi
  [[ " $modes " != *" summary "* ]] || summary "$corpus" "$n"
  [[ " $modes " != *" serve "* ]] || serve_latency "$corpus"
  [[ " $modes " != *" pdf "* ]] || pdf_export "$corpus" "$n"
  [[ "$modes" == *cold* || "$modes" == *warm* || "$modes" == *first* ]] || continue
  warm="$corpus.cache"
  rm -rf "$warm"
  run_once "$corpus" "$warm" >/dev/null
  # `first` runs last and its outputs are removed only after it: on file systems that avoid
  # reusing just-freed inodes (ext4 without a journal, as here) mass deletions slow down the
  # file creations of the next minute, which would be charged to the next run.
  for mode in cold warm first; do
    [[ " $modes " == *" $mode "* ]] || continue
    results=""
    for run in $(seq "$runs"); do
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
