#!/usr/bin/env bash
# Renders a cimnet report page (index.html of `cimnet report`) in headless Chromium and checks that it
# loaded without errors: every <img> of the page is in the rendered DOM, every image file it names
# exists and decodes (naturalWidth > 0, checked by a script run inside the page), and Chromium logged
# no page error. Writes a screenshot for a person to look at.
#
#   scripts/check_report_render.sh REPORT_DIR_OR_INDEX_HTML [SCREENSHOT.png]
#
# Installs Debian's chromium with apt-get when it is missing (as root). Exit 0 when the page rendered
# cleanly, 1 when it did not (what failed is printed), 2 for bad usage.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 REPORT_DIR_OR_INDEX_HTML [SCREENSHOT.png]" >&2
  exit 2
fi
page="$1"
[[ -d "$page" ]] && page="$page/index.html"
if [[ ! -f "$page" ]]; then
  echo "$0: no page at $page" >&2
  exit 2
fi
page="$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
shot="${2:-$(dirname "$page")/screenshot.png}"
shot="$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")"

browser="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$browser" ]]; then
  echo "installing Debian's chromium (apt-get) ..."
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq chromium >/dev/null
  browser="$(command -v chromium)"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run --disable-dev-shm-usage --hide-scrollbars)

# 1. Screenshot, with Chromium's log on stderr.
"$browser" "${flags[@]}" --user-data-dir="$work/profile1" --enable-logging=stderr --v=0 \
  --screenshot="$shot" --window-size=1400,3000 "file://$page" >"$work/shot.out" 2>"$work/shot.log" || true

# 2. The DOM after load, with a probe that marks every image that failed to decode.
probe="$work/probe.html"
{
  sed 's#</body>#<script>window.addEventListener("load",function(){var bad=[];for(const i of document.images){if(!i.complete||i.naturalWidth===0){bad.push(i.getAttribute("src"))}}document.body.setAttribute("data-images",document.images.length);document.body.setAttribute("data-broken",bad.join(" "));});</script></body>#' "$page"
} >"$probe"
# The probe must sit beside the page so that relative image paths resolve.
probe_beside="$(dirname "$page")/.render_probe_$$.html"
cp "$probe" "$probe_beside"
trap 'rm -rf "$work" "$probe_beside"' EXIT
"$browser" "${flags[@]}" --user-data-dir="$work/profile2" --enable-logging=stderr --v=0 \
  --virtual-time-budget=5000 --dump-dom "file://$probe_beside" >"$work/dom.html" 2>"$work/dom.log" || true

failed=0
if [[ ! -s "$shot" ]]; then
  echo "FAIL: no screenshot written ($shot)"; failed=1
fi
if ! grep -q '</html>' "$work/dom.html"; then
  echo "FAIL: Chromium returned no DOM"; failed=1
fi
expected=$(grep -o '<img src="[^"]*"' "$page" | wc -l)
rendered=$(grep -o 'data-images="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*' || echo 0)
broken=$(grep -o 'data-broken="[^"]*"' "$work/dom.html" | sed 's/data-broken="//; s/"$//' || true)
if [[ "$rendered" != "$expected" ]]; then
  echo "FAIL: the page names $expected images, the rendered DOM has ${rendered:-none}"; failed=1
fi
if [[ -n "$broken" ]]; then
  echo "FAIL: images that did not load: $broken"; failed=1
fi
for src in $(grep -o '<img src="[^"]*"' "$page" | sed 's/<img src="//; s/"$//'); do
  [[ -f "$(dirname "$page")/$src" ]] || { echo "FAIL: missing image file $src"; failed=1; }
done
# Page errors: failed loads of files, JavaScript errors, refused network requests.
errors=$(grep -hiE 'ERR_FILE_NOT_FOUND|ERR_ACCESS_DENIED|Uncaught|net::ERR|Failed to load|Not allowed to load' \
  "$work/shot.log" "$work/dom.log" || true)
if [[ -n "$errors" ]]; then
  echo "FAIL: Chromium reported errors:"; echo "$errors" | head -20; failed=1
fi
if [[ "$failed" -ne 0 ]]; then
  exit 1
fi
echo "ok: $page rendered with $rendered images, none broken; screenshot $shot"
