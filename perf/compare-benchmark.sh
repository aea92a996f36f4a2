#!/usr/bin/env bash
# The regression guard for the cost on real repositories. Not a test: run it by hand after a change that may cost time.
#
#   perf/check-realcode.sh --all --real-cost --out artifacts/benchmark-real.md    # writes artifacts/benchmark.json
#   perf/compare-benchmark.sh [artifacts/benchmark.json]
#   perf/real-build.sh --runs 3 REPO:PROJECT ...                                  # writes artifacts/real-build/real-build.tsv
#   perf/compare-benchmark.sh --real-build [artifacts/real-build/real-build.tsv]
#
# The first form compares each rule's share of compile time, per repository, with the snapshot embedded in
# perf/RESULTS.md, and exits 1 when one grew by more than 25% (shares below 0.05% of compile are noise and are not
# flagged). The second compares, per project, our analyzers' share of the Csc task in real builds (the "ours"
# configuration, medians) with the real-build snapshot there, with the same 25% threshold. Timings on a 2-core machine
# move by about 15% between runs: re-run before believing a single flag.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"

if [ "${1:-}" = "--real-build" ]; then
  current="${2:-$repo/artifacts/real-build/real-build.tsv}"
  [ -f "$current" ] || { echo "no real-build TSV at $current: run perf/real-build.sh first" >&2; exit 2; }
  snapshot="$(mktemp)"
  trap 'rm -f "$snapshot"' EXIT
  awk '/<!-- real-build-tsv:start -->/{on=1; next} /<!-- real-build-tsv:end -->/{on=0} on && !/^```/' "$here/RESULTS.md" > "$snapshot"
  awk -F'\t' '
    FNR == 1 { file++; next }
    $2 == "ours" && $4 > 0 { share[file, $1] = $5 / $4; names[$1] = 1 }
    END {
      flagged = 0
      for (n in names) {
        if (!((1, n) in share)) { printf "%s: not in the snapshot\n", n; continue }
        if (!((2, n) in share)) { continue }
        old = share[1, n]; new = share[2, n]
        printf "%s: ours / Csc %.2f %% -> %.2f %%\n", n, 100 * old, 100 * new
        if (new > old * 1.25 && new > 0.0005) { printf "  grew by more than 25%%\n"; flagged = 1 }
      }
      exit flagged
    }' "$snapshot" "$current"
  exit $?
fi

current="${1:-$repo/artifacts/benchmark.json}"
dotnet build "$repo/perf/AsyncPitfalls.Benchmarks" -c Release -v quiet -nologo >&2
dotnet run --no-build --project "$repo/perf/AsyncPitfalls.Benchmarks" -c Release -- --compare "$current" "$here/RESULTS.md"
