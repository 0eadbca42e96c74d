"""Tests of the course website (helpers.instructor.site): built like a user would, from a
clean copy of the repository with the network unavailable (bubblewrap ``--unshare-net``), it
links every lesson, lab and the glossary from its index, every internal link and fragment
resolves, nothing is loaded from the network, no placeholder URL is published, formulas are
MathML and figures carry their alt text. Plus the pieces: Markdown with formulas, notebook
outputs, launch links from ``[tool.course]`` and ``python -m helpers link``.

The browser and accessibility checks are in tests/test_site_browser.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import matplotlib.pyplot as plt
import nbformat
import pytest

from helpers.instructor.site import launch
from helpers.instructor.site.markdown import slugify, to_html
from helpers.instructor.site.notebook import WIDGET_NOTE, render_notebook
from helpers.instructor.site.page import Page, render_page
from helpers.plots import figure_bundle

ROOT = Path(__file__).resolve().parents[1]
BWRAP = shutil.which("bwrap")


class Links(HTMLParser):
    """Collects a page's ids, link targets, resource URLs, <img> alts and <h1> count."""

    def __init__(self, text):
        super().__init__()
        self.ids, self.hrefs, self.resources, self.alts, self.h1 = set(), [], [], [], 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag in ("img", "script", "link", "source", "iframe") and (a.get("src") or
                                                                      a.get("href")):
            self.resources.append(a.get("src") or a.get("href"))
        if tag == "img":
            self.alts.append(a.get("alt") or "")
        self.h1 += tag == "h1"


def clean_copy(dest):
    """The files a fresh clone would have (tracked + new, not ignored), copied to dest."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                            "--exclude-standard"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(copy, out, stdout): the site built by ``python -m helpers site`` in a clean copy of
    the repository, with no network (bubblewrap) and proxies pointing nowhere."""
    if not BWRAP:
        pytest.skip("bubblewrap (bwrap) is needed to build without network: apt-get install "
                    "bubblewrap")
    copy = clean_copy(tmp_path_factory.mktemp("clone"))
    out = copy / "_site"
    proxy = "http://127.0.0.1:9"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(copy), "PYTHONUTF8": "1",
           "http_proxy": proxy, "https_proxy": proxy, "HTTP_PROXY": proxy,
           "HTTPS_PROXY": proxy, "MPLBACKEND": "Agg"}
    cmd = [BWRAP, "--dev-bind", "/", "/", "--unshare-net", "--die-with-parent", "--",
           sys.executable]
    works = subprocess.run([*cmd, "-c", "pass"], env=env, capture_output=True, text=True)
    if works.returncode:
        pytest.skip(f"bubblewrap cannot make a sandbox here: {works.stderr.strip()[:200]}")
    probe = "import socket; socket.create_connection(('1.1.1.1', 53), timeout=3)"
    assert subprocess.run([*cmd, "-c", probe], env=env, capture_output=True).returncode != 0
    proc = subprocess.run([*cmd, "-m", "helpers", "site"], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return copy, out, proc.stdout


def pages_of(out):
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(out.rglob("*.html"))}


def test_the_site_builds_offline_and_prints_its_index(site):
    copy, out, stdout = site
    assert stdout.strip().splitlines()[-1] == str(out / "index.html")
    assert (out / "style.css").is_file() and (out / ".gitignore").read_text().endswith("*\n")


def test_the_index_links_every_lesson_lab_and_the_glossary(site):
    copy, out, _ = site
    index = Links((out / "index.html").read_text(encoding="utf-8"))
    expected = [p.relative_to(copy).with_suffix(".html").as_posix() for p in
                [*sorted((copy / "notebooks").glob("[0-9][0-9]_*.ipynb")),
                 *sorted((copy / "labs").glob("[0-9][0-9]_*.ipynb")),
                 copy / "notebooks" / "glossary.md", *sorted((copy / "docs").glob("*.md"))]]
    assert len(expected) >= 13
    assert all(name in index.hrefs for name in expected), set(expected) - set(index.hrefs)
    assert all((out / name).is_file() for name in expected)


def test_every_internal_link_and_fragment_resolves(site):
    _, out, _ = site
    pages = pages_of(out)
    parsed = {name: Links(text) for name, text in pages.items()}
    broken = []
    for name, links in parsed.items():
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme:
                continue
            target = (out / name).parent / unquote(parts.path) if parts.path else out / name
            key = target.resolve().relative_to(out.resolve()).as_posix()
            if not target.is_file():
                broken.append(f"{name}: {href} (no such page)")
            elif parts.fragment and key in parsed and parts.fragment not in parsed[key].ids:
                broken.append(f"{name}: {href} (no id {parts.fragment!r})")
    assert not broken, "\n".join(broken)
    # the lessons' glossary links became links to the glossary page, fragments included
    assert "glossary.html#one-hot" in pages["notebooks/06_dropout_mnist.html"]


def test_nothing_is_loaded_from_the_network_and_no_placeholder_is_published(site):
    _, out, _ = site
    for name, text in pages_of(out).items():
        links = Links(text)
        remote = [u for u in links.resources if re.match(r"(https?:)?//", u)]
        assert not remote, f"{name} loads {remote}"
        assert "<script" not in text, f"{name} has a script (the site needs none)"
        assert not launch.PLACEHOLDERS.search(text), f"{name} publishes a placeholder URL"
        assert '<html lang="en">' in text and "<main" in text and links.h1 >= 1, name
    css = (out / "style.css").read_text(encoding="utf-8")
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//|@font-face", css)
    assert not launch.PLACEHOLDERS.search((ROOT / "README.md").read_text(encoding="utf-8"))


def test_formulas_are_mathml_and_figures_keep_their_alt_text(site):
    copy, out, _ = site
    lesson = (out / "notebooks" / "03_backprop_walkthrough.html").read_text(encoding="utf-8")
    assert lesson.count("<math") > 20 and 'display="block"' in lesson
    nb = nbformat.read(copy / "notebooks" / "03_backprop_walkthrough.ipynb", as_version=4)
    stored = [o.get("metadata", {}).get("image/png", {}).get("alt") for c in nb.cells
              if c.cell_type == "code" for o in c.get("outputs", []) if "image/png" in
              o.get("data", {})]
    alts = Links(lesson).alts
    assert len(alts) == len(stored)
    assert all(a == (s or "") for a, s in zip(alts, stored))


# --------------------------------------------------------------------- the pieces, no build
def test_markdown_formulas_become_mathml_and_links_are_resolved():
    text = ("# Title\n\nThe sigmoid $\\sigma(z) = 1/(1+e^{-z})$ and\n\n$$\ny = Wx + b\n$$\n\n"
            "See [one-hot](glossary.md#One-hot) and <summary>why $a_i$</summary>\n")
    html, dropped = to_html(text, lambda url: url.replace(".md", ".html"))
    assert dropped == 0 and "$" not in html
    assert html.count("<math") == 3 and html.count('display="block"') == 1
    assert '<h1 id="title">' in html and 'href="glossary.html#One-hot"' in html
    assert slugify("One-hot encoding (labels)") == "one-hot-encoding-labels"
    # a function name gets TeX's thin space before its argument: ln 2, not ln2
    assert "<mi>ln</mi><mspace" in to_html("$\\ln 2$", str)[0]


def test_a_block_with_a_placeholder_url_is_left_out():
    text = ("Intro.\n\n[![Binder](https://mybinder.org/badge_logo.svg)]"
            "(https://mybinder.org/v2/gh/OWNER/REPO/HEAD)\n\nAfter.\n")
    html, dropped = to_html(text, lambda url: url)
    assert dropped == 1 and "OWNER" not in html and "Intro." in html and "After." in html


def test_notebook_outputs_figures_widgets_and_hidden_cells():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    data, metadata = figure_bundle(fig, "A falling line from 1 to 0.")
    plt.close(fig)
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("show(alt='...')", outputs=[
        nbformat.v4.new_output("display_data", data=data, metadata=metadata),
        nbformat.v4.new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "x"},
            "text/plain": "Quiz: which activation?"}),
        nbformat.v4.new_output("stream", text="\x1b[31mred\x1b[0m done\n")])
    code.metadata["jupyter"] = {"source_hidden": True}
    nb.cells = [nbformat.v4.new_markdown_cell("# A lesson"), code]
    saved = []
    html, dropped = render_notebook(nb, lambda u: u, lambda b64: saved.append(b64) or "f.png")
    assert saved == [data["image/png"]] and dropped == 0
    assert '<img src="f.png" alt="A falling line from 1 to 0.">' in html
    assert "Quiz: which activation?" in html and WIDGET_NOTE in html
    assert "<summary>Show the code</summary>" in html and "red done" in html
    assert "\x1b" not in html


def test_launch_buttons_come_from_the_config_and_are_absent_when_unset():
    pages = [Page("", "index.html", "Contents", "Course"),
             Page("notebooks/01_neurons.ipynb", "notebooks/01_neurons.html", "01", "Lessons")]
    unset = render_page(pages[1], "<h1>x</h1>", pages, launch.Launch(), "Course")
    assert "Binder" not in unset and "JupyterHub" not in unset
    conf = launch.Launch("https://github.com/acme/ann-course", "main", "https://hub.example.edu")
    page = render_page(pages[1], "<h1>x</h1>", pages, conf, "Course")
    assert ('href="https://mybinder.org/v2/gh/acme/ann-course/main?urlpath=lab/tree/'
            'notebooks/01_neurons.ipynb"') in page
    assert conf.jupyterhub("notebooks/01_neurons.ipynb") == (
        "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com"
        "%2Facme%2Fann-course&branch=main&urlpath=lab%2Ftree%2Fann-course%2Fnotebooks"
        "%2F01_neurons.ipynb")
    assert html_escaped(conf.jupyterhub("notebooks/01_neurons.ipynb")) in page
    for bad in ({"repository": "github.com/OWNER/REPO"}, {"hub": "ftp://hub"},
                {"branch": "main; rm"}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            launch.Launch(**{"repository": "https://github.com/a/b", **bad})


def html_escaped(url):
    return url.replace("&", "&amp;")


def test_the_readme_badge_matches_the_config():
    conf = launch.load()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if conf.repository:
        assert conf.badge() in readme
    else:
        assert "mybinder.org/v2/" not in readme and "[tool.course]" in readme


def test_link_verb_prints_binder_and_jupyterhub_links(capsys):
    assert launch.main([]) == (0 if launch.load().repository else 2)
    capsys.readouterr()
    args = ["--repository", "https://gitlab.example.org/acme/ann-course.git", "--branch",
            "v1", "--hub", "https://hub.example.edu/", "notebooks/02_perceptron.ipynb"]
    assert launch.main(args) == 0
    out = capsys.readouterr().out
    assert ("Binder:     https://mybinder.org/v2/git/https%3A%2F%2Fgitlab.example.org%2Facme"
            "%2Fann-course.git/v1?urlpath=lab/tree/notebooks/02_perceptron.ipynb") in out
    assert "JupyterHub: https://hub.example.edu/hub/user-redirect/git-pull?repo=" in out
    assert "lab%2Ftree%2Fann-course%2Fnotebooks%2F02_perceptron.ipynb" in out
