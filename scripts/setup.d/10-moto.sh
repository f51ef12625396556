#!/usr/bin/env bash
# moto (AWS API stand-in) in a project-local venv: .tools/venv/bin/moto_server.
# Idempotent: a no-op when the pinned version is already installed.
set -euo pipefail
MOTO_VERSION=5.2.5
VENV="$TOOLS/venv"
installed() { "$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('moto'))" 2>/dev/null; }
if [ -x "$VENV/bin/moto_server" ] && [ "$(installed)" = "$MOTO_VERSION" ]; then
  exit 0
fi
printf 'setup: installing moto[server]==%s into %s\n' "$MOTO_VERSION" "$VENV" >&2
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
