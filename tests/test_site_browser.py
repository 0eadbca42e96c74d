"""The course website in a real browser: every page of a freshly built site opened in
Debian's Chromium (Playwright, the launch setup of tests/test_browser.py, one browser for all
pages), served by a static HTTP server on 127.0.0.1 (as any static host would serve it; axe
reads the style sheets, which file:// forbids) with every other request blocked.

Per page: no console error and no failed or remote request, formulas rendered (MathML
present where the source has formulas, no raw ``$...$`` visible outside code), every image
has non-empty alt text and has loaded, and axe-core (bundled in axe-playwright-python: no
download) finds no serious or critical violation (contrast, landmarks, lang, headings,
names, alt). The build and the links themselves are tested in tests/test_site.py.

Cost: colour contrast is most of axe's time, and most of a lesson's elements are the
highlighted code's token spans (plain <pre> text in coloured <span>s), whose colours come
from the same style sheet on every page. So each page is audited without its highlighted
code, and one specimen page (every token class used anywhere on the site, with the site's
style sheet) is audited for the code's colours. The test takes about 20 s on a quiet 2-core
machine (minutes on a busy one: it is marked slow).
"""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpers.instructor import site

#: the visible text of the page outside code, and whether a dollar-delimited formula is in it
VISIBLE_TEXT = """() => { const c = document.querySelector('main').cloneNode(true);
  c.querySelectorAll('pre, code, math, script, style').forEach(e => e.remove());
  return c.innerText; }"""
IMAGES = """() => Array.from(document.images).map(i => ({src: i.getAttribute('src'),
  alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0}))"""
RAW_MATH = re.compile(r"\$[^$\s][^$\n]*\$")
TOKEN_CLASS = re.compile(r'<span class="(\w{1,3})">')
SERIOUS = ("serious", "critical")
WITHOUT_CODE = {"exclude": [[".highlight"]]}  # audited once, on the specimen page


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    site.build(out=out, quiet=True)
    return out


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(built):
    """The base URL of the built site, served on a free port of 127.0.0.1."""
    handler = functools.partial(QuietHandler, directory=str(built))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def audit(axe, page, context=None):
    """The serious and critical axe violations on ``page`` (within ``context``), one line
    each."""
    results = axe.run(page, context=context)
    return [f"axe {v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:2]]}"
            for v in results.response["violations"] if v["impact"] in SERIOUS]


def code_specimen(built, pages):
    """A page in the site's folder with one highlighted token of every class the site uses."""
    classes = sorted({c for p in pages for c in TOKEN_CLASS.findall(p.read_text("utf-8"))}
                     - {"w"})  # whitespace tokens: no text to read
    spans = "\n".join(f'<span class="{c}">token_{c} = 1</span>' for c in classes)
    path = built / "code-specimen.html"
    path.write_text(f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Code specimen</title><link rel="stylesheet" href="style.css"></head><body><main>
<h1>Code specimen</h1><div class="highlight"><pre>{spans}</pre></div></main></body></html>""",
                    encoding="utf-8")
    assert len(classes) >= 8, classes
    return path


def test_every_page_reads_well_and_passes_axe(built, served, browser):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright",
                              reason="pip install axe-playwright-python").Axe()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    remote = []
    context.route(re.compile(rf"^(?!{re.escape(served)}|data:).*"),
                  lambda route: (remote.append(route.request.url), route.abort()))
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    problems = {}
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 12
    for path in pages:
        name = path.relative_to(built).as_posix()
        errors.clear()
        page.goto(served + name, wait_until="load")
        found = []
        text = page.evaluate(VISIBLE_TEXT)
        found += [f"raw formula {m!r}" for m in RAW_MATH.findall(text)[:3]]
        source = path.read_text(encoding="utf-8")
        if "<math" in source and page.locator("math").count() == 0:
            found.append("MathML in the file but not in the page")
        for img in page.evaluate(IMAGES):
            if not (img["alt"] or "").strip():
                found.append(f"image without alt text: {img['src']}")
            if not img["loaded"]:
                found.append(f"image not loaded: {img['src']}")
        found += audit(axe, page, context=WITHOUT_CODE)
        found += [f"console: {e}" for e in errors]
        if found:
            problems[name] = found
    specimen = code_specimen(built, pages)
    page.goto(served + specimen.name, wait_until="load")
    if found := audit(axe, page):
        problems["highlighted code (every token class of the site)"] = found
    context.close()
    assert not remote, f"the site requested remote URLs: {sorted(set(remote))[:5]}"
    assert not problems, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in problems.items())
