#!/usr/bin/env bash
# Vendors Redoc's standalone bundle (the renderer of /api/docs) into
# server/apidocs: run after changing the redoc version in package.json here.
# The server embeds the copy; nothing is loaded from a CDN.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
version=$(node -p "require('redoc/package.json').version")
dest=../../server/apidocs
cp node_modules/redoc/bundles/redoc.standalone.js "$dest/redoc.standalone.js"
cp node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt "$dest/redoc.standalone.js.LICENSE.txt"
cp node_modules/redoc/LICENSE "$dest/REDOC_LICENSE"
echo "$version" > "$dest/REDOC_VERSION"
echo "vendored redoc $version into server/apidocs"
