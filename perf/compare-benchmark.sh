#!/usr/bin/env bash
# The regression guard for the cost on real repositories. Not a test: run it by hand after a change that may cost time.
#
#   perf/check-realcode.sh --all --real-cost --out artifacts/benchmark-real.md    # writes artifacts/benchmark.json
#   perf/compare-benchmark.sh [artifacts/benchmark.json]
#
# It compares each rule's share of compile time, per repository, with the snapshot embedded in perf/RESULTS.md, and
# exits 1 when one grew by more than 25% (shares below 0.05% of compile are noise and are not flagged). Timings on a
# 2-core machine move by about 15% between runs: re-run before believing a single flag.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
current="${1:-$repo/artifacts/benchmark.json}"
dotnet build "$repo/perf/AsyncPitfalls.Benchmarks" -c Release -v quiet -nologo >&2
dotnet run --no-build --project "$repo/perf/AsyncPitfalls.Benchmarks" -c Release -- --compare "$current" "$here/RESULTS.md"
