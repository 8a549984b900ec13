#!/usr/bin/env bash
# Proves that two aims-site binaries write byte-identical output: builds, with each binary and an
# empty cache of its own, the bundled example (auditor and intranet profiles), an export of the
# example (zip unpacked), and generated corpora of 1,000 (and, with SIZES="1000 5000", 5,000)
# documents, each into its own folder, and `reviews --format json` of the example and corpora;
# then `diff -r`s them. Exits 1 on any difference.
#
#   tests/bench/same_output.sh OLD_BINARY NEW_BINARY [WORK_DIR]
#
# WORK_DIR (default: a temporary folder) keeps the generated corpora between runs
# (WORK_DIR/corpus-N); the outputs are written below WORK_DIR/out and replaced on each run.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
[ $# -ge 2 ] || { sed -n '2,10p' "$0"; exit 2; }
old=$(realpath "$1"); new=$(realpath "$2")
work=${3:-$(mktemp -d)}
mkdir -p "$work"; work=$(realpath "$work")
gen="${GEN_CORPUS:-$repo/../shared/bench/gen_corpus.py}"
sizes=${SIZES:-1000}
out="$work/out"
rm -rf "$out"; mkdir -p "$out"
status=0

run() { # name binary args...
  local name=$1 bin=$2; shift 2
  local cache; cache=$(mktemp -d)
  if ! AIMS_SITE_CACHE_DIR="$cache" "$bin" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"; then
    echo "  ($name exited non-zero; see $out/$name.stderr)"
  fi
  rm -rf "$cache"
}

compare() { # label
  # What the commands print names their output folder: that part is made the same.
  local same="s#$out/[a-z]*-#$out/SIDE-#g"
  if diff -r "$out/old-$1" "$out/new-$1" >"$out/$1.diff" 2>&1 \
     && diff <(sed "$same" "$out/old-$1.stdout") <(sed "$same" "$out/new-$1.stdout") >>"$out/$1.diff" 2>&1 \
     && diff <(sed "$same" "$out/old-$1.stderr") <(sed "$same" "$out/new-$1.stderr") >>"$out/$1.diff" 2>&1; then
    echo "identical: $1 ($(find "$out/old-$1" -type f | wc -l) files)"
  else
    echo "DIFFERENT: $1 (see $out/$1.diff)"; head -20 "$out/$1.diff"; status=1
  fi
}

# The example's templates/ and themes/ override the built-in ones (they are the same files), so
# each binary would render with the new files. The example is compared on a clone without them,
# committed, so that each binary renders with its own built-in templates.
example="$work/example"
rm -rf "$example"
git clone -q "$repo" "$example"
(cd "$example" && git rm -rq templates themes \
  && GIT_AUTHOR_DATE=2026-12-01T12:00:00Z GIT_COMMITTER_DATE=2026-12-01T12:00:00Z \
     git -c user.name=bench -c user.email=bench@example.invalid commit -qm "built-in templates")
repo=$example
for side in old new; do
  bin=$old; [ $side = new ] && bin=$new
  run "$side-auditor" "$bin" --root "$repo" build --today 2026-12-01 --profile auditor --dest "$out/$side-auditor"
  run "$side-intranet" "$bin" --root "$repo" build --today 2026-12-01 --profile intranet --dest "$out/$side-intranet"
  mkdir -p "$out/$side-export-zip"
  run "$side-export" "$bin" --root "$repo" export --no-pdf --today 2026-12-01 -o "$out/$side-export-zip"
  mkdir -p "$out/$side-reviews"
  run "$side-reviews" "$bin" --root "$repo" reviews --today 2026-12-01 --format json
  mv "$out/$side-reviews.stdout" "$out/$side-reviews/example.json"; touch "$out/$side-reviews.stdout"
  mkdir -p "$out/$side-export"
  for z in "$out/$side-export-zip"/*.zip; do unzip -q -o "$z" -d "$out/$side-export"; done
done
compare auditor
compare intranet
compare export
compare reviews
if cmp -s <(ls "$out/old-export-zip") <(ls "$out/new-export-zip"); then
  echo "identical: export zip names"
else
  echo "DIFFERENT: export zip names"; status=1
fi

for n in $sizes; do
  corpus="$work/corpus-$n"
  if [ ! -f "$corpus/book.toml" ]; then
    rm -rf "$corpus"
    python3 "$gen" "$corpus" -n "$n" --git 2000 >/dev/null
    printf '[book]\ntitle = "Bench"\n' > "$corpus/book.toml"
  fi
  for side in old new; do
    bin=$old; [ $side = new ] && bin=$new
    run "$side-corpus-$n" "$bin" --root "$corpus" build --today 2026-12-01 --dest "$out/$side-corpus-$n"
    run "$side-corpus-$n-reviews" "$bin" --root "$corpus" reviews --today 2026-12-01 --format json
  done
  compare "corpus-$n"
  if cmp -s "$out/old-corpus-$n-reviews.stdout" "$out/new-corpus-$n-reviews.stdout"; then
    echo "identical: corpus-$n reviews"
  else
    echo "DIFFERENT: corpus-$n reviews"; status=1
  fi
done
exit $status
