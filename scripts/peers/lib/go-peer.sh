# Sourced by the peer build scripts: builds one Go peer at a pinned module version from the Go module proxy
# into $TOOLS/bin, once. `go install` leaves most tools' version strings empty, so the module version
# recorded in the binary says which build is there. A lock keeps two worktrees sharing .tools/ from building
# the same peer at the same time.
#   go_peer NAME MODULE PACKAGE VERSION "WHAT IT COSTS" [ENV=VALUE …]
go_peer() {
  local name=$1 module=$2 package=$3 version=$4 cost=$5
  shift 5
  local bin="$TOOLS/bin/$name"
  mkdir -p "$TOOLS/bin"
  built() { [ -x "$bin" ] && go version -m "$bin" 2>/dev/null | grep -E "^\s+mod\s+$module\s+v$version\s" >/dev/null; }
  built && return 0
  exec 9>"$TOOLS/.$name-build.lock"
  flock 9
  built && return 0
  echo "peers: building $name v$version from the Go module proxy ($cost, once)" >&2
  env "$@" GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod nice -n 10 go install "$package@v$version" >&2
  built || { echo "peers: $name v$version did not build" >&2; return 1; }
}
