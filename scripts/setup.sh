#!/usr/bin/env bash
# Installs everything psst needs on a Debian machine: the apt packages the
# browser and ops tests use (Chromium and Firefox ESR), pnpm 12.4.2, and the workspace's dependencies.
# Idempotent; used by the README's quick start and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

apt_packages=(chromium firefox-esr caddy prometheus prometheus-node-exporter shellcheck wrk jq postgresql)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing apt packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "12.4.2" ]; then
  echo "Installing pnpm 12.4.2"
  "${sudo_cmd[@]}" npm install -g pnpm@12.4.2 >/dev/null
fi

# better-sqlite3 compiles from source here; node-gyp needs Node's headers under /usr.
export npm_config_nodedir=/usr
pnpm install --frozen-lockfile
