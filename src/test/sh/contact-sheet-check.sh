#!/usr/bin/env bash
# Renders a clusters.html contact sheet in headless Chromium and checks that every face thumbnail
# loads (naturalWidth > 0) and that the page shows its sections; writes a screenshot next to it.
#   bash src/test/sh/contact-sheet-check.sh RUN_FOLDER/clusters.html [MIN_IMAGES]
# Exit 0 when all images load and there are at least MIN_IMAGES (default 1); 1 otherwise.
set -euo pipefail
sheet="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
min="${2:-1}"
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "contact-sheet-check: chromium is not installed (make chromium)" >&2; exit 3; }
[ -f "$sheet" ] || { echo "contact-sheet-check: no such file: $sheet" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The checker page loads the sheet in a same-origin (file://) iframe, forces lazy images to load,
# waits for every one to finish, and writes the counts into its own DOM for --dump-dom.
cat > "$work/check.html" <<HTML
<!DOCTYPE html><html><body><iframe id="f" src="file://$sheet" style="width:1200px;height:800px"></iframe>
<pre id="out">PENDING</pre>
<script>
document.getElementById('f').addEventListener('load', async () => {
  const doc = document.getElementById('f').contentDocument;
  const imgs = Array.from(doc.images);
  imgs.forEach(i => i.loading = 'eager');
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = r; i.onerror = r; })));
  const ok = imgs.filter(i => i.naturalWidth > 0).length;
  const broken = imgs.filter(i => i.naturalWidth === 0).map(i => i.getAttribute('src'));
  document.getElementById('out').textContent = 'RESULT images=' + imgs.length + ' loaded=' + ok
    + ' sections=' + doc.querySelectorAll('section').length + ' title=' + JSON.stringify(doc.title)
    + (broken.length ? ' broken=' + JSON.stringify(broken.slice(0, 5)) : '');
});
</script></body></html>
HTML
flags=(--headless --no-sandbox --disable-gpu --allow-file-access-from-files --virtual-time-budget=20000)
result="$(timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$work/check.html" 2>/dev/null | grep -o 'RESULT images=[0-9][^<]*' || true)"
timeout 120 "$browser" "${flags[@]}" --window-size=1200,900 --screenshot="${sheet%.html}.png" "file://$sheet" >/dev/null 2>&1 || true
echo "contact-sheet-check: ${result:-no result from chromium} ($sheet)"
images="$(sed -n 's/.*images=\([0-9]*\).*/\1/p' <<<"$result")"
loaded="$(sed -n 's/.*loaded=\([0-9]*\).*/\1/p' <<<"$result")"
[ -n "$images" ] && [ "$images" -ge "$min" ] && [ "$images" = "$loaded" ]
