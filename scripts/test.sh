#!/usr/bin/env bash
# The whole test suite: setup, policy gates (fmt/check/test), type check, vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
ROOT=$PWD
. scripts/lib/node-env.sh
node -e 'if (process.versions.node.split(".")[0] !== "22") { console.error(`tests need Node.js 22, got ${process.version}`); process.exit(1); }'
OPA=.tools/bin/opa
npx tsx scripts/build-policies.ts
echo "== opa test" >&2
$OPA test policies/main.rego policies/lib policies/rules policies/data
echo "== tsc" >&2
npx tsc --noEmit -p tsconfig.json
echo "== vitest" >&2
mkdir -p test-results
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
# One plain closing line for whoever reads the log (CI included).
node -e 'const r=require("./test-results/vitest.json");console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)'

