"""Errors the CLI shows as one line, location first."""

from __future__ import annotations

from collections.abc import Sequence

import click

from corpus_site.model import Problem


class CorpusSiteError(click.ClickException):
    """Base of every error corpus-site reports to the user."""


class OutputNotOurs(CorpusSiteError):
    """The output folder holds files corpus-site did not write."""


class DuplicateOutput(CorpusSiteError):
    """Two pages would be written to the same path."""


class TemplateProblem(CorpusSiteError):
    """A template that cannot be compiled or rendered: its file and line first."""


class BuildFailed(CorpusSiteError):
    """The build stopped, for example under --strict with warnings."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)
