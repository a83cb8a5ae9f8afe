#!/bin/sh
# Checks that every status code in ul-status.h has its help page (DESIGN.md §3):
# help/C/status-<code>.page exists, has the page id "status-<code>", and is listed in
# help/meson.build so that it gets installed. Also reports status pages without a code.
#
# Usage: check-status-pages.sh [path/to/ul-status.h [path/to/help]]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
header=${1:-$here/../core/common/ul-status.h}
helpdir=${2:-$here}

if [ ! -r "$header" ]; then
  echo "cannot read $header" >&2
  exit 1
fi

# #define UL_STATUS_CUSTOMER_REQUIRED   "customer-required"
codes=$(sed -n 's/^[[:space:]]*#[[:space:]]*define[[:space:]]\{1,\}UL_STATUS_[A-Z0-9_]\{1,\}[[:space:]]\{1,\}"\([a-z0-9-]\{1,\}\)".*/\1/p' "$header")
if [ -z "$codes" ]; then
  echo "no #define UL_STATUS_* \"code\" found in $header" >&2
  exit 1
fi

missing=
wrong_id=
unlisted=
for code in $codes; do
  page="$helpdir/C/status-$code.page"
  if [ ! -f "$page" ]; then
    missing="$missing status-$code.page"
    continue
  fi
  if ! grep -q "id=\"status-$code\"" "$page"; then
    wrong_id="$wrong_id status-$code.page"
  fi
  if ! grep -q "'status-$code\.page'" "$helpdir/meson.build"; then
    unlisted="$unlisted status-$code.page"
  fi
done

orphans=
for page in "$helpdir"/C/status-*.page; do
  [ -e "$page" ] || continue
  code=$(basename "$page" .page)
  code=${code#status-}
  case " $(echo $codes) " in
    *" $code "*) ;;
    *) orphans="$orphans $(basename "$page")" ;;
  esac
done

status=0
if [ -n "$missing" ]; then
  echo "status codes without a help page (help/C):$missing" >&2
  status=1
fi
if [ -n "$wrong_id" ]; then
  echo "help pages whose page id is not status-<code>:$wrong_id" >&2
  status=1
fi
if [ -n "$unlisted" ]; then
  echo "help pages missing from help/meson.build:$unlisted" >&2
  status=1
fi
if [ -n "$orphans" ]; then
  echo "help pages for unknown status codes:$orphans" >&2
  status=1
fi
if [ $status -eq 0 ]; then
  echo "$(echo $codes | wc -w) status codes, each with its help page"
fi
exit $status
