#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a short time each (FUZZTIME, default 6s, so that
# the eleven targets and their instrumented builds stay within about three minutes), on top of
# its seed corpus (testdata/fuzz/<Target>/ beside the test), which plain `go test` already
# replays. A crasher found here is written to that corpus directory and fails the run; commit it
# with the fix so it stays a regression test (docs/limits.md#fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-6s}
found=0
while IFS= read -r line; do
  file=${line%%:*}
  name=$(sed -E 's/^.*func (Fuzz[A-Za-z0-9_]*)\(.*/\1/' <<<"${line#*:}")
  pkg=./$(dirname "$file")
  printf '==> fuzz %s %s for %s\n' "$pkg" "$name" "$FUZZTIME" >&2
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "$pkg"
  found=$((found + 1))
done < <(grep -rHE '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' --include='*_test.go' . | sed 's#^\./##' | sort)
printf '==> %d fuzz targets ran\n' "$found" >&2
