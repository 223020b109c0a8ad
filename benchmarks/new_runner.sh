#!/bin/bash
# Cold, then warm on a "new runner", as the GitHub Action runs kbcheck: each runner gets a
# fresh clone at the same path and a fresh home folder (so a new machine secret); the cache
# folder, named with KBCHECK_CACHE_DIR outside the clone, is packed with tar after the cold
# run and unpacked before the warm ones, as actions/cache does.
#
#   python benchmarks/generate_kb.py /tmp/kb10k --articles 10000 --git --commits 30000
#   benchmarks/new_runner.sh /tmp/kb10k [/tmp/new-runner]
set -eu
source_repo=$1
work=${2:-/tmp/kbcheck-new-runner}
kbcheck=${KBCHECK:-kbcheck}
runner() {  # label, whether to unpack the cache, whether to edit one article first
  rm -rf "$work/runner" && mkdir -p "$work/runner/home" "$work/runner/temp/kbcheck-cache"
  git clone -q "$source_repo" "$work/runner/kb"
  if [ "$2" = restore ]; then tar -C "$work/runner/temp/kbcheck-cache" -xf "$work/cache.tar"; fi
  cd "$work/runner/kb"
  if [ "$3" = edit ]; then
    article=$(git ls-files '*.md' | awk '{ all[NR] = $0 } END { print all[int(NR / 2)] }')
    printf '\nOne more line about invoices.\n' >> "$article"
    git -c user.name=pr -c user.email=pr@example.com commit -qam "a pull request's edit"
  fi
  env -u XDG_CACHE_HOME HOME="$work/runner/home" CI=true \
    KBCHECK_CACHE_DIR="$work/runner/temp/kbcheck-cache" \
    /usr/bin/time -f "$1: %e s wall, %U s user, %S s system" \
    "$kbcheck" check . --format json -o "$work/$1.json" --fail-on never --debug
  cd /
  if [ "$2" = save ]; then tar -C "$work/runner/temp/kbcheck-cache" -cf "$work/cache.tar" .; fi
}
mkdir -p "$work"
runner cold save none
runner warm-replayed restore none
runner warm-one-article-edited restore edit
cmp "$work/cold.json" "$work/warm-replayed.json" && echo "cold and warm reports are identical"
