"""Untrusted text made safe for each of the grader's outputs (docs/grading.md, issue 19).

Every string that comes from a submission (its file and folder names, its cell ids, the
messages of its exceptions, what its code printed) is untrusted. It is kept as it came in the
grader's results and journal, and made safe once, at the report boundary, by the function of
the output it goes to:

  ``text``       any output: lone surrogates (a file name that is not UTF-8, a broken escape in
                 a message) become U+FFFD, and no control character but newline and tab
                 survives (no ESC sequences, no C1 controls, no BOM/U+FFFE/U+FFFF)
  ``line``       the terminal: ``text`` on one line (newlines and tabs become spaces)
  ``csv_cell``   a spreadsheet cell: OWASP's CSV-injection rule, a cell starting with
                 ``= + - @``, tab or CR (or their full-width forms) gets a leading ``'``
  ``xml_text``   XML 1.0: only the characters XML 1.0 allows (``text`` already keeps only those)
  ``md_inline``  Markdown running text (placed after other text on its line): the characters
                 that act inside a line escaped, ``&`` and ``<`` as entities (no raw HTML)
  ``md_block``   Markdown code block: a fence longer than any backtick run inside the text
Omits: choosing what to write (``report``).
"""

import re

__all__ = ["text", "line", "csv_cell", "xml_text", "md_inline", "md_block"]

# C0 controls but tab and newline, DEL, C1 controls, lone surrogates, BOM and the XML-forbidden
# non-characters; CR goes too (a bare CR rewrites the terminal's line).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_FORMULA = tuple("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|~>])")  # those that act mid-line


def text(value):
    """``value`` (any object) as a str with nothing a reader cannot show: see the module."""
    value = value if isinstance(value, str) else str(value)
    return _UNSAFE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", value)


def line(value):
    """One safe terminal line."""
    return text(value).replace("\n", " ").replace("\t", " ")


def csv_cell(value):
    """A CSV cell a spreadsheet shows as text, never runs as a formula (numbers stay numbers)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    value = text(value)
    return "'" + value if value.startswith(_FORMULA) else value


def xml_text(value):
    """Text with only the characters XML 1.0 allows (ElementTree escapes & < > and quotes)."""
    return text(value)


def md_inline(value):
    """Markdown running text after other text on its line: shown literally, no link, code,
    emphasis or raw HTML."""
    escaped = _MD_SPECIAL.sub(r"\\\1", line(value))
    return escaped.replace("&", "&amp;").replace("<", "&lt;")


def md_block(value):
    """A fenced code block holding ``value`` literally: the fence is longer than any run of
    backticks inside it, so the text cannot close it."""
    body = text(value)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{body}\n{fence}"
