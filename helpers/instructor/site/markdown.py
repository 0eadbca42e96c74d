"""Markdown with formulas to HTML for the course website, offline: ``$...$`` and ``$$...$$``
become MathML at build time (latex2mathml; browsers display MathML natively, so no MathJax
and no CDN), headings get ids (``glossary.md#one-hot`` finds ``## one-hot``), links are
rewritten by the page's link resolver, and a top-level block that holds a placeholder URL
(``OWNER/REPO``) is left out, with a warning, instead of being published.

What it omits: the page layout (page.py) and notebooks' cells and outputs (notebook.py).
"""

from __future__ import annotations

import functools
import html
import re
import sys

import mistune
from latex2mathml.converter import convert
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .launch import PLACEHOLDERS

#: a function name not followed by a bracket (\ln 2): MathML needs the thin space TeX adds
FUNCTION_NAME = re.compile(r"(<mi>(?:ln|log|exp|sin|cos|tan|sinh|cosh|tanh)</mi>)"
                           r"(?!<mo stretchy=\"false\">&#x00028;)")
#: inline math in raw HTML (e.g. a ``<summary>``), which Markdown does not parse
RAW_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)((?:[^$\\\n]|\\.)+?)\$(?!\d)")


def first_heading(text):
    """The text of the first '# ' heading of Markdown ``text`` (code marks dropped), or
    None."""
    match = re.search(r"^# +(.+)$", text, flags=re.M)
    return match.group(1).replace("`", "").strip() if match else None


def slugify(text):
    """The id of a heading (GitHub's rule): lower case, punctuation dropped, spaces -> '-'.
    'One-hot encoding' -> 'one-hot-encoding'; link fragments are slugified the same way."""
    text = re.sub(r"<[^>]+>", "", html.unescape(text)).strip().lower()
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", text))


@functools.lru_cache(maxsize=4096)
def mathml(latex, display=False):
    """MathML of one TeX formula; on a formula latex2mathml cannot convert, the TeX in a
    <code> (and a warning), never raw dollar signs."""
    try:
        out = convert(latex.strip(), display="block" if display else "inline")
        return FUNCTION_NAME.sub(r'\1<mspace width="0.17em"></mspace>', out)
    except Exception as exc:  # noqa: BLE001 (any converter failure: fall back, say which)
        print(f"site: formula not converted ({exc}): {latex!r}", file=sys.stderr)
        return f'<code class="tex">{html.escape(latex)}</code>'


#: Pygments colours whose contrast on the code background passes WCAG AA
CODE_STYLE = "default"


def highlight(code, language="python"):
    """Code as highlighted HTML (<div class="highlight"><pre>...)."""
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    return pygments_highlight(code, lexer, HtmlFormatter(style=CODE_STYLE))


def code_css():
    """The CSS of the highlighted code."""
    return HtmlFormatter(style=CODE_STYLE).get_style_defs(".highlight")


def math_in_html(raw):
    """Raw HTML with its inline ``$...$`` formulas turned into MathML."""
    return RAW_INLINE_MATH.sub(lambda m: mathml(html.unescape(m.group(1))), raw)


class CourseRenderer(mistune.HTMLRenderer):
    """HTML renderer with MathML, heading ids and rewritten links.

    resolve: function url -> the url to publish, or None to keep the text without a link.
    """

    def __init__(self, resolve):
        super().__init__(escape=False)
        self.resolve = resolve
        self.dropped = 0  # top-level blocks left out because they hold a placeholder URL

    def __call__(self, tokens, state):
        parts = []
        for token in tokens:
            out = self.render_token(token, state)
            if PLACEHOLDERS.search(out):
                self.dropped += 1
            else:
                parts.append(out)
        return "".join(parts)

    def heading(self, text, level, **attrs):
        return f'<h{level} id="{slugify(text)}">{text}</h{level}>\n'

    def link(self, text, url, title=None):
        target = self.resolve(url)
        if target is None:
            return text
        title = f' title="{html.escape(title)}"' if title else ""
        return f'<a href="{html.escape(target)}"{title}>{text}</a>'

    def image(self, text, url, title=None):
        target = self.resolve(url)
        if target is None or re.match(r"[a-z]+:", target):  # a remote image: not offline
            return html.escape(text)
        return f'<img src="{html.escape(target)}" alt="{html.escape(text)}">'

    def block_html(self, html_text):
        return math_in_html(html_text) + "\n"

    def inline_html(self, html_text):
        return math_in_html(html_text)

    def block_code(self, code, info=None):
        return highlight(code, info.split(None, 1)[0] if info and info.strip() else "text")


def render_math_block(renderer, text):
    return mathml(text, display=True) + "\n"


def render_math_inline(renderer, text):
    return mathml(text)


def to_html(text, resolve):
    """(html, dropped): Markdown ``text`` as HTML and the number of blocks left out for a
    placeholder URL. resolve: see CourseRenderer."""
    renderer = CourseRenderer(resolve)
    md = mistune.create_markdown(renderer=renderer,
                                 plugins=["math", "table", "strikethrough", "footnotes"])
    md.renderer.register("block_math", render_math_block)
    md.renderer.register("inline_math", render_math_inline)
    return md(text), renderer.dropped
