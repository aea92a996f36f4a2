#!/usr/bin/env bash
# The analyzers' cost where users pay it: real `dotnet build`s (issue 27). Not a test: run it by hand.
#
#   perf/real-build.sh [--runs 3] [--out artifacts/real-build] REPO-DIR:PROJECT-OR-SOLUTION ...
#
# For each project: a warm-up build (restore, the compiler server starts), then for each configuration, in turn,
# --runs recorded builds:
#   dotnet build PROJECT --no-incremental -c Release -p:ReportAnalyzer=true -bl:FILE
# with the configuration's analyzers added through an injected targets file (CustomAfterMicrosoftCommonTargets):
#   none        nothing added (the repository's own analyzers only)
#   ours        the package's analyzer assembly, as a consumer's build loads it
#   floor       perf/AsyncPitfalls.Floor: every analyzer of ours, registrations kept, callbacks emptied
#   asyncfixer  AsyncFixer 2.1.0 from the NuGet cache (the cheapest peer)
# The configurations alternate run by run (none, ours, floor, asyncfixer, none, ...), so drift hits them alike. Each
# binlog is replayed at diagnostic verbosity; the analyzer times come from the compiler's /reportanalyzer summary and
# the Csc time from the task performance summary. Prints, per project, the medians and the ratios, and writes them
# as TSV to OUT/real-build.tsv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
runs=3
out="$repo/artifacts/real-build"
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || { echo "usage: perf/real-build.sh [--runs N] [--out DIR] REPO-DIR:PROJECT ..." >&2; exit 2; }
mkdir -p "$out"

dotnet build "$repo/src/AsyncPitfalls.Analyzers" -c Release -v quiet -nologo >&2
dotnet build "$here/AsyncPitfalls.Floor" -c Release -v quiet -nologo >&2
# Copies, so that no build of this repository in the meantime changes what is measured.
mkdir -p "$out/ours" "$out/floor"
cp "$repo/src/AsyncPitfalls.Analyzers/bin/Release/netstandard2.0/AsyncPitfalls.Analyzers.dll" "$out/ours/"
cp "$here/AsyncPitfalls.Floor/bin/Release/netstandard2.0/AsyncPitfalls.Floor.dll" "$here/AsyncPitfalls.Floor/bin/Release/netstandard2.0/AsyncPitfalls.Analyzers.dll" "$out/floor/"
ours="$out/ours/AsyncPitfalls.Analyzers.dll"
floor="$out/floor/AsyncPitfalls.Floor.dll"
asyncfixer="$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/asyncfixer/2.1.0/analyzers/dotnet/cs/AsyncFixer.dll 2>/dev/null | head -1)"
[ -f "$asyncfixer" ] || { echo "AsyncFixer 2.1.0 is not in the NuGet cache: build perf/AsyncPitfalls.Benchmarks first (it restores the peers)" >&2; exit 2; }

inject() { # $1 = configuration, $2 = analyzer paths (;-separated, empty for none), $3 = a global config (optional)
  local file="$out/inject-$1.targets"
  {
    echo '<Project>'
    if [ -n "$2" ]; then
      echo '  <ItemGroup Condition="'"'"'$(Language)'"'"' == '"'"'C#'"'"'">'
      echo "    <Analyzer Include=\"$2\" />"
      [ -n "${3:-}" ] && echo "    <GlobalAnalyzerConfigFiles Include=\"$3\" />"
      echo '  </ItemGroup>'
    fi
    echo '</Project>'
  } > "$file"
  echo "$file"
}
# The floor wraps our analyzers, so the compiler needs our assembly as an analyzer reference too (it loads an
# analyzer's dependencies only from the analyzer references). Every rule of ours is turned off there, so the driver
# skips our own analyzers and runs only the floor's empty callbacks.
floorconfig="$out/floor/off.globalconfig"
{ echo "is_global = true"; echo "global_level = 100"; for page in "$repo"/docs/rules/ASYNC*.md; do echo "dotnet_diagnostic.$(basename "$page" .md).severity = none"; done; } > "$floorconfig"
declare -A config=( [none]="$(inject none "")" [ours]="$(inject ours "$ours")" [floor]="$(inject floor "$floor;$out/floor/AsyncPitfalls.Analyzers.dll" "$floorconfig")" [asyncfixer]="$(inject asyncfixer "$asyncfixer")" )
order=(none ours floor asyncfixer)

build() { # $1 = project, $2 = configuration, $3 = binlog (empty: warm-up)
  local args=(build "$1" --no-incremental -c Release -nologo -v quiet -p:TreatWarningsAsErrors=false -p:CodeAnalysisTreatWarningsAsErrors=false
              -p:NuGetAudit=false "-p:CustomAfterMicrosoftCommonTargets=${config[$2]}")
  [ -n "$3" ] && args+=(-p:ReportAnalyzer=true "-bl:$3")
  dotnet "${args[@]}" > /dev/null 2>&1 || echo "  (the $2 build of $1 failed; its numbers are left out)" >&2
}

# Seconds of Csc, of ours (the analyzer types of our assembly, or the floor's), and of AsyncFixer in one binlog.
measure() { # $1 = binlog
  local log="${1%.binlog}.log"
  (cd "$out" && dotnet msbuild "$1" -noconlog "-flp:v=diag;logfile=$log;PerformanceSummary" > /dev/null 2>&1) || true
  # The compiler's /reportanalyzer summary has one line per analyzer assembly and Csc task ("1.325  31  Name, Version=…
  # (TaskId:66)"); the task performance summary has the Csc total ("29523 ms  Csc  2 calls").
  awk '
    /^[[:space:]]+[0-9]+ ms[[:space:]]+Csc[[:space:]]/ { csc += $1 / 1000 }
    /(AsyncPitfalls\.Analyzers|AsyncPitfalls\.Floor), Version=/ && $1 ~ /^[0-9.]+$/ { if (!seen[$0]++) ours += $1 }
    /AsyncFixer, Version=/ && $1 ~ /^[0-9.]+$/ { if (!seenf[$0]++) fixer += $1 }
    END { printf "%.3f\t%.3f\t%.3f\n", csc, ours, fixer }' "$log"
  rm -f "$log"
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "nan" } else if (NR % 2) { print a[(NR + 1) / 2] } else { print (a[NR / 2] + a[NR / 2 + 1]) / 2 } }'; }

printf "project\tconfiguration\truns\tcsc_s\tanalyzer_s\n" > "$out/real-build.tsv"
for target in "${targets[@]}"; do
  dir="${target%%:*}"; project="$dir/${target#*:}"; name="$(basename "$dir")"
  # A global.json that pins an SDK this machine does not have is moved aside for the builds, and put back.
  moved=""
  if [ -f "$dir/global.json" ] && ! (cd "$dir" && dotnet --version > /dev/null 2>&1); then
    mv "$dir/global.json" "$dir/global.json.real-build"; moved="$dir/global.json"
    trap '[ -n "$moved" ] && mv "$moved.real-build" "$moved"' EXIT
  fi
  echo "== $name: warm-up" >&2
  build "$project" none ""
  declare -A csc=() analyzer=()
  for run in $(seq 1 "$runs"); do
    for c in "${order[@]}"; do
      binlog="$out/$name-$c-$run.binlog"
      build "$project" "$c" "$binlog"
      [ -f "$binlog" ] || continue
      read -r c_csc c_ours c_fixer < <(measure "$binlog")
      csc[$c]+="$c_csc "
      case "$c" in
        ours|floor) analyzer[$c]+="$c_ours " ;;
        asyncfixer) analyzer[$c]+="$c_fixer " ;;
        none) analyzer[$c]+="0 " ;;
      esac
      echo "   run $run $c: csc ${c_csc}s, analyzer ${c_ours}/${c_fixer}s" >&2
    done
  done
  for c in "${order[@]}"; do
    m_csc=$(echo "${csc[$c]:-}" | tr ' ' '\n' | grep -v '^$' | median)
    m_an=$(echo "${analyzer[$c]:-}" | tr ' ' '\n' | grep -v '^$' | median)
    printf "%s\t%s\t%s\t%s\t%s\n" "$name" "$c" "$runs" "$m_csc" "$m_an" >> "$out/real-build.tsv"
  done
  unset csc analyzer
  if [ -n "$moved" ]; then mv "$moved.real-build" "$moved"; moved=""; fi
done

# Ratios per project: ours / Csc (in the ours builds), ours / AsyncFixer, (ours - floor) / Csc.
awk -F'\t' 'NR > 1 { csc[$1, $2] = $4; an[$1, $2] = $5; names[$1] = 1 }
  END {
    printf "| project | Csc, ours build (s) | ours (s) | floor (s) | AsyncFixer (s) | ours / Csc | ours / AsyncFixer | (ours - floor) / Csc |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
    for (n in names) {
      c = csc[n, "ours"]; o = an[n, "ours"]; f = an[n, "floor"]; a = an[n, "asyncfixer"]
      printf "| %s | %.2f | %.3f | %.3f | %.3f | %.2f%% | %.2f | %.2f%% |\n", n, c, o, f, a, (c > 0 ? 100 * o / c : 0), (a > 0 ? o / a : 0), (c > 0 ? 100 * (o - f) / c : 0)
    }
  }' "$out/real-build.tsv"
