#!/usr/bin/env bash
# Profiles a command in CI, writes the reports and fails on a broken budget or
# a regression against a base profile. See docs/ci.md.
#
#   tsprof-ci.sh <command> [args...]        e.g.  tsprof-ci.sh npm test
#
# Writes into $TSPROF_OUT (default tsprof-out/): profile.tsprof, report.html,
# and with a base profile diff.html; appends the markdown summaries to
# $GITHUB_STEP_SUMMARY (GitHub Actions sets it; stdout elsewhere).
# Environment (all optional):
#   TSPROF                 how to run tsprof (default: npx --no-install tsprof)
#   TSPROF_OUT             output folder (default: tsprof-out)
#   TSPROF_BASE            the base branch's profile (default: base/profile.tsprof, if present)
#   TSPROF_BUDGETS         budgets file (default: tsprof-budgets.json, if present)
#   TSPROF_MAX_REGRESSION  how much slower than the base a path may get (default: 10%)
# Exit status: the command's own when it fails; else 1 for a broken budget or
# a regression the samples support; 2 for bad input; 0 otherwise.
set -uo pipefail

read -r -a tsprof <<< "${TSPROF:-npx --no-install tsprof}"
out="${TSPROF_OUT:-tsprof-out}"
base="${TSPROF_BASE:-base/profile.tsprof}"
budgets="${TSPROF_BUDGETS:-tsprof-budgets.json}"
summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
mkdir -p "$out"
# A report that could not be written is bad input, unless something failed first.
bad_input() { [ "$status" -eq 0 ] && status=2; }

"${tsprof[@]}" -o "$out/profile.tsprof" -- "$@"
status=$?
if [ ! -f "$out/profile.tsprof" ]; then
  echo "tsprof-ci: no profile was recorded" >&2
  exit $(( status == 0 ? 1 : status ))
fi

"${tsprof[@]}" view "$out/profile.tsprof" -o "$out/report.html" --no-open || bad_input
"${tsprof[@]}" view "$out/profile.tsprof" -r markdown >> "$summary" || bad_input

check=(check "$out/profile.tsprof")
[ -f "$budgets" ] && check+=(--budget "$budgets")
if [ -f "$base" ]; then
  "${tsprof[@]}" diff "$base" "$out/profile.tsprof" -o "$out/diff.html" --no-open || bad_input
  "${tsprof[@]}" diff "$base" "$out/profile.tsprof" -r markdown >> "$summary" || bad_input
  check+=(--base "$base" --max-regression "${TSPROF_MAX_REGRESSION:-10%}")
fi
if [ "${#check[@]}" -gt 2 ]; then
  # The markdown report goes to the summary, the verdict to the job's log.
  "${tsprof[@]}" "${check[@]}" -r markdown -o "$out/check.md"
  checked=$?
  [ -f "$out/check.md" ] && cat "$out/check.md" >> "$summary"
  [ "$status" -eq 0 ] && status=$checked
fi
exit "$status"
