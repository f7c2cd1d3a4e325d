"""Checks a generated site: every page parses as HTML5 without a single parse
error (html5lib, strict), and every internal link and anchor resolves.

Usage: python3 check_site.py SITE_DIR
Prints every problem and exits 1 if there is any; driven by tests/site.rs.
"""
import os
import sys
from urllib.parse import unquote, urlsplit

import html5lib

XLINK = "{http://www.w3.org/1999/xlink}href"
LINK_ATTRS = ("href", "src", XLINK)


def pages(root):
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith(".html"):
                yield os.path.join(d, f)


def parse(path):
    with open(path, "rb") as f:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        return parser.parse(f)


def main(root):
    root = os.path.abspath(root)
    problems = []
    ids = {}
    links = []
    for path in sorted(pages(root)):
        try:
            doc = parse(path)
        except Exception as e:  # html5lib raises ParseError with a position
            problems.append(f"{os.path.relpath(path, root)}: not valid HTML5: {e}")
            continue
        page_ids = set()
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            for k, v in el.attrib.items():
                if k == "id":
                    if v in page_ids:
                        problems.append(f"{os.path.relpath(path, root)}: duplicate id `{v}`")
                    page_ids.add(v)
                if k in LINK_ATTRS or k.endswith("}href"):
                    links.append((path, v))
        ids[path] = page_ids
    checked = 0
    for page, link in links:
        parts = urlsplit(link)
        if parts.scheme in ("http", "https", "mailto"):
            continue
        rel = os.path.relpath(page, root)
        if parts.scheme or parts.netloc:
            problems.append(f"{rel}: link `{link}` is neither relative nor a web address")
            continue
        if link.startswith("/"):
            problems.append(f"{rel}: link `{link}` is absolute, which breaks file://")
            continue
        target = os.path.normpath(os.path.join(os.path.dirname(page), unquote(parts.path))) if parts.path else page
        if not target.startswith(root):
            problems.append(f"{rel}: link `{link}` leaves the site")
            continue
        if os.path.isdir(target):
            problems.append(f"{rel}: link `{link}` names a directory, which file:// does not open")
            continue
        if not os.path.isfile(target):
            problems.append(f"{rel}: link `{link}` leads nowhere")
            continue
        if parts.fragment:
            if target not in ids:
                ids[target] = set()
            if unquote(parts.fragment) not in ids[target]:
                problems.append(f"{rel}: anchor `{link}` is not on its page")
        checked += 1
    for p in problems:
        print(p)
    print(f"{len(ids)} pages parsed, {checked} internal links checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
