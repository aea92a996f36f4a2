#!/usr/bin/env bash
# The real-code check, as users build their code: each repository of perf/REALWORLD.md is restored and checked by the
# command-line tool (asyncpitfalls check: every project, test projects included, every target framework, the
# repository's .editorconfig), and the reports are written for judging in perf/REALWORLD.md.
#
#   perf/check-realcode.sh --list                       # the repositories, commits and solutions recorded in REALWORLD.md
#   perf/check-realcode.sh [--out DIR] --all            # all of them (REALCODE_ROOT, default ../realcode next to this repository)
#   perf/check-realcode.sh [--out DIR] NAME [NAME ...]  # some of them, by their folder name under REALCODE_ROOT
#   perf/check-realcode.sh --all --real-cost [...]      # the in-memory cost benchmark on the same repositories (perf/RESULTS.md)
#
# For each repository it writes DIR/NAME.tsv (the reports), DIR/NAME.json (reports, projects loaded and not loaded,
# files with unresolved types, phase times) and DIR/NAME.log (the tool's console), and prints one summary line.
# A repository whose global.json pins an SDK this machine does not have is checked with the installed SDK: the file
# is moved aside for the run and put back.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
root="${REALCODE_ROOT:-$(dirname "$repo")/realcode}"
out="$repo/artifacts/realcode"

recorded() {
  # Rows of the repositories table in REALWORLD.md: | owner/name | kind | commit | solution | ... |
  awk -F'|' '/<!-- repositories:start -->/{on=1; next} /<!-- repositories:end -->/{on=0} on && $2 ~ /[A-Za-z]/ && $2 !~ /repository/ && $2 !~ /---/ {gsub(/ /,"",$2); gsub(/[ `]/,"",$4); gsub(/[ `]/,"",$5); print $2, $4, $5}' "$here/REALWORLD.md"
}

case "${1:-}" in
  --list) recorded; exit 0 ;;
esac

if [[ " $* " == *" --real-cost "* ]]; then
  args=()
  while read -r name commit solution; do args+=(--check "$root/${name#*/}"); done < <(recorded)
  extra=()
  for a in "$@"; do [ "$a" != "--all" ] && extra+=("$a"); done
  dotnet build "$repo/perf/AsyncPitfalls.Benchmarks" -c Release -v quiet -nologo >&2
  exec dotnet run --no-build --project "$repo/perf/AsyncPitfalls.Benchmarks" -c Release -- "${args[@]}" "${extra[@]}"
fi

wanted=()
all=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --all) all=1; shift ;;
    *) wanted+=("$1"); shift ;;
  esac
done

mkdir -p "$out"
dotnet build "$repo/src/AsyncPitfalls.Cli" -c Release -v quiet -nologo >&2
tool="$repo/src/AsyncPitfalls.Cli/bin/Release/net10.0/asyncpitfalls.dll"
sdks=$(dotnet --list-sdks | awk '{print $1}')

while read -r name commit solution; do
  folder="${name#*/}"
  if [ "$all" -ne 1 ] && [[ ! " ${wanted[*]} " == *" $folder "* ]]; then continue; fi
  dir="$root/$folder"
  if [ ! -d "$dir" ]; then echo "missing: $dir (check out $name at $commit there)" >&2; continue; fi
  head=$(git -C "$dir" rev-parse HEAD)
  if [ "${head:0:12}" != "${commit:0:12}" ]; then echo "warning: $dir is at ${head:0:12}, REALWORLD.md records ${commit:0:12}" >&2; fi

  moved=""
  if [ -f "$dir/global.json" ]; then
    pinned=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('sdk',{}).get('version',''))" "$dir/global.json" 2>/dev/null || true)
    if [ -n "$pinned" ] && ! (cd "$dir" && dotnet --version >/dev/null 2>&1); then
      mv "$dir/global.json" "$dir/global.json.asyncpitfalls-aside"; moved=1
      echo "$folder: global.json pins SDK $pinned, not installed ($(echo $sdks | tr '\n' ' ')); checked with the installed SDK" >&2
    fi
  fi

  start=$(date +%s)
  set +e
  dotnet "$tool" check "$dir/$solution" --format tsv --report "$out/$folder.json" --fail-on none > "$out/$folder.tsv" 2> "$out/$folder.log"
  code=$?
  set -e
  [ -n "$moved" ] && mv "$dir/global.json.asyncpitfalls-aside" "$dir/global.json"
  seconds=$(( $(date +%s) - start ))
  reports=$(( $(wc -l < "$out/$folder.tsv") - 1 ))
  echo "$folder: exit $code, $reports reports, ${seconds} s"
done < <(recorded)
