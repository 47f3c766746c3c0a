#!/usr/bin/env bash
# Update and compile the Thai catalog of one part of the portal.
#   scripts/messages.sh APP     an app's own strings: APP/**/*.py and APP/templates → APP/locale/th
#   scripts/messages.sh core    templates/ and ita_portal/ → locale/th
# Needs GNU gettext (xgettext, msgfmt) on the developer's machine only: the compiled .mo files are
# committed, so a fresh machine runs without gettext.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/messages.sh APP|core}
export DJANGO_SETTINGS_MODULE=ita_portal.settings PYTHONPATH=$PWD
admin=$PWD/.venv/bin/django-admin
if [ "$target" = core ]; then
  mkdir -p locale/th/LC_MESSAGES
  # Only the shared templates and ita_portal's own code; every app keeps its own catalog.
  "$admin" makemessages -l th --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='tests/*' --ignore='tools/*' \
    $(for a in units assessments measures reports interchange dashboards demo; do printf -- "--ignore=%s/* " "$a"; done)
  (cd locale && msgfmt --check -o th/LC_MESSAGES/django.mo th/LC_MESSAGES/django.po)
else
  mkdir -p "$target/locale/th/LC_MESSAGES"
  (cd "$target" && "$admin" makemessages -l th --no-obsolete --ignore='migrations/*')
  (cd "$target/locale" && msgfmt --check -o th/LC_MESSAGES/django.mo th/LC_MESSAGES/django.po)
fi
echo "updated: $(git status --short -- "$target" locale 2>/dev/null | wc -l) files; fill msgstr, then run again to compile"
