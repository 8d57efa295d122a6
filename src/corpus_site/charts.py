"""Bar charts as inline SVG, drawn at build time: no chart library, nothing loaded from elsewhere.

Each chart carries a `<title>` and a `<desc>` listing every value, is labelled by them for screen
readers (`role="img"`), and scales with its container. Labels and values are escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR = 22
"""Height of one horizontal bar, label included, in SVG units."""
WIDTH = 640
LABEL_WIDTH = 200


def bar_chart(chart_id: str, title: str, data: Sequence[tuple[str, float]], unit: str = "") -> Markup:
    """A horizontal bar chart of labelled values, largest bar full width."""
    if not data:
        return Markup("")
    largest = max(value for _, value in data) or 1
    height = BAR * len(data) + 8
    area = WIDTH - LABEL_WIDTH - 60
    description = "；".join(f"{label}：{_number(value)}{unit}" for label, value in data)
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for row, (label, value) in enumerate(data):
        y = 4 + row * BAR
        width = max(1.0, area * value / largest) if value else 0
        shown = label if len(label) <= 14 else label[:13] + "…"
        baseline = f"{y + BAR * 0.68:.1f}"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{baseline}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="{BAR - 8}"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{baseline}">{_number(value)}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"
