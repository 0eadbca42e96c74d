"""One notebook as the HTML body of a website page: Markdown cells through markdown.py,
code cells highlighted with their stored outputs (text, tables, errors, figures with the alt
text ``helpers.plots.show(alt=...)`` stored), cells hidden in JupyterLab collapsed behind a
"Show" button, and every widget replaced by its text stand-in and a line saying it is live
in JupyterLab.

What it omits: executing anything (the site shows the stored outputs) and the page around
the body (page.py).
"""

from __future__ import annotations

import html
import re

from .markdown import first_heading, highlight, mathml, to_html

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
WIDGET = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("Interactive widget: it is live when you run this notebook in JupyterLab "
               "(here you see its text stand-in).")


def notebook_title(nb, fallback):
    """The text of the notebook's first '# ' heading, else ``fallback``."""
    for cell in nb.cells:
        title = first_heading(cell.source) if cell.cell_type == "markdown" else None
        if title:
            return title
    return fallback


def image_alt(output):
    """The alt text of a figure output: its metadata's (``show(alt=...)``), else the
    '[figure] ...' text stand-in, else ''."""
    alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
    text = "".join(output.get("data", {}).get("text/plain", ""))
    if not alt and text.startswith("[figure] "):
        alt = text.removeprefix("[figure] ")
    return alt.strip()


def pre(text, kind):
    return f'<pre class="output {kind}">{html.escape(ANSI.sub("", text))}</pre>\n'


def render_output(output, resolve, save_image):
    """HTML of one stored output. save_image: function (base64 PNG) -> its URL."""
    kind = output.get("output_type")
    if kind == "stream":
        return pre("".join(output.get("text", "")), "stream-" + output.get("name", "stdout"))
    if kind == "error":
        return pre("\n".join(output.get("traceback", [])), "error")
    data = {k: "".join(v) if isinstance(v, list) else v
            for k, v in output.get("data", {}).items()}
    if WIDGET in data:
        return (pre(data.get("text/plain", "(widget)"), "widget")
                + f'<p class="widget-note">{WIDGET_NOTE}</p>\n')
    if "image/png" in data:
        src = save_image(data["image/png"])
        alt = html.escape(image_alt(output), quote=True)
        return f'<figure class="output"><img src="{src}" alt="{alt}"></figure>\n'
    if "text/html" in data:
        return f'<div class="output html" tabindex="0">{data["text/html"]}</div>\n'
    if "text/markdown" in data:
        return f'<div class="output markdown">{to_html(data["text/markdown"], resolve)[0]}</div>\n'
    if "text/latex" in data:
        return f'<div class="output">{mathml(data["text/latex"].strip("$"), display=True)}</div>\n'
    if "text/plain" in data:
        return pre(data["text/plain"], "result")
    return ""


def collapsed(inner, summary):
    return f"<details><summary>{summary}</summary>\n{inner}</details>\n"


def render_cell(cell, resolve, save_image):
    """(html, dropped) of one cell; dropped counts blocks left out for a placeholder URL."""
    hidden = cell.get("metadata", {}).get("jupyter", {})
    if cell.cell_type == "markdown":
        body, dropped = to_html(cell.source, resolve)
        body = collapsed(body, "Show the hidden text") if hidden.get("source_hidden") else body
        return f'<section class="cell markdown">{body}</section>\n', dropped
    if cell.cell_type != "code":
        return "", 0
    parts = []
    if cell.source.strip():
        code = highlight(cell.source, "python")
        parts.append(collapsed(code, "Show the code") if hidden.get("source_hidden") else code)
    outputs = "".join(render_output(o, resolve, save_image) for o in cell.get("outputs", []))
    if outputs:
        outputs = f'<div class="outputs">{outputs}</div>'
        parts.append(collapsed(outputs, "Show the output") if hidden.get("outputs_hidden")
                     else outputs)
    return f'<div class="cell code">{"".join(parts)}</div>\n', 0


def render_notebook(nb, resolve, save_image):
    """(html, dropped): the body of a notebook's page. resolve: url -> url or None (see
    markdown.CourseRenderer); save_image: base64 PNG -> URL."""
    parts, dropped = [], 0
    for cell in nb.cells:
        out, n = render_cell(cell, resolve, save_image)
        parts.append(out)
        dropped += n
    return "".join(parts), dropped
