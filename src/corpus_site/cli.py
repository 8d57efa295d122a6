"""The command line; the only module that prints."""

from __future__ import annotations

from pathlib import Path

import click

from corpus_site import __version__
from corpus_site.build import BuildResult, build
from corpus_site.errors import BuildFailed
from corpus_site.export import rule_totals
from corpus_site.model import Problem
from corpus_site.variants import DEFAULT_TRADITIONAL, TRADITIONAL_CONFIGS

EXIT_CODES = """\b
Exit status:
  0  the site was built (warnings, if any, are printed)
  1  the build failed: bad arguments, an output folder it may not replace,
     no document left, or any problem under --strict
  2  usage error"""


def _print_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _summary(result: BuildResult, output: Path) -> str:
    corpus = result.corpus
    rules = ", ".join(f"{rule} {count}" for rule, count in rule_totals(corpus).items()) or "none"
    lines = [
        f"Built {len(corpus.documents)} document(s) into {output} ({result.files} files).",
        f"Cleaning rules fired: {rules}.",
    ]
    if corpus.skipped:
        lines.append(f"Skipped {len(corpus.skipped)} file(s):")
        lines += [f"  {path}: {reason}" for path, reason in corpus.skipped.items()]
    if corpus.problems:
        lines.append(f"{len(corpus.problems)} warning(s) or error(s) above; details in report.json.")
    return "\n".join(lines)


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="corpus-site")
def cli() -> None:
    """Turn a folder of scraped Chinese documents into a clean, indexed static website."""


@cli.command("build", epilog=EXIT_CODES)
@click.option(
    "--input",
    "input_dir",
    type=click.Path(path_type=Path),
    default=Path("seeds"),
    show_default=True,
    help="Folder of source documents.",
)
@click.option(
    "--output",
    "output_dir",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder to write the site into (replaced only if corpus-site made it).",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of templates overriding the default theme by name.",
)
@click.option(
    "--base-url",
    default=None,
    help="Public URL of the site (http or https), for sitemap.xml; links stay relative.",
)
@click.option(
    "--traditional",
    type=click.Choice(TRADITIONAL_CONFIGS),
    default=None,
    help=f"OpenCC conversion for the 繁體 pages  [default: {DEFAULT_TRADITIONAL}]",
)
@click.option("--title", default=None, help="The site's name  [default: 文献库]")
@click.option("--strict", is_flag=True, help="Fail, writing nothing, on any warning.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def build_command(
    input_dir: Path,
    output_dir: Path,
    templates: Path | None,
    base_url: str | None,
    traditional: str | None,
    title: str | None,
    strict: bool,
    quiet: bool,
) -> None:
    """Build the site from INPUT into OUTPUT.

    Settings may also come from INPUT/corpus-site.toml (keys title, traditional, base_url, about);
    options given here win. The about page shows INPUT/README.md unless `about` names another file.
    """
    try:
        result = build(
            input_dir, output_dir, templates, strict, base_url=base_url, traditional=traditional, title=title
        )
    except BuildFailed as failure:
        _print_problems(failure.problems)
        raise
    _print_problems(result.corpus.problems)
    if not quiet:
        click.echo(_summary(result, output_dir))


def main() -> None:
    cli(prog_name="corpus-site")
