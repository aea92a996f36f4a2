#!/usr/bin/env bash
# The ship step of a release: this version's rules move from AnalyzerReleases.Unshipped.md to
# AnalyzerReleases.Shipped.md under "## Release <version>", and CHANGELOG.md's [Unreleased] section becomes
# "[<version>] - <date>" with a fresh, empty [Unreleased] above it. Run it once, on the commit that is released.
#
#   src/AsyncPitfalls.Package/ship-release.sh [REPOSITORY-ROOT] [DATE]
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/../.." && pwd)}"
date="${2:-$(date -u +%Y-%m-%d)}"
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -1)
[ -n "$version" ] || { echo "no <Version> in Directory.Build.props" >&2; exit 2; }
analyzers="$root/src/AsyncPitfalls.Analyzers"
unshipped="$analyzers/AnalyzerReleases.Unshipped.md"
shipped="$analyzers/AnalyzerReleases.Shipped.md"
grep -q "^## Release $version\$" "$shipped" && { echo "release $version is already shipped" >&2; exit 2; }

python3 - "$unshipped" "$shipped" "$root/CHANGELOG.md" "$version" "$date" <<'PY'
import re, sys
unshipped_path, shipped_path, changelog_path, version, date = sys.argv[1:]
unshipped = open(unshipped_path).read().splitlines()
header = [l for l in unshipped if l.startswith(";")]
body = [l for l in unshipped if not l.startswith(";")]
while body and not body[0].strip():
    body.pop(0)
while body and not body[-1].strip():
    body.pop()
if not any("|" in l and l.split("|")[0].strip().startswith("ASYNC") for l in body):
    sys.exit("nothing to ship: AnalyzerReleases.Unshipped.md lists no rule")
shipped = open(shipped_path).read().rstrip("\n")
open(shipped_path, "w").write(shipped + f"\n\n## Release {version}\n\n" + "\n".join(body) + "\n")
open(unshipped_path, "w").write("\n".join(header) + "\n")
changelog = open(changelog_path).read()
if "## [Unreleased]" not in changelog:
    sys.exit("CHANGELOG.md has no [Unreleased] section")
changelog = changelog.replace("## [Unreleased]", f"## [Unreleased]\n\n## [{version}] - {date}", 1)
open(changelog_path, "w").write(changelog)
print(f"shipped {version}")
PY
