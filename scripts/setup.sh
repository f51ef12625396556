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

# 1. npm dependencies, re-installed only when the lockfile changes.
lock_hash=$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f node_modules/.posture-lock ] || [ "$(cat node_modules/.posture-lock)" != "$lock_hash" ]; then
  # `npm install` rather than `npm ci`: this npm records only this platform's optional packages
  # (rollup's native builds) in the lockfile and then `npm ci` refuses that same lockfile.
  say "npm install (from package-lock.json)"
  npm install --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" > node_modules/.posture-lock
fi

# 2. The real OPA CLI from the Go module proxy, at the pinned version.
opa_ok() { "$1" version 2>/dev/null | grep -qx "Version: $OPA_VERSION"; }
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
