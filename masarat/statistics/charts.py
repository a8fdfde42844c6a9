"""Charts drawn on the server as inline SVG: no script, no library, readable without JavaScript.

Each chart repeats a table printed next to it (the table is what screen readers and printouts
rely on); hidden counts are drawn as an outlined stub with the word "hidden".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from masarat.organisations.regions import Region


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float | None  # None: hidden by disclosure control


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(bars: list[Bar], *, title: str, chart_id: str, rtl: bool = False) -> SafeString:
    """Horizontal bars, one per category, growing from the start of the line (right in Arabic)."""
    width, label_width, value_width, bar_height, gap = 640, 230, 70, 22, 8
    plot = width - label_width - value_width
    largest = max((bar.value for bar in bars if bar.value is not None), default=0) or 1
    height = max(1, len(bars)) * (bar_height + gap) + gap
    parts = []
    for index, bar in enumerate(bars):
        y = gap + index * (bar_height + gap)
        length = 0.0 if bar.value is None else plot * bar.value / largest
        stub = plot * 0.03
        drawn = stub if bar.value is None else length
        if rtl:
            label_x, anchor_label = width - 4, "end"
            bar_x = width - label_width - drawn
            value_x, anchor_value = bar_x - 6, "end"
        else:
            label_x, anchor_label = 4, "start"
            bar_x = label_width
            value_x, anchor_value = label_width + drawn + 6, "start"
        shown = _("hidden") if bar.value is None else _number(bar.value)
        css = "chart__bar chart__bar--hidden" if bar.value is None else "chart__bar"
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="{}" class="chart__label">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" class="{}"></rect>'
            '<text x="{}" y="{}" text-anchor="{}" class="chart__value">{}</text>',
            label_x, y + bar_height * 0.72, anchor_label, _shorten(bar.label),
            f"{bar_x:.1f}", y, f"{max(drawn, 0.5):.1f}", bar_height, css,
            f"{value_x:.1f}", y + bar_height * 0.72, anchor_value, shown,
        ))
    return _svg(chart_id, title, width, height, parts)


def column_chart(groups: list[tuple[str, list[int | None]]], series: list[str], *, title: str, chart_id: str,
                 rtl: bool = False) -> SafeString:
    """Vertical bars per period, one colour per series, periods in reading order."""
    width, height, bottom, top = 640, 260, 46, 14
    plot_height = height - bottom - top
    count = max(1, len(groups))
    slot = (width - 20) / count
    bar_width = max(2.0, min(28.0, (slot - 6) / max(1, len(series))))
    largest = max((value for _label, values in groups for value in values if value is not None), default=0) or 1
    parts = []
    label_every = max(1, count // 12)
    for index, (label, values) in enumerate(groups):
        position = (count - 1 - index) if rtl else index
        x0 = 10 + position * slot + (slot - bar_width * len(series)) / 2
        for number, value in enumerate(values):
            size = plot_height * 0.03 if value is None else plot_height * value / largest
            css = f"chart__bar chart__bar--series{number}" + (" chart__bar--hidden" if value is None else "")
            x = x0 + number * bar_width
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}: {}</title></rect>',
                f"{x:.1f}", f"{top + plot_height - size:.1f}", f"{bar_width:.1f}", f"{max(size, 0.5):.1f}", css,
                f"{label}, {series[number]}", _("hidden") if value is None else value,
            ))
        if index % label_every == 0:
            parts.append(format_html('<text x="{}" y="{}" text-anchor="middle" class="chart__label">{}</text>',
                                     f"{10 + position * slot + slot / 2:.1f}", height - bottom + 18, label))
    legend_y = height - 8
    for number, name in enumerate(series):
        x = (width - 200 - number * 200) if rtl else (10 + number * 200)
        parts.append(format_html(
            '<rect x="{}" y="{}" width="12" height="12" class="chart__bar chart__bar--series{}"></rect>'
            '<text x="{}" y="{}" text-anchor="{}" class="chart__label">{}</text>',
            x, legend_y - 10, number, x - 6 if rtl else x + 18, legend_y, "end" if rtl else "start", name))
    parts.append(format_html('<line x1="10" x2="{}" y1="{}" y2="{}" class="chart__axis"></line>',
                             width - 10, top + plot_height, top + plot_height))
    return _svg(chart_id, title, width, height, parts)


def _svg(chart_id: str, title: str, width: int, height: int, parts: list[SafeString]) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>{}</svg>',
        width, height, chart_id, chart_id, title, mark_safe("".join(parts)),  # noqa: S308  # parts are escaped
    )


def _shorten(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


# Where each region's tile sits (column, row), roughly as on a map, north at the top.
TILE_POSITIONS = {
    Region.TANGER_TETOUAN_AL_HOCEIMA: (2, 1), Region.ORIENTAL: (3, 1), Region.RABAT_SALE_KENITRA: (1, 2),
    Region.FES_MEKNES: (2, 2), Region.CASABLANCA_SETTAT: (1, 3), Region.BENI_MELLAL_KHENIFRA: (2, 3),
    Region.DRAA_TAFILALET: (3, 3), Region.MARRAKECH_SAFI: (1, 4), Region.SOUSS_MASSA: (2, 4),
    Region.GUELMIM_OUED_NOUN: (1, 5), Region.LAAYOUNE_SAKIA_EL_HAMRA: (1, 6), Region.DAKHLA_OUED_ED_DAHAB: (1, 7),
}
LEVELS = 5


def tile_level(value: int | None, largest: int) -> str:
    """A shade from 0 (none) to 4 (the most), or "hidden"."""
    if value is None:
        return "hidden"
    if not value or not largest:
        return "0"
    return str(min(LEVELS - 1, 1 + int((LEVELS - 2) * value / largest + 0.5)))


def region_tiles(values: dict[str, int | None]) -> list[dict[str, object]]:
    largest = max((value for value in values.values() if value is not None), default=0)
    return [{"code": str(code), "label": str(code.label), "value": values.get(str(code)),
             "level": tile_level(values.get(str(code)), largest), "column": column, "row": row}
            for code, (column, row) in TILE_POSITIONS.items()]
