"""corpus-site: scraped Chinese documents in, a clean, indexed static website out."""

__version__ = "0.1.0"
