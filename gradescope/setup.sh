#!/usr/bin/env bash
# Gradescope's image set-up: needs Node.js 20 or newer on the image, then installs the locked dependencies.
set -euo pipefail
if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "setup.sh: Node.js 20 or newer is needed; choose a base image that has it or install it before this script" >&2
  exit 1
fi
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
