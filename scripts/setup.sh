#!/usr/bin/env bash
# Idempotent setup for a fresh machine: npm dependencies and the pinned tools under .tools/.
# Quick when already done: each step checks a stamp or a version before doing anything.
#   bash scripts/setup.sh          what scanning needs (npm packages, opa)
#   bash scripts/setup.sh --test   plus the test stand-ins (moto, OCI registry, crane, chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
mkdir -p "$TOOLS/bin"

OPA_VERSION=1.22.2

say() { printf 'setup: %s\n' "$*" >&2; }

# 0. Node.js 22, the runtime of the Lambdas, the CLI and the tests (installed into .tools/node if missing).
. scripts/lib/node-env.sh

# 1. npm dependencies exactly as locked, re-installed only when the lockfile or the Node.js version changes
#    (native addons are built for one Node ABI). The lockfile lists every platform's optional packages, so
#    `npm ci` leaves it untouched.
lock_hash="$(sha256sum package-lock.json | cut -c1-16) node-$(node -v)"
if [ ! -f node_modules/.posture-lock ] || [ "$(cat node_modules/.posture-lock)" != "$lock_hash" ]; then
  say "npm ci (from package-lock.json, Node.js $(node -v))"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" > node_modules/.posture-lock
fi

# 2. The CLI as an esbuild bundle in dist/cli (bin/posture.js also rebuilds it when a source is newer).
node scripts/lib/cli-bundle.mjs

# 3. The real OPA CLI from the Go module proxy, at the pinned version.
opa_ok() { "$1" version 2>/dev/null | grep -x "Version: $OPA_VERSION" >/dev/null; }
if ! opa_ok "$TOOLS/bin/opa"; then
  if command -v opa >/dev/null && opa_ok "$(command -v opa)"; then
    ln -sf "$(command -v opa)" "$TOOLS/bin/opa"
  else
    say "building opa v$OPA_VERSION from the Go module proxy (a few minutes, once)"
    GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "github.com/open-policy-agent/opa@v$OPA_VERSION" >&2
  fi
fi

# Test stand-ins: scripts/setup.d/*.sh, each idempotent.
if [ "${1:-}" = "--test" ] && [ -d scripts/setup.d ]; then
  for step in scripts/setup.d/*.sh; do
    [ -e "$step" ] || continue
    TOOLS="$TOOLS" ROOT="$ROOT" bash "$step"
  done
fi
