#!/usr/bin/env bash
# Refreshes static/weui.min.css from the npm package weui (the WeChat team's web UI
# library, MIT). The CSS is committed and embedded in the binary: pages never load
# it from a CDN. Usage: web/update-weui.sh [version]   (default: the pinned one)
set -euo pipefail
version="${1:-2.6.26}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "weui@${version}" >/dev/null && tar xzf "weui-${version}.tgz")
cp "$tmp/package/dist/style/weui.min.css" "$here/static/weui.min.css"
echo "$version" > "$here/static/WEUI_VERSION"
echo "static/weui.min.css is weui ${version}"
