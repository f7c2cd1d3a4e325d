"""Drives headless Chromium (Debian's chromium and chromium-driver) over a
generated site, as a reader would, from file://.

Usage:
  python3 browser_test.py bundled SITE_DIR AXE_JS DETENTE_BIN
  python3 browser_test.py hostile SITE_DIR AXE_JS ENTITY_ID EXPECTED_NAME_FILE
Prints what it checked; exits non-zero (an assertion) on the first failure.
Driven by tests/site.rs.
"""
import json
import os
import pathlib
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--window-size=1280,1000", "--allow-file-access-from-files"):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    d = webdriver.Chrome(service=service, options=opts)
    d.set_script_timeout(180)
    return d


def url(site, path):
    return pathlib.Path(site, path).resolve().as_uri()


def console_errors(d):
    return [e for e in d.get_log("browser") if e["level"] == "SEVERE"]


def no_console_errors(d, where):
    errors = console_errors(d)
    assert not errors, f"console errors on {where}: {errors}"


def axe(d, axe_js, where):
    d.execute_script(axe_js)
    result = d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations))"
        ".catch(e => done([{id: 'axe-failed', impact: 'critical', help: String(e), nodes: []}]));"
    )
    bad = [v for v in result if v.get("impact") in ("serious", "critical")]
    summary = [(v["id"], v["impact"], v["help"], [n.get("target") for n in v["nodes"][:3]]) for v in bad]
    assert not bad, f"axe: serious violations on {where}: {json.dumps(summary, ensure_ascii=False)}"
    print(f"axe: no serious violations on {where} ({len(result)} minor)")


def wait_for(d, cond, what):
    WebDriverWait(d, 10).until(lambda drv: cond(drv), message=what)


def search(d, site, text, expect_id):
    d.get(url(site, "index.html"))
    box = d.find_element(By.ID, "q-header")
    box.clear()
    box.send_keys(text)
    href_end = f"entity/{expect_id}/index.html"
    wait_for(d, lambda drv: any(
        (a.get_attribute("href") or "").endswith(href_end)
        for a in drv.find_elements(By.CSS_SELECTOR, "form.search-form .search-results a")),
        f"searching `{text}` finds `{expect_id}`")
    print(f"search: `{text}` finds {expect_id}")


def folding_matches_rust(d):
    # The index carries each text as written and as Rust folded it; the
    # page's folding must give the same for every one.
    mismatches = d.execute_script(
        "const out = [];"
        "for (const e of window.DETENTE_SEARCH.entries) for (const t of e.texts)"
        "  if (window.detenteFold(t[1]) !== t[2]) out.push([t[1], t[2], window.detenteFold(t[1])]);"
        "return [out, window.DETENTE_SEARCH.entries.reduce((n, e) => n + e.texts.length, 0)];")
    assert not mismatches[0], f"JS folds differently from Rust: {mismatches[0][:10]}"
    print(f"folding: JS and Rust agree on all {mismatches[1]} indexed texts")


def bundled(site, axe_js, detente):
    d = browser()
    try:
        d.get(url(site, "index.html"))
        assert d.find_element(By.TAG_NAME, "h1").text, "the index has a heading"
        no_console_errors(d, "index")
        axe(d, axe_js, "the index")
        folding_matches_rust(d)

        search(d, site, "中美执法及网络安全对话", "lecd")   # the Chinese name
        search(d, site, "中美執法及網絡安全對話", "lecd")   # written in traditional characters
        search(d, site, "Sino-U.S. Law Enforcement", "lecd")  # an English alias
        search(d, site, "lecd", "lecd")

        # Submitting the form opens the search page with the results.
        d.get(url(site, "index.html"))
        box = d.find_element(By.ID, "q-header")
        box.send_keys("Cybercrime")
        box.submit()
        wait_for(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "#search-results a"),
                 "the search page lists results")
        no_console_errors(d, "search page")

        # A node of a lineage diagram opens its entity's page.
        d.get(url(site, "mechanisms/index.html"))
        node = d.find_element(By.CSS_SELECTOR, 'svg a[*|href$="entity/hljd/index.html"]')
        d.execute_script("arguments[0].scrollIntoView({block: 'center'});", node)
        node.click()
        wait_for(d, lambda drv: drv.current_url.endswith("entity/hljd/index.html"),
                 "clicking the HLJD node opens its page")
        print("diagram: clicking a lineage node opens", d.current_url.rsplit("/", 3)[-3:])
        no_console_errors(d, "mechanisms and HLJD pages")

        d.get(url(site, "entity/lecd/index.html"))
        no_console_errors(d, "LECD page")
        axe(d, axe_js, "the LECD page")

        d.get(url(site, "timeline/index.html"))
        no_console_errors(d, "timeline")
        axe(d, axe_js, "the timeline page")

        # The as-of page moves with its date, and agrees with `detente active`.
        d.get(url(site, "as-of/index.html"))
        def shown():
            return [d.find_element(By.ID, f"as-of-{k}").text for k in ("definitely", "possibly")]
        states = [shown()]
        for date in ("2016-06-01", "2013", "2018-03"):
            box = d.find_element(By.ID, "as-of-date")
            box.clear()
            box.send_keys(date)
            d.execute_script("arguments[0].dispatchEvent(new Event('change'))", box)
            got = {k: [a.get_attribute("href").split("/")[-2]
                       for a in d.find_elements(By.CSS_SELECTOR, f"#as-of-{k} > li > a:first-child")]
                   for k in ("definitely", "possibly")}
            answer = json.loads(subprocess.run([detente, "active", date, "--format", "json"],
                                               check=True, capture_output=True).stdout)
            want = {k: [b["id"] for b in answer[k]] for k in ("definitely", "possibly")}
            assert sorted(got["definitely"]) == sorted(want["definitely"]), (date, got, want)
            assert sorted(got["possibly"]) == sorted(want["possibly"]), (date, got, want)
            print(f"as of {date}: {len(got['definitely'])} definitely, {len(got['possibly'])} possibly,"
                  " as `detente active` says")
            states.append(shown())
        assert states[0] != states[1], "the as-of page changes when the date changes"
        assert d.find_element(By.ID, "as-of-shown").text == "Mar 2018"
        no_console_errors(d, "as-of page")
        axe(d, axe_js, "the as-of page")
    finally:
        d.quit()


def hostile(site, axe_js, entity, name_file):
    name = pathlib.Path(name_file).read_text(encoding="utf-8")
    d = browser()
    try:
        d.get(url(site, f"entity/{entity}/index.html"))
        h1 = d.find_element(By.TAG_NAME, "h1").get_attribute("textContent")
        assert h1 == name, f"the name is shown literally: {h1!r} != {name!r}"
        assert d.execute_script("return window.__pwned === undefined"), "injected code ran"
        d.get(url(site, "index.html"))
        box = d.find_element(By.ID, "q-header")
        box.send_keys("script")
        wait_for(d, lambda drv: drv.find_elements(By.CSS_SELECTOR, "form.search-form .search-results a"),
                 "search finds the hostile entry")
        for page in ("index.html", "timeline/index.html", "sources/index.html", "claims/index.html",
                     "as-of/index.html", "mechanisms/index.html", "actors/index.html",
                     f"entity/{entity}/index.html", "search/index.html?q=%3Cscript%3E"):
            d.get(url(site, page.split("?")[0]) + ("?" + page.split("?")[1] if "?" in page else ""))
            assert d.execute_script("return window.__pwned === undefined"), f"injected code ran on {page}"
        no_console_errors(d, "hostile pages")
        print("hostile: strings shown literally, no injected code ran")
    finally:
        d.quit()


if __name__ == "__main__":
    mode, site, axe_path = sys.argv[1:4]
    axe_js = pathlib.Path(axe_path).read_text(encoding="utf-8")
    if mode == "bundled":
        bundled(site, axe_js, sys.argv[4])
    else:
        hostile(site, axe_js, sys.argv[4], sys.argv[5])
