#!/usr/bin/env bash
# Prowler (the peer bench:sweep and the coverage comparison run against) in its own venv: .tools/prowler/bin/prowler.
# Run only by the peer scripts (npm run peer:prowler-coverage), never by `npm test`: Prowler and its
# cloud SDKs are a large install. Idempotent: a no-op when the pinned version is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=${TOOLS:-$PWD/.tools}
PROWLER_VERSION=5.46.0
# Prowler supports Python 3.9-3.12; the machine's pyenv 3.11 keeps the venv independent of the system Python.
PYTHON=${PROWLER_PYTHON:-/root/.pyenv/versions/3.11.7/bin/python3}
VENV="$TOOLS/prowler"
installed() { "$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('prowler'))" 2>/dev/null; }
if [ -x "$VENV/bin/prowler" ] && [ "$(installed)" = "$PROWLER_VERSION" ]; then
  exit 0
fi
if [ ! -x "$PYTHON" ]; then
  echo "prowler-setup: $PYTHON not found; set PROWLER_PYTHON to a Python 3.9-3.12 interpreter" >&2
  exit 2
fi
printf 'prowler-setup: installing prowler==%s into %s (a few minutes, once)\n' "$PROWLER_VERSION" "$VENV" >&2
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "prowler==$PROWLER_VERSION" >&2
