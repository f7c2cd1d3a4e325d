"""Opens a TimelineJS export in TimelineJS itself, in headless Chromium.

    python3 tests/consumers/timelinejs_page.py timeline.json [--screenshot out.png]

Builds a page with TimelineJS 3 (from npm, tests/consumers/node_modules;
`npm ci` there installs it) and the JSON beside it, serves it from a private
localhost server (TimelineJS will not load from file://), lets Chromium
run it, and prints what TimelineJS drew as JSON: its slides (the title
slide included), its eras, the headlines (and those of the file, as
text), the group labels as the page holds them (HTML, as Chromium
serialises it), whether an element has a `data-injected` attribute (a
hostile test's payload sets one if it runs), and any message TimelineJS shows instead
of a timeline. With --screenshot, also writes a 1400 x 860 PNG.
"""
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
DIST = os.path.join(HERE, 'node_modules', '@knight-lab', 'timelinejs', 'dist')
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>detente in TimelineJS</title>
<link rel="stylesheet" href="css/timeline.css">
<script src="js/timeline.js"></script></head>
<body style="margin:0">
<div id="timeline" style="width:1400px;height:860px"></div>
<script>new TL.Timeline('timeline', 'timeline.json', {start_at_slide: %d});</script>
</body></html>
"""


def chromium(url, *flags):
    return subprocess.run(
        ['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
         '--window-size=1400,860', '--virtual-time-budget=8000', *flags, url],
        check=True, capture_output=True, timeout=180).stdout.decode('utf-8')


def main():
    source = sys.argv[1]
    shot = sys.argv[sys.argv.index('--screenshot') + 1] if '--screenshot' in sys.argv else None
    with tempfile.TemporaryDirectory() as root:
        for part in ('js', 'css'):
            shutil.copytree(os.path.join(DIST, part), os.path.join(root, part))
        shutil.copy(source, os.path.join(root, 'timeline.json'))
        # Start near the Cyber Working Group, in the busy years (TimelineJS
        # orders slides by date, so the file's index is only near it).
        doc = json.load(open(source, encoding='utf-8'))
        events = doc['events']
        start = next((i + 1 for i, e in enumerate(events) if e.get('unique_id') == 'cyber-working-group'), 0)
        with open(os.path.join(root, 'index.html'), 'w', encoding='utf-8') as f:
            f.write(PAGE % start)
        handler = functools.partial(QuietHandler, directory=root)
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = 'http://127.0.0.1:%d/index.html' % server.server_address[1]
        try:
            dom = chromium(url, '--dump-dom')
            if shot:
                chromium(url, '--screenshot=' + os.path.abspath(shot))
        finally:
            server.shutdown()
    print(json.dumps({
        'slides': len(re.findall(r'class="tl-slide[ "]', dom)),
        'eras': len(re.findall(r'class="tl-timeera[ "]', dom)),
        # Headlines are HTML in the file and in the page: compared as text.
        'headlines': [html.unescape(h) for h in re.findall(r'<h2 class="tl-headline[^"]*">(.*?)</h2>', dom)],
        'in_file': [html.unescape(e['text']['headline']) for e in [doc['title']] + doc['events']],
        'groups': re.findall(r'class="tl-timegroup-message">(.*?)</div>', dom),
        'injected': re.search(r'<[a-z]+ [^>]*data-injected=', dom) is not None,
        'messages': [m for m in re.findall(r'class="tl-message-content">(.*?)</div>', dom) if m.strip()],
    }))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


if __name__ == '__main__':
    main()
