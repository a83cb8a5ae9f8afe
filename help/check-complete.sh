#!/bin/sh
# Checks that each translation of the help (help/<lang>/<lang>.po, languages in
# help/LINGUAS) translates every message of the current pages: the template is made afresh
# with itstool into a temporary file and msgcmp fails on a missing, empty or fuzzy message,
# so a changed English page cannot ship with stale or English passages in a translation.
#
# Usage: check-complete.sh HELP-DIR PAGE...
set -eu

dir=$1
shift
pot=$(mktemp --suffix=.pot)
trap 'rm -f "$pot" "$pot.err"' EXIT

itstool -o "$pot" "$@"

status=0
for lang in $(sed -e 's/#.*//' "$dir/LINGUAS"); do
  if ! msgcmp "$dir/$lang/$lang.po" "$pot" 2>"$pot.err"; then
    echo "$dir/$lang/$lang.po is incomplete:" >&2
    sed 's/^/  /' "$pot.err" >&2
    status=1
  fi
done
exit $status
