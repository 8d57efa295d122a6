"""The one place that builds the Jinja environment: the user's templates first, the default theme second.

A user template can extend the default one by its prefixed name, e.g. `{% extends "!default/base.html" %}`.
Jinja is imported when first needed: a build that finds its site up to date reads the theme's files
(`default_theme_dir`) but renders nothing.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from corpus_site.errors import TemplateProblem

if TYPE_CHECKING:
    import jinja2

DEFAULT_PREFIX = "!default"


def default_theme_dir() -> Path:
    """The packaged default theme; in a source checkout, the top-level `templates/` folder."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the default theme is missing from this installation")


def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """A Jinja environment with autoescaping on and undefined variables as errors."""
    import jinja2

    from corpus_site.fragments import date_html

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


def compile_templates(env: jinja2.Environment, names: Iterable[str]) -> None:
    """Compile the templates `names`, and those they extend, include or import by name, into the
    environment's cache: a worker process forked afterwards renders without compiling any, and a
    template that cannot be compiled is reported before anything is rendered."""
    import jinja2.meta

    to_compile: list[tuple[str, bool]] = [(name, False) for name in sorted(set(names), reverse=True)]
    seen: set[str] = set()
    while to_compile:
        name, referenced_only = to_compile.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            template = env.get_template(name)
            source = env.loader.get_source(env, name)[0] if env.loader is not None else ""
        except jinja2.TemplateSyntaxError as error:
            raise TemplateProblem(f"{error.filename or name}:{error.lineno}: {error.message}") from None
        except jinja2.TemplateNotFound:
            if not referenced_only:
                raise TemplateProblem(f"{name}: template not found") from None
            continue  # perhaps included with `ignore missing`: rendering tells
        referenced = jinja2.meta.find_referenced_templates(env.parse(source, name, template.filename))
        others = sorted({other for other in referenced if other is not None}, reverse=True)
        to_compile.extend((other, True) for other in others)


def template_problem(error: jinja2.TemplateError, template: str, page: str) -> TemplateProblem:
    """A template's error while it rendered `page`, at the template's line where it was raised."""
    import jinja2

    where = template
    for frame in traceback.extract_tb(error.__traceback__):
        if not frame.filename.endswith(".py"):  # Jinja puts a template's own lines in the traceback
            where = f"{frame.filename}:{frame.lineno}"
    if isinstance(error, jinja2.TemplateNotFound):
        message = f"template {error.name!r} not found"
    else:
        message = error.message or type(error).__name__
    return TemplateProblem(f"{where}: {message} (rendering {page})")


def static_files(user_dir: Path | None = None) -> dict[str, bytes]:
    """Theme assets under `static/` by output path; the user's files replace the default's."""
    files: dict[str, bytes] = {}
    for root in [default_theme_dir(), *([user_dir] if user_dir else [])]:
        static = root / "static"
        for path in sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []:
            files["static/" + path.relative_to(static).as_posix()] = path.read_bytes()
    return files
