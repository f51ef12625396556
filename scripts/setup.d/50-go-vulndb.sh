#!/usr/bin/env bash
# Real vulnerability data for the tests: the Go vulnerability database, published as the Go module
# golang.org/x/vulndb (data/osv/*.json, OSV records), fetched through the Go module proxy at a pinned
# version and linked as $TOOLS/go-vulndb; and a Go program built against known-vulnerable module
# versions (test/vulns/go-fixture) into $TOOLS/go-fixtures. No-op when both are current.
set -euo pipefail
: "${TOOLS:?TOOLS must be set (scripts/setup.sh sets it)}"
: "${ROOT:?ROOT must be set (scripts/setup.sh sets it)}"

GO_VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018

say() { printf 'setup: %s\n' "$*" >&2; }

if [ "$(readlink "$TOOLS/go-vulndb" 2>/dev/null || true)" = "" ] || [[ "$(readlink "$TOOLS/go-vulndb")" != *"@$GO_VULNDB_VERSION" ]] || [ ! -d "$TOOLS/go-vulndb/data/osv" ]; then
  say "fetching the Go vulnerability database golang.org/x/vulndb@$GO_VULNDB_VERSION from the Go module proxy (once)"
  dir=$(GOFLAGS=-mod=mod go mod download -json "golang.org/x/vulndb@$GO_VULNDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir/data/osv" ] || { say "golang.org/x/vulndb has no data/osv at $dir"; exit 1; }
  ln -sfn "$dir" "$TOOLS/go-vulndb"
fi

fixture="$ROOT/test/vulns/go-fixture"
if [ -d "$fixture" ]; then
  stamp=$(cat "$fixture/go.mod" "$fixture/go.sum" "$fixture/main.go" | sha256sum | cut -c1-16)
  out="$TOOLS/go-fixtures/vulnerable-app-$stamp"
  if [ ! -x "$out" ]; then
    say "building the Go fixture against known-vulnerable modules (once)"
    mkdir -p "$TOOLS/go-fixtures"
    (cd "$fixture" && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -o "$out.tmp" . && mv "$out.tmp" "$out")
  fi
  ln -sfn "$(basename "$out")" "$TOOLS/go-fixtures/vulnerable-app"
fi
