#!/bin/sh
# Checks po/POTFILES.in against the tree: every listed file exists, and every source file
# with translatable strings is listed (or named in po/POTFILES.skip). A missing file breaks
# the template; an unlisted one ships untranslated.
#
# Usage: check-potfiles.sh [top-source-dir]
set -eu

top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"

listed=$(mktemp)
found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT

sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' po/POTFILES.in > "$listed"
if [ -f po/POTFILES.skip ]; then
  sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' po/POTFILES.skip >> "$listed"
fi

status=0

missing=
for f in $(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/POTFILES.in); do
  [ -f "$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then
  echo "po/POTFILES.in lists files that do not exist:$missing" >&2
  status=1
fi

dirs=
for d in core gui data; do
  [ -d "$d" ] && dirs="$dirs $d"
done

if [ -n "$dirs" ]; then
  {
    # C: the gettext macros of glib/gi18n(-lib).h
    grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|Q_|g_dngettext|g_dpgettext2|ngettext)[[:space:]]*\(' \
      --include='*.c' --include='*.h' $dirs || true
    # GtkBuilder and Blueprint
    grep -rl 'translatable="yes"' --include='*.ui' $dirs || true
    grep -rlE '(^|[^A-Za-z0-9_])C?_\("' --include='*.blp' $dirs || true
    # Desktop entries, AppStream metainfo and polkit policies are always translated
    find $dirs -type f \( -name '*.desktop.in' -o -name '*.desktop.in.in' \
      -o -name '*.metainfo.xml.in' -o -name '*.metainfo.xml.in.in' \
      -o -name '*.policy.in' \) || true
  } | sed 's|^\./||' | sort -u > "$found"
fi

unlisted=
while read -r f; do
  grep -qxF "$f" "$listed" || unlisted="$unlisted $f"
done < "$found"
if [ -n "$unlisted" ]; then
  echo "files with translatable strings missing from po/POTFILES.in:$unlisted" >&2
  status=1
fi

if [ $status -eq 0 ]; then
  echo "po/POTFILES.in lists all $(wc -l < "$found") files with translatable strings"
fi
exit $status
