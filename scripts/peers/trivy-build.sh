#!/usr/bin/env bash
# Builds the Trivy peer (pinned version) from the Go module proxy into .tools/bin/trivy, once.
# Slow (about 20 minutes on two cores), so only peer and benchmark scripts call it, never npm test.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=${TOOLS:-$PWD/.tools}
. scripts/peers/lib/go-peer.sh
# Trivy 0.74 needs encoding/json/v2, which Go ships behind GOEXPERIMENT=jsonv2.
go_peer trivy github.com/aquasecurity/trivy github.com/aquasecurity/trivy/cmd/trivy "${TRIVY_VERSION:-0.74.0}" \
  "about 20 minutes" GOEXPERIMENT=jsonv2
