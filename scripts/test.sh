#!/usr/bin/env bash
# `npm test`: the one command that runs the whole test suite on a fresh machine. It installs what
# is missing (Debian's chromium and build tools, Node 24 from the npm registry when the machine's
# Node is older, the npm dependencies, every code-server release of
# test/e2e/code-server-releases.json), then typechecks, lints, packages the VSIX and runs the unit,
# integration and end-to-end tests with Vitest. Screenshots and logs go to test-results/.
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
moco_setup_apt chromium fonts-dejavu-core docker.io tini bubblewrap busybox-static ripgrep
moco_setup_node
moco_setup_deps
for release in $(moco_all_releases); do moco_setup_code_server "$release"; done
cd "$MOCO_ROOT"
moco_log "typecheck"; npm run --silent typecheck
moco_log "lint"; npm run --silent lint
moco_log "package"; npm run --silent package >"$MOCO_CACHE/tmp/package.log" 2>&1 \
  || { tail -30 "$MOCO_CACHE/tmp/package.log" >&2; moco_die "Packaging failed (log: $MOCO_CACHE/tmp/package.log)."; }
rm -rf test-results && mkdir -p test-results
status=0
moco_log "unit and integration tests"
# Vitest's default is one worker less than the cores: one worker on a 2-core machine. The
# integration tests mostly wait on child processes and sockets, so two workers there took 3m50 to
# 4m07 (three runs) instead of 7.4 min.
workers=$(node -p 'Math.max(2, require("node:os").availableParallelism() - 1)')
npx --no-install vitest run --project unit --project integration --maxWorkers="$workers" \
  --reporter=default --reporter=json --outputFile.json=test-results/vitest-fast.json || status=$?
# One VS Code at a time: each takes about 2.4 GiB and the machine has 2 cores.
moco_log "end-to-end tests in VS Code ($(moco_all_releases | paste -sd ' '))"
npx --no-install vitest run --project e2e --no-file-parallelism \
  --reporter=default --reporter=json --outputFile.json=test-results/vitest-e2e.json || status=$?
node scripts/lib/summary.mjs test-results/vitest-fast.json test-results/vitest-e2e.json || status=1
exit "$status"
