"""The frame around every page of the course website: language, title, a skip link, the
header with the launch buttons, the course navigation (landmarks a screen reader can jump
between) and the footer. Everything is relative to the site's folder, so the site works
from a file:// URL and on any static host, under any sub-path.

What it omits: the pages' content (notebook.py, markdown.py).
"""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass

from .launch import START_PAGE


@dataclass(frozen=True)
class Page:
    """One page of the site: ``source`` (repository path, e.g. 'notebooks/01_neurons.ipynb'
    or '' for the generated index), ``out`` (site path, e.g. 'notebooks/01_neurons.html'),
    ``title`` and ``section`` (the navigation group it is listed under)."""

    source: str
    out: str
    title: str
    section: str


SECTIONS = ("Course", "Lessons", "Labs", "Reference", "For instructors")


def rel(target, page_out):
    """The URL of site path ``target`` from the page at site path ``page_out``."""
    return posixpath.relpath(target, posixpath.dirname(page_out) or ".")


def navigation(pages, current):
    parts = ['<nav class="site" aria-label="Course pages">']
    for section in SECTIONS:
        items = [p for p in pages if p.section == section]
        if not items:
            continue
        parts.append(f"<h2>{section}</h2><ul>")
        for p in items:
            here = ' aria-current="page"' if p.out == current.out else ""
            parts.append(f'<li><a href="{rel(p.out, current.out)}"{here}>'
                         f"{html.escape(p.title)}</a></li>")
        parts.append("</ul>")
    parts.append("</nav>")
    return "\n".join(parts)


def launch_buttons(launch, source):
    """The "Launch in Binder" / "Open on JupyterHub" links of a page (none while the
    course's repository is not configured)."""
    path = source or START_PAGE
    links = [(launch.binder(path), "Launch in Binder"),
             (launch.jupyterhub(path), "Open on JupyterHub")]
    links = [f'<a href="{html.escape(url)}">{label}</a>' for url, label in links if url]
    return f'<div class="launch">{"".join(links)}</div>' if links else ""


def render_page(page, body, pages, launch, course):
    """The full HTML document of ``page`` with content ``body``."""
    title = html.escape(course if page.source == "" else f"{page.title} · {course}")
    index = rel("index.html", page.out)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{rel("style.css", page.out)}">
</head>
<body>
<a class="skip" href="#content">Skip to the content</a>
<header class="site"><a class="course" href="{index}">{html.escape(course)}</a>
{launch_buttons(launch, page.source)}</header>
<div class="layout">
{navigation(pages, page)}
<main id="content">
{body}
</main>
</div>
<footer class="site">Built from the course's notebooks with their stored outputs. The code
runs, and the widgets are live, when you open a notebook in JupyterLab.</footer>
</body>
</html>
"""
