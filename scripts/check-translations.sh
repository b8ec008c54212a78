#!/bin/sh
# check-translations.sh SRCDIR — fails when po/de.po misses a UI string of po/POTFILES.in
# (untranslated or fuzzy), when a listed file does not exist, or when a client file with UI
# strings is not listed. Our users are German: every
# string the app shows must be translated (meson test "translations").
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
src="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

files="$(grep -v '^#' "$src/po/POTFILES.in" | sed '/^[[:space:]]*$/d')"
for f in $files; do
  [ -f "$src/$f" ] || { echo "po/POTFILES.in lists $f, which does not exist"; exit 1; }
done
# Every client source and UI file with translatable strings must be listed.
for f in $(cd "$src" && grep -lE '(^|[^A-Za-z0-9_])N?_\(|translatable="yes"' client/*.c data/ui/*.ui); do
  echo "$files" | grep -qx "$f" || { echo "$f has UI strings but is not in po/POTFILES.in"; exit 1; }
done
# The same keywords as meson's glib preset.
(cd "$src" && xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
  --keyword=g_dpgettext2:2c,3 --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format \
  --flag=NC_:2:pass-c-format --flag=g_dngettext:2:pass-c-format \
  --flag=g_strdup_printf:1:c-format --flag=g_string_printf:2:c-format \
  --flag=g_string_append_printf:2:c-format --flag=g_error_new:3:c-format \
  --flag=g_set_error:4:c-format --flag=g_markup_printf_escaped:1:c-format \
  --flag=g_log:3:c-format --flag=g_print:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_printf:1:c-format --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format \
  --flag=g_snprintf:3:c-format -o "$tmp/zeugnis.pot" $files)
msgmerge --quiet --no-fuzzy-matching -o "$tmp/de.po" "$src/po/de.po" "$tmp/zeugnis.pot"
msgfmt --check -o /dev/null "$tmp/de.po"
stats="$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/de.po" 2>&1)"
echo "de: $stats"
case "$stats" in
  *untranslated* | *fuzzy*)
    echo "missing German translations (untranslated, then fuzzy):"
    msgattrib --untranslated "$tmp/de.po" | grep '^msgid' | sed 1d || true
    msgattrib --only-fuzzy "$tmp/de.po" | grep '^msgid' | sed 1d || true
    exit 1 ;;
esac
