"""The course as a static website, built offline: ``python -m helpers site`` (or
``python3 course.py site``) renders the lessons (notebooks/, with their stored outputs,
figures and formulas), the labs as students get them (labs/), the glossary and the
instructors' pages (docs/*.md) into ``_site/`` and prints its path.

Formulas become MathML at build time and the CSS is local, so nothing is fetched, neither
while building nor while reading; the folder can go to GitHub Pages or any static host as it
is. Launch buttons come from ``[tool.course]`` (launch.py). Links between notebooks and to
the glossary become links between pages; a link to another file of the repository points at
the repository (when configured) or is left as plain text.

What it omits: running notebooks (``python -m helpers execute`` stores fresh outputs first)
and live widgets (each shows its text stand-in and a line saying it is live in JupyterLab).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import posixpath
import shutil
import sys
from importlib.resources import files
from pathlib import Path

import nbformat

from . import launch as launch_config
from .markdown import code_css, first_heading, slugify, to_html
from .notebook import notebook_title, render_notebook
from .page import SECTIONS, Page, rel, render_page

COURSE = "Artificial neural networks, hands-on"
EXTERNAL = ("http://", "https://", "mailto:")


def collect_pages(root):
    """The site's pages, in navigation order: index, start page, lessons, labs, glossary,
    docs/*.md."""
    root = Path(root)
    pages = [Page("", "index.html", "Contents", "Course")]

    def add(path, section):
        source = path.relative_to(root).as_posix()
        if path.suffix == ".ipynb":
            title = notebook_title(nbformat.read(path, as_version=4), path.stem)
        else:
            title = first_heading(path.read_text(encoding="utf-8")) or path.stem
        out = posixpath.splitext(source)[0] + ".html"
        pages.append(Page(source, out, title, section))

    for path in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        add(path, "Course" if path.name.startswith("00_") else "Lessons")
    for path in sorted((root / "labs").glob("[0-9][0-9]_*.ipynb")):
        add(path, "Labs")
    if (root / "notebooks" / "glossary.md").exists():
        add(root / "notebooks" / "glossary.md", "Reference")
    for path in sorted((root / "docs").glob("*.md")):
        add(path, "For instructors")
    return pages


class Resolver:
    """Link rewriting for one page: a link to a rendered notebook or Markdown file becomes
    the link to its page (fragment slugified like the heading ids); a link to another file
    of the repository goes to the repository's web view when one is configured, else it is
    dropped (its text stays); external links stay."""

    def __init__(self, root, page, by_source, launch):
        self.root, self.page, self.by_source, self.launch = Path(root), page, by_source, launch

    def __call__(self, url):
        url = url.strip()
        if url.startswith(EXTERNAL):
            return url
        path, _, fragment = url.partition("#")
        anchor = f"#{slugify(fragment)}" if fragment else ""
        if not path:
            return anchor or None
        source_dir = posixpath.dirname(self.page.source) if self.page.source else ""
        target = posixpath.normpath(posixpath.join(source_dir, path))
        if target in self.by_source:
            return rel(self.by_source[target].out, self.page.out) + anchor
        if target.startswith("..") or not (self.root / target).exists():
            print(f"site: {self.page.source or 'index'}: link to a missing file {url!r} "
                  "left as text", file=sys.stderr)
            return None
        repo = self.launch.repository.rstrip("/").removesuffix(".git")
        if repo.startswith("https://github.com/"):
            return f"{repo}/blob/{self.launch.branch}/{target}{anchor}"
        return None


class ImageStore:
    """Writes each figure once into ``images/`` (named by its hash); returns its URL."""

    def __init__(self, out):
        self.folder = Path(out) / "images"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.page = None

    def __call__(self, b64):
        data = base64.b64decode(b64)
        name = hashlib.sha256(data).hexdigest()[:20] + ".png"
        target = self.folder / name
        if not target.exists():
            target.write_bytes(data)
        return rel(f"images/{name}", self.page.out)


def index_body(pages):
    parts = [f"<h1>{COURSE}</h1>",
             "<p>A course on artificial neural networks built from scratch with numpy: "
             "lessons with their code, outputs and figures, practice labs as students get "
             "them, a glossary and pages for instructors. Every page is a notebook or a "
             "Markdown file of the course's repository; run them in JupyterLab to execute "
             "the code and use the widgets.</p>"]
    for section in SECTIONS:
        items = [p for p in pages if p.section == section and p.source]
        if items:
            parts.append(f"<h2>{section}</h2><ul>")
            parts += [f'<li><a href="{p.out}">{html.escape(p.title)}</a></li>' for p in items]
            parts.append("</ul>")
    return "\n".join(parts)


def build(root=launch_config.ROOT, out=None, launch=None, quiet=False):
    """Render the course in ``root`` into ``out`` (default ``root/_site``), replacing it;
    returns the path of its index.html. launch: a launch.Launch (default from pyproject)."""
    root = Path(root)
    out = Path(out) if out is not None else root / "_site"
    launch = launch or launch_config.load(root)
    pages = collect_pages(root)
    by_source = {p.source: p for p in pages if p.source}
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / ".gitignore").write_text("# built by python -m helpers site\n*\n", encoding="utf-8")
    css = files(__name__).joinpath("style.css").read_text(encoding="utf-8")
    (out / "style.css").write_text(css + "\n" + code_css() + "\n", encoding="utf-8")
    images = ImageStore(out)
    for page in pages:
        images.page = page
        resolve = Resolver(root, page, by_source, launch)
        if not page.source:
            body, dropped = index_body(pages), 0
        elif page.source.endswith(".ipynb"):
            nb = nbformat.read(root / page.source, as_version=4)
            body, dropped = render_notebook(nb, resolve, images)
        else:
            body, dropped = to_html((root / page.source).read_text(encoding="utf-8"), resolve)
        if dropped:
            print(f"site: {page.source}: {dropped} block(s) with a placeholder URL "
                  "(OWNER/REPO) left out", file=sys.stderr)
        target = out / page.out
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(page, body, pages, launch, COURSE), encoding="utf-8")
    if not quiet:
        print(f"site: {len(pages)} pages", file=sys.stderr)
    return out / "index.html"


def main(argv=None):
    """``python -m helpers site [--out DIR] [--repository URL] [--hub URL]``: build the
    website and print the path of its index.html."""
    parser = argparse.ArgumentParser(prog="python -m helpers site", description=main.__doc__)
    parser.add_argument("--out", help="output folder (default: _site/ in the repository)")
    parser.add_argument("--root", default=str(launch_config.ROOT),
                        help="the course's repository (default: this one)")
    parser.add_argument("--repository", help="public repository for the launch buttons "
                        "(default: pyproject.toml [tool.course])")
    parser.add_argument("--branch")
    parser.add_argument("--hub", help="JupyterHub base URL for the nbgitpuller buttons")
    args = parser.parse_args(argv)
    try:
        launch = launch_config.load(args.root, repository=args.repository,
                                    branch=args.branch, hub=args.hub)
    except (TypeError, ValueError) as exc:
        print(f"site: {exc}", file=sys.stderr)
        return 2
    print(build(args.root, args.out, launch))
    return 0
