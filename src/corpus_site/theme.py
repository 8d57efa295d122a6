"""The one place that builds the Jinja environment: the user's templates first, the default theme second.

A user template can extend the default one by its prefixed name, e.g. `{% extends "!default/base.html" %}`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2

from corpus_site.fragments import date_html

DEFAULT_PREFIX = "!default"


def default_theme_dir() -> Path:
    """The packaged default theme; in a source checkout, the top-level `templates/` folder."""
    packaged = Path(str(resources.files("corpus_site"))) / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the default theme is missing from this installation")


def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja environment with autoescaping on and undefined variables as errors."""
    default = jinja2.FileSystemLoader(default_theme_dir())
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders += [jinja2.PrefixLoader({DEFAULT_PREFIX: default}), default]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["date_html"] = date_html  # the `date` macro, shared with the Python fragments
    return env


def static_files(user_dir: Path | None = None) -> dict[str, bytes]:
    """Theme assets under `static/` by output path; the user's files replace the default's."""
    files: dict[str, bytes] = {}
    for root in [default_theme_dir(), *([user_dir] if user_dir else [])]:
        static = root / "static"
        for path in sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []:
            files["static/" + path.relative_to(static).as_posix()] = path.read_bytes()
    return files
