#!/usr/bin/env bash
# The scan step of action.yml, kept in a script so that it can be run and tested
# outside GitHub (tests/action.rs runs it with the variables a runner sets).
#
# Reads INPUT_* (the action's inputs), GITHUB_WORKSPACE, GITHUB_EVENT_NAME,
# GITHUB_BASE_REF, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY; runs $VIGIE (default:
# vigie on PATH). Writes the SARIF report, prints workflow annotations, appends
# the job summary, sets the sarif-file and exit-code outputs, and exits with the
# scan's status (0 clean, 1 findings at or above INPUT_SEVERITY, 2 error).
set -uo pipefail

vigie="${VIGIE:-vigie}"
cd "${GITHUB_WORKSPACE:-.}" || exit 2

read -r -a paths <<< "${INPUT_PATH:-.}"
[ "${#paths[@]}" -gt 0 ] || paths=(.)
args=()
for framework in ${INPUT_FRAMEWORKS//,/ }; do
  args+=(--framework "$framework")
done
[ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")

changed_only="${INPUT_CHANGED_ONLY:-auto}"
if [ "$changed_only" = auto ]; then
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request | pull_request_target) changed_only=true ;;
    *) changed_only=false ;;
  esac
fi
if [ "$changed_only" = true ]; then
  base="${GITHUB_BASE_REF:-}"
  if [ -z "$base" ]; then
    echo "::warning title=vigie::changed-only needs a pull request's base branch (GITHUB_BASE_REF); scanning every line"
  else
    if ! git rev-parse --verify --quiet "origin/$base^{commit}" > /dev/null; then
      git fetch --quiet --no-tags --depth=50 origin "$base:refs/remotes/origin/$base" \
        || echo "::warning title=vigie::cannot fetch the base branch $base"
    fi
    since=$(git merge-base "origin/$base" HEAD 2> /dev/null || echo "origin/$base")
    args+=(--changed-since "$since")
  fi
fi

sarif="${INPUT_SARIF_FILE:-vigie.sarif}"
# The SARIF report holds every finding, whatever the severity threshold.
"$vigie" scan "${paths[@]}" "${args[@]}" --format sarif --output "$sarif"
sarif_status=$?
# Annotations, the job summary and the job's outcome follow the threshold.
"$vigie" scan "${paths[@]}" "${args[@]}" --severity "${INPUT_SEVERITY:-low}" --format github
status=$?
if [ "$sarif_status" -eq 2 ]; then
  status=2
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    [ "$sarif_status" -ne 2 ] && echo "sarif-file=$sarif"
    echo "exit-code=$status"
  } >> "$GITHUB_OUTPUT"
fi
exit "$status"
