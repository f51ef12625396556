#!/usr/bin/env bash
# The whole test suite: setup, policy gates (fmt/check/test), type check, vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
OPA=.tools/bin/opa
npx tsx scripts/build-policies.ts
echo "== opa test" >&2
$OPA test policies/main.rego policies/lib policies/rules policies/data
echo "== tsc" >&2
npx tsc --noEmit -p tsconfig.json
echo "== vitest" >&2
npx vitest run "$@"
