#!/usr/bin/env bash
# Builds the web app: vendors its front-end packages (src/Analytics.Api/web/package-lock.json) into
# src/Analytics.Api/wwwroot/vendor/, so that the app serves them from its own origin (no CDN, no request
# to another host), and bundles its modules (src/Analytics.Api/web/src/) with esbuild into
# src/Analytics.Api/wwwroot/build/. Installs Node.js and npm with apt when missing. Run by scripts/run.sh
# and scripts/test.sh; both outputs are git-ignored.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
web="$root/src/Analytics.Api/web"
vendor="$root/src/Analytics.Api/wwwroot/vendor"
if ! command -v npm >/dev/null 2>&1; then
  echo "web: installing nodejs and npm (apt)"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
stamp="$vendor/.package-lock.sha256"
wanted=$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ] || [ ! -x "$web/node_modules/.bin/esbuild" ]; then
  # Exactly the locked versions, no install scripts run (esbuild finds its platform binary without one).
  (cd "$web" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  rm -rf "$vendor"
  mkdir -p "$vendor/maplibre"
  cp "$web/node_modules/maplibre-gl/dist/maplibre-gl.mjs" "$web/node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs" \
     "$web/node_modules/maplibre-gl/dist/maplibre-gl.css" "$web/node_modules/maplibre-gl/LICENSE.txt" "$vendor/maplibre/"
  echo "$wanted" >"$stamp"
  echo "web: vendored maplibre-gl $(node -p "require('$web/node_modules/maplibre-gl/package.json').version") into wwwroot/vendor"
fi
# One ES module for the browsers the app supports; MapLibre stays a separate file, imported when the map opens.
"$web/node_modules/.bin/esbuild" "$web/src/main.js" --bundle --format=esm --target=es2022 --minify --sourcemap \
  --external:/vendor/* --outfile="$root/src/Analytics.Api/wwwroot/build/app.js" --log-level=warning
echo "web: bundled web/src into wwwroot/build/app.js"
