#!/usr/bin/env bash
# Runs a command with the project's Node.js (scripts/lib/node-env.sh) after an idempotent setup:
#   bash scripts/run.sh [--test] <command> [args…]     --test also sets up the test stand-ins
set -euo pipefail
cd "$(dirname "$0")/.."
setup_args=()
if [ "${1:-}" = "--test" ]; then setup_args=(--test); shift; fi
bash scripts/setup.sh "${setup_args[@]}"
ROOT=$PWD
. scripts/lib/node-env.sh
exec "$@"
