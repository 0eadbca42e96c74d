"""Launch links of the course, all from one place: ``[tool.course]`` in pyproject.toml.

    [tool.course]
    repository = "https://github.com/your-org/ann-course"   # "" = not published yet
    branch = "main"
    jupyterhub = "https://hub.example.edu"                  # "" = no hub

From it come the README's Binder badge, the website's "Launch in Binder" / "Open on
JupyterHub" buttons and the nbgitpuller links; ``python -m helpers link [--hub URL]`` prints
them. With ``repository`` empty there are no launch links at all (never a placeholder).
The website itself is built by ``helpers.instructor.site`` (README, "The course as a
website").
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, vendored by pip
    from pip._vendor import tomli as tomllib

ROOT = Path(__file__).resolve().parents[3]
BINDER = "https://mybinder.org"
START_PAGE = "notebooks/00_start_here.ipynb"
#: URL fragments that only a template holds; no rendered page or README may contain one
PLACEHOLDERS = re.compile(r"OWNER/REPO|OWNER%2FREPO|<owner>/<repo>|https?://HUB\b")


@dataclass(frozen=True)
class Launch:
    """Where the course is published: ``repository`` (https URL of a public git repository,
    or "" when unset), ``branch`` and ``hub`` (a JupyterHub's base URL, or "")."""

    repository: str = ""
    branch: str = "main"
    hub: str = ""

    def __post_init__(self):
        for name in ("repository", "hub"):
            url = getattr(self, name)
            if not isinstance(url, str):
                raise TypeError(f"{name}: expected a URL string, got {type(url).__name__}")
            if url and (urlsplit(url).scheme not in ("http", "https") or PLACEHOLDERS.search(url)
                        or not urlsplit(url).netloc):
                raise ValueError(f"{name}: expected an https URL such as "
                                 f"'https://github.com/your-org/ann-course', got {url!r}")
        if not isinstance(self.branch, str) or not re.fullmatch(r"[\w./-]+", self.branch):
            raise ValueError(f"branch: expected a git branch name, got {self.branch!r}")

    @property
    def name(self):
        """The repository's folder name ('ann-course'), where nbgitpuller clones it."""
        return self.repository.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]

    def binder(self, path=START_PAGE):
        """mybinder.org link that opens ``path`` (relative to the repository) in JupyterLab;
        None when no repository is set."""
        if not self.repository:
            return None
        parts = urlsplit(self.repository)
        if parts.netloc == "github.com":
            spec = "gh/" + parts.path.strip("/").removesuffix(".git")
        else:
            spec = "git/" + quote(self.repository, safe="")
        return f"{BINDER}/v2/{spec}/{self.branch}?urlpath=" + quote(f"lab/tree/{path}", safe="/")

    def badge(self, path=START_PAGE):
        """The Markdown Binder badge (what the README shows), or None."""
        url = self.binder(path)
        return url and f"[![Launch in Binder]({BINDER}/badge_logo.svg)]({url})"

    def jupyterhub(self, path=START_PAGE, hub=None):
        """nbgitpuller link: on the hub, clone or update the repository, then open ``path``;
        None when the repository or the hub is unset."""
        hub = (hub if hub is not None else self.hub).rstrip("/")
        if not self.repository or not hub:
            return None
        Launch(self.repository, self.branch, hub)  # validates the hub URL
        query = (f"repo={quote(self.repository, safe='')}&branch={quote(self.branch, safe='')}"
                 f"&urlpath={quote(f'lab/tree/{self.name}/{path}', safe='')}")
        return f"{hub}/hub/user-redirect/git-pull?{query}"


def load(root=ROOT, **overrides):
    """The Launch of the course in ``root`` (its pyproject.toml's [tool.course]); keyword
    ``repository``, ``branch``, ``hub`` override the file where not None."""
    text = Path(root, "pyproject.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text).get("tool", {}).get("course", {})
    settings = {"repository": table.get("repository", ""), "branch": table.get("branch", "main"),
                "hub": table.get("jupyterhub", "")}
    settings.update({k: v for k, v in overrides.items() if v is not None})
    return Launch(**settings)


def main(argv=None):
    """``python -m helpers link [--hub URL] [--repository URL] [--branch B] [PATH ...]``:
    print the Binder badge and, per notebook PATH (default the start page), its Binder and
    JupyterHub (nbgitpuller) links."""
    parser = argparse.ArgumentParser(prog="python -m helpers link", description=main.__doc__)
    parser.add_argument("paths", nargs="*", default=[START_PAGE],
                        help="notebooks to open, relative to the repository")
    parser.add_argument("--hub", help="JupyterHub base URL (default: [tool.course] jupyterhub)")
    parser.add_argument("--repository", help="public git repository (default: [tool.course])")
    parser.add_argument("--branch")
    args = parser.parse_args(argv)
    try:
        launch = load(repository=args.repository, branch=args.branch, hub=args.hub)
    except (TypeError, ValueError) as exc:
        print(f"link: {exc}", file=sys.stderr)
        return 2
    if not launch.repository:
        print("link: no repository is set. Put the course's public repository in "
              "pyproject.toml:\n\n[tool.course]\nrepository = "
              "\"https://github.com/your-org/ann-course\"\nbranch = \"main\"\n"
              "jupyterhub = \"https://hub.example.edu\"   # optional\n\n"
              "(or pass --repository URL).", file=sys.stderr)
        return 2
    print(f"README badge: {launch.badge()}")
    for path in args.paths:
        print(f"{path}\n  Binder:     {launch.binder(path)}")
        hub = launch.jupyterhub(path)
        print(f"  JupyterHub: {hub or '(no hub: pass --hub URL or set [tool.course] jupyterhub)'}")
    return 0
