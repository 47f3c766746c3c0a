#!/usr/bin/env bash
# ITA Portal developer entry point.
#   ./dev.sh start   set up .venv, migrate an SQLite database under var/, load demo data, serve on :8000
#   ./dev.sh test    set up .venv and run the test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}

setup_venv() {
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  local stamp=.venv/.installed-pyproject
  if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[dev]"
    cp pyproject.toml "$stamp"
  fi
}

case "${1:-start}" in
  start)
    setup_venv
    mkdir -p var/staticfiles  # the SQLite database and collected static files (settings write nothing)
    .venv/bin/python manage.py migrate --noinput
    .venv/bin/python manage.py load_demo
    echo
    echo "ITA Portal: http://127.0.0.1:8000/  (Ctrl+C to stop)"
    exec .venv/bin/python manage.py runserver 127.0.0.1:8000
    ;;
  test)
    shift || true
    setup_venv
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh start | ./dev.sh test [pytest args]" >&2
    exit 2
    ;;
esac
