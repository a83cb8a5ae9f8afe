#!/bin/sh
# Checks that every catalog in po/LINGUAS translates every message of the sources: the
# template is made afresh from po/POTFILES.in (as `meson compile uplink-pot` does, into a
# temporary file), and msgcmp fails on any message a catalog lacks, leaves empty or only
# has a fuzzy guess for. A new string without its five translations fails here, not in
# front of a partner.
#
# Usage: check-complete.sh [top-source-dir]
set -eu

top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"

pot=$(mktemp --suffix=.pot)
trap 'rm -f "$pot"' EXIT

xgettext --files-from=po/POTFILES.in --directory=. --output="$pot" --from-code=UTF-8 \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
  --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 --package-name=uplink

status=0
for lang in $(sed -e 's/#.*//' po/LINGUAS); do
  if ! msgcmp "po/$lang.po" "$pot" 2>"$pot.err"; then
    echo "po/$lang.po is incomplete:" >&2
    sed 's/^/  /' "$pot.err" >&2
    status=1
  fi
  rm -f "$pot.err"
done
exit $status
