#!/usr/bin/env bash
# Approves Fix-All corpus results that a person has read: each tests/.../Corpus/NAME.received.cs that the corpus test
# wrote (because the fixes no longer give NAME.fixed.cs) replaces NAME.fixed.cs. It shows each difference first and asks,
# unless --yes is given. Nothing else ever writes a snapshot.
#
#   tools/approve-snapshots.sh [--yes] [NAME ...]     # NAME: a corpus program, e.g. 03-retry-loop (default: every received file)
set -euo pipefail
corpus="$(cd "$(dirname "$0")/.." && pwd)/tests/AsyncPitfalls.IntegrationTests/Fixes/Corpus"
yes=0
names=()
for arg in "$@"; do
  case "$arg" in
    --yes) yes=1 ;;
    *) names+=("${arg%.cs}") ;;
  esac
done

if [ ${#names[@]} -eq 0 ]; then
  while IFS= read -r file; do names+=("$(basename "$file" .received.cs)"); done < <(find "$corpus" -name '*.received.cs' | sort)
fi

if [ ${#names[@]} -eq 0 ]; then
  echo "nothing to approve: no *.received.cs in $corpus"
  exit 0
fi

for name in "${names[@]}"; do
  received="$corpus/$name.received.cs"
  approved="$corpus/$name.fixed.cs"
  if [ ! -f "$received" ]; then
    echo "no $name.received.cs: run the corpus test first (dotnet test tests/AsyncPitfalls.IntegrationTests --filter FixAllCorpusTests)" >&2
    exit 2
  fi

  echo "== $name"
  if [ -f "$approved" ]; then diff -u "$approved" "$received" || true; else cat "$received"; fi
  if [ "$yes" -ne 1 ]; then
    read -r -p "approve $name? [y/N] " answer
    [ "$answer" = "y" ] || { echo "kept $name.fixed.cs"; continue; }
  fi
  mv "$received" "$approved"
  echo "approved $name"
done
