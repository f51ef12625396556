#!/usr/bin/env bash
# A real Kubernetes API server and etcd for the Kubernetes collection tests (test/standins/kube-apiserver.ts).
# kube-apiserver is built from the Go module proxy: `go install` refuses k8s.io/kubernetes because of its replace
# directives and the module zip has no staging/ tree, so the module is copied out of the module cache and each
# `./staging/src/k8s.io/X` replace is pointed at the published k8s.io/X module of the matching v0.x version.
# About 8 minutes and ~2.4 GB once; a no-op when the pinned version is already in $TOOLS/bin.
# etcd is Debian's etcd-server (needs root or sudo for apt, as on the CI image).
set -euo pipefail
: "${TOOLS:?TOOLS must be set (scripts/setup.sh sets it)}"
mkdir -p "$TOOLS/bin"

K8S_VERSION=v1.37.2
STAGING_VERSION=v0.${K8S_VERSION#v1.}   # k8s.io/api etc. are published as v0.37.2 for Kubernetes v1.37.2

say() { printf 'setup: %s\n' "$*" >&2; }

if ! "$TOOLS/bin/kube-apiserver" --version 2>/dev/null | grep -x "Kubernetes $K8S_VERSION" >/dev/null; then
  say "building kube-apiserver $K8S_VERSION from the Go module proxy (about 8 minutes and 2.4 GB, once)"
  src_dir=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$K8S_VERSION" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
  [ -d "$src_dir" ] || { say "go mod download gave no directory for k8s.io/kubernetes@$K8S_VERSION"; exit 1; }
  work=$(mktemp -d "${TMPDIR:-/tmp}/kube-apiserver-build.XXXXXX")
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
  cp -R "$src_dir" "$work/kubernetes"
  chmod -R u+w "$work/kubernetes"
  cd "$work/kubernetes"
  export GOWORK=off
  # Every local staging replace becomes the published module at the matching version.
  grep -o '=> ./staging/src/k8s.io/[^[:space:]]*' go.mod | sed 's#=> ./staging/src/##' | sort -u > "$work/staged" || true
  while read -r mod; do
    [ -n "$mod" ] && go mod edit -replace "$mod=$mod@$STAGING_VERSION"
  done < "$work/staged"
  minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION"
  ldflags="$ldflags -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
  # The module ships a go.work over staging/; build the module alone.
  GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0 nice go build -trimpath -ldflags "$ldflags" -o "$TOOLS/bin/kube-apiserver.new" ./cmd/kube-apiserver >&2
  mv "$TOOLS/bin/kube-apiserver.new" "$TOOLS/bin/kube-apiserver"
  "$TOOLS/bin/kube-apiserver" --version >&2
fi

etcd_ok() { [ -x "$1" ] && "$1" --version 2>/dev/null | grep '^etcd Version: 3\.' >/dev/null; }
if ! etcd_ok "$TOOLS/bin/etcd"; then
  if ! etcd_ok /usr/bin/etcd; then
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
      say "etcd is missing and apt needs root: install Debian's etcd-server package, then rerun"
      exit 1
    fi
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    say "installing Debian's etcd-server (once)"
    $SUDO apt-get update -qq >&2
    # The package's service is never started here: tests run their own etcd on a free loopback port.
    DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $SUDO apt-get install -y -qq --no-install-recommends etcd-server >&2
  fi
  ln -sf /usr/bin/etcd "$TOOLS/bin/etcd"
fi
