#!/usr/bin/env bash
# `npm start`: the one command that runs MOCO on a fresh machine. It installs what is missing
# (Node 24 from the npm registry when the machine's Node is older, the npm dependencies,
# code-server), builds and packages the VSIX, and starts a real VS Code on 127.0.0.1 with MOCO
# installed on a sample workspace, printing its URL. See scripts/start.ts for the variables.
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
moco_setup_node
moco_setup_deps
release="${MOCO_CODE_SERVER:-$(moco_all_releases | head -n 1)}"
moco_setup_code_server "$release"
cd "$MOCO_ROOT"
moco_log "building and packaging the VSIX"
npm run --silent package >"$MOCO_CACHE/tmp/package.log" 2>&1 \
  || { tail -30 "$MOCO_CACHE/tmp/package.log" >&2; moco_die "Packaging failed (log: $MOCO_CACHE/tmp/package.log)."; }
MOCO_CODE_SERVER="$release" exec npx --no-install tsx scripts/start.ts
