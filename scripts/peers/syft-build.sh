#!/usr/bin/env bash
# Builds the syft peer (pinned version) from the Go module proxy into .tools/bin/syft, once.
# Only the image bench uses it (several minutes on two cores); npm test never does.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=${TOOLS:-$PWD/.tools}
. scripts/peers/lib/go-peer.sh
go_peer syft github.com/anchore/syft github.com/anchore/syft/cmd/syft "${SYFT_VERSION:-1.57.1}" "several minutes"
