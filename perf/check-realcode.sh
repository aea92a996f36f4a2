#!/usr/bin/env bash
# The real-code check: runs every AsyncPitfalls rule over checked-out repositories and lists each report with file,
# line and message (see perf/REALWORLD.md). It reads the repositories and writes nothing into them: each project is
# compiled in memory against the SDK's reference packs, without a restore or a build.
#
#   perf/check-realcode.sh [--out FILE] REPO-DIR [REPO-DIR ...]
#   perf/check-realcode.sh --list                 # the repositories and commits recorded in perf/REALWORLD.md
#   perf/check-realcode.sh --all --real-cost [--ours-only] [--latency-runs N] [--json FILE] [--out FILE]
#                                                 # the cost on the real repositories (perf/RESULTS.md), not the reports
#
# With --real-cost the benchmark writes artifacts/benchmark.json; perf/compare-benchmark.sh compares it with the
# snapshot in perf/RESULTS.md.
#
# REALCODE_ROOT (default: ../realcode next to this repository) is where `--all` looks for the recorded repositories.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
root="${REALCODE_ROOT:-$(dirname "$repo")/realcode}"

recorded() {
  # Rows of the repositories table in REALWORLD.md: | name | kind | commit | ... |
  awk -F'|' '/<!-- repositories:start -->/{on=1; next} /<!-- repositories:end -->/{on=0} on && $2 ~ /[A-Za-z]/ && $2 !~ /repository/ && $2 !~ /---/ {gsub(/ /,"",$2); gsub(/[ `]/,"",$4); print $2, $4}' "$here/REALWORLD.md"
}

args=()
case "${1:-}" in
  --list) recorded; exit 0 ;;
  --all)
    shift
    while read -r name commit; do
      dir="$root/${name#*/}"
      if [ ! -d "$dir" ]; then echo "missing: $dir (check out $name at $commit there)" >&2; exit 2; fi
      head=$(git -C "$dir" rev-parse HEAD)
      if [ "${head:0:12}" != "${commit:0:12}" ]; then echo "warning: $dir is at ${head:0:12}, REALWORLD.md records ${commit:0:12}" >&2; fi
      args+=(--check "$dir")
    done < <(recorded)
    ;;
esac

out=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=(--out "$2"); shift 2 ;;
    --json|--latency-runs) args+=("$1" "$2"); shift 2 ;;
    --real-cost|--ours-only|--bulk-fix) args+=("$1"); shift ;;
    *) args+=(--check "$1"); shift ;;
  esac
done

dotnet build "$repo/perf/AsyncPitfalls.Benchmarks" -c Release -v quiet -nologo >&2
dotnet run --no-build --project "$repo/perf/AsyncPitfalls.Benchmarks" -c Release -- "${args[@]}" "${out[@]}"
