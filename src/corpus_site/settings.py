"""Build settings: the corpus's own `corpus-site.toml`, then command-line options over it.

Like a config schema, the file is checked whole and every error reported at once, each naming the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from corpus_site.errors import CorpusSiteError
from corpus_site.variants import DEFAULT_TRADITIONAL, TRADITIONAL_CONFIGS

CONFIG_FILE = "corpus-site.toml"
ABOUT_FILE = "README.md"


@dataclass(slots=True, frozen=True)
class Settings:
    """What shapes a build besides the documents."""

    title: str = "文献库"
    """The site's name, shown on every page."""
    traditional: str = DEFAULT_TRADITIONAL
    """OpenCC configuration for the traditional pages: s2t, s2tw, s2twp or s2hk."""
    base_url: str | None = None
    """Public URL of the site, for sitemap.xml and absolute citations; links stay relative."""
    about: str | None = None
    """The corpus's description in Markdown, for the about page."""
    build_date: str | None = None
    """The date shown as the build's, from SOURCE_DATE_EPOCH only, so that builds stay reproducible."""


class ConfigError(CorpusSiteError):
    """The configuration file has errors; all of them are listed."""


def _check_url(value: str) -> str | None:
    return None if value.startswith(("http://", "https://")) else "must start with http:// or https://"


def load_settings(input_dir: Path, **overrides: Any) -> Settings:
    """Settings from `input_dir/corpus-site.toml` (if any), the about file, and non-None overrides."""
    config_path = input_dir / CONFIG_FILE
    raw: dict[str, Any] = {}
    errors: list[str] = []
    if config_path.is_file():
        try:
            raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{config_path}: {error}") from error
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in ("title", "traditional", "base_url", "about"):
            errors.append(f"{key}: unknown setting")
        elif not isinstance(value, str):
            errors.append(f"{key}: must be a string")
        else:
            values[key] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    if values.get("traditional", DEFAULT_TRADITIONAL) not in TRADITIONAL_CONFIGS:
        errors.append(f"traditional: must be one of {', '.join(TRADITIONAL_CONFIGS)}")
    if "base_url" in values and (problem := _check_url(values["base_url"])):
        errors.append(f"base_url: {problem}")
    about_path = input_dir / values.pop("about", ABOUT_FILE)
    if "about" in raw and not about_path.is_file():
        errors.append(f"about: {about_path} not found")
    if errors:
        raise ConfigError(f"{config_path}: " + "; ".join(errors))
    about = about_path.read_text(encoding="utf-8", errors="replace") if about_path.is_file() else None
    return replace(Settings(), **values, about=about, build_date=source_date())


def source_date(environ: Mapping[str, str] = os.environ) -> str | None:
    """The UTC date of SOURCE_DATE_EPOCH (reproducible-builds.org), or None when it is unset."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not epoch.isdigit():
        raise ConfigError(f"SOURCE_DATE_EPOCH: {epoch!r} is not a number of seconds")
    return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
