"""Charts as inline SVG, drawn on the server from plain lists.

No JavaScript and no fonts of their own: in a browser the text takes the page's font
stack; WeasyPrint does not pass CSS fonts into SVG, so the PDF names its stack
(``font_family``). Each chart carries a title and a description for screen readers, and
the page shows the same numbers in a table next to it.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from casework.core.i18n import labelled
from casework.core.numbers import format_number

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

# Distinguishable with the common colour-vision deficiencies; lines also differ in dash
# and marker shape, so colour is never the only cue.
PALETTE = ("#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad")
DASHES = ("", "6 4", "2 3", "8 3 2 3")
TEXT_COLOUR = "#333333"
GRID_COLOUR = "#dddddd"
AXIS_COLOUR = "#888888"

# Drawing units across; the page and the PDF scale the drawing to their column, and 400
# keeps 12-unit text legible from a 360 px phone to a half-width A4 column.
WIDTH = 400
FONT_SIZE = 13
SMALL_FONT_SIZE = 12
LEGEND_HEIGHT = 26


@dataclass(frozen=True)
class Series:
    """One row of values; ``None`` draws nothing (no data, or a suppressed count).

    ``value_labels``, when given, is what the chart writes for each value ("<5", "—").
    """

    name: str
    values: Sequence[float | None]
    value_labels: Sequence[str] | None = None

    def label(self, index: int) -> str:
        if self.value_labels is not None:
            return self.value_labels[index]
        value = self.values[index]
        return "—" if value is None else format_number(value)


def text_width(text: str, font_size: float) -> float:
    """A rough width: Chinese characters are one em, Latin letters and digits about half."""
    return sum(font_size if ord(char) > 0x2E7F else font_size * 0.6 for char in text)


def nice_scale(
    maximum: float, ticks: int = 5, *, whole_numbers: bool = False
) -> tuple[float, float]:
    """The axis top and tick step (1, 2 or 5 times a power of ten) that fit ``maximum``.

    For counts (``whole_numbers``) the step is at least 1: nobody held 0.2 sessions.
    """
    if maximum <= 0:
        maximum = 1 if whole_numbers else ticks
    raw_step = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    if whole_numbers:
        step = max(step, 1)
    return math.ceil(maximum / step - 1e-9) * step, step


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    horizontal: bool = False,
    whole_numbers: bool = False,
    font_family: str | None = None,
    width: int = WIDTH,
) -> Markup:
    """Bars per category, one per series; horizontal bars suit long Chinese labels.

    ``whole_numbers``: the values are counts, so the axis ticks are whole numbers.
    """
    chart = _Canvas(
        chart_id, title, description, categories, series, font_family, width, whole_numbers
    )
    if horizontal:
        chart.draw_horizontal_bars()
    else:
        chart.draw_vertical_bars()
    return chart.markup()


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    whole_numbers: bool = False,
    font_family: str | None = None,
    width: int = WIDTH,
) -> Markup:
    """One line per series over ``labels`` (e.g. months); a ``None`` breaks the line."""
    chart = _Canvas(chart_id, title, description, labels, series, font_family, width, whole_numbers)
    chart.draw_lines()
    return chart.markup()


class _Canvas:
    """One chart being drawn: its value scale, the elements so far, and the SVG they make."""

    def __init__(
        self,
        chart_id: str,
        title: str,
        description: str,
        categories: Sequence[str],
        series: Sequence[Series],
        font_family: str | None,
        width: int,
        whole_numbers: bool = False,
    ) -> None:
        for one in series:
            if len(one.values) != len(categories):
                raise ValueError(f"series {one.name!r} has a value count unlike the labels")
        self.categories = list(categories)
        self.series = list(series)
        self.title = title
        self.chart_id = chart_id
        self.description = f"{description} {self._data_summary()}".strip()
        self.font_family = font_family
        self.width = float(width)
        self.height = width / 2
        self.body: list[ET.Element] = []
        values = [value for one in series for value in one.values if value is not None]
        self.top, self.step = nice_scale(max(values, default=0), whole_numbers=whole_numbers)

    def _data_summary(self) -> str:
        parts = []
        for index, category in enumerate(self.categories):
            shown = "，".join(
                f"{one.name} {one.label(index)}" if len(self.series) > 1 else one.label(index)
                for one in self.series
            )
            parts.append(labelled(category, shown))
        return "；".join(parts) + "。" if parts else ""

    # --- drawing helpers -------------------------------------------------------------

    def add(self, tag: str, text: str | None = None, **attributes: object) -> ET.Element:
        element = ET.Element(tag, {_attribute(k): _value(v) for k, v in attributes.items()})
        if text is not None:
            element.text = text
        self.body.append(element)
        return element

    def add_text(self, x: float, y: float, text: str, **attributes: object) -> ET.Element:
        attributes.setdefault("font_size", SMALL_FONT_SIZE)
        attributes.setdefault("fill", TEXT_COLOUR)
        return self.add("text", text, x=x, y=y, **attributes)

    def legend_top(self) -> float:
        """Draw the legend (only for several series); return where the plot may start."""
        if len(self.series) < 2:
            return 12
        x = self.width - 12
        for index in reversed(range(len(self.series))):
            name = self.series[index].name
            x -= text_width(name, SMALL_FONT_SIZE)
            self.add_text(x, 17, name)
            x -= 20
            self.add(
                "rect",
                x=x,
                y=7,
                width=14,
                height=12,
                fill=PALETTE[index % len(PALETTE)],
                class_="legend-swatch",
            )
            x -= 14
        return 12 + LEGEND_HEIGHT

    def value_axis_ticks(self) -> list[float]:
        count = round(self.top / self.step)
        return [self.step * index for index in range(count + 1)]

    def scale(self, value: float, length: float) -> float:
        return value / self.top * length

    # --- chart kinds -------------------------------------------------------------------

    def draw_vertical_bars(self) -> None:
        top = self.legend_top()
        wrapped = [
            _wrap(label, self._slot_width_guess(), SMALL_FONT_SIZE) for label in self.categories
        ]
        label_lines = max((len(lines) for lines in wrapped), default=1)
        bottom = self.height - 10 - label_lines * (SMALL_FONT_SIZE + 3)
        left = 12 + max(
            text_width(format_number(t), SMALL_FONT_SIZE) for t in self.value_axis_ticks()
        )
        right = self.width - 12
        plot_height = bottom - top - 16  # room for the value over the tallest bar
        self._value_gridlines_horizontal(left, right, bottom, plot_height)
        slot = (right - left) / max(len(self.categories), 1)
        bar_width = slot * 0.7 / max(len(self.series), 1)
        for index, lines in enumerate(wrapped):
            slot_left = left + index * slot
            centre = slot_left + slot / 2
            for line_number, line in enumerate(lines):
                self.add_text(
                    centre,
                    bottom + 16 + line_number * (SMALL_FONT_SIZE + 3),
                    line,
                    text_anchor="middle",
                )
            for number, one in enumerate(self.series):
                x = slot_left + slot * 0.15 + number * bar_width
                value = one.values[index]
                label = one.label(index)
                if value is not None:
                    height = self.scale(value, plot_height)
                    bar = self.add(
                        "rect",
                        x=x,
                        y=bottom - height,
                        width=bar_width * 0.92,
                        height=height,
                        fill=PALETTE[number % len(PALETTE)],
                        class_="bar",
                    )
                    ET.SubElement(bar, "title").text = self._point_title(index, one)
                    self.add_text(
                        x + bar_width * 0.46, bottom - height - 4, label, text_anchor="middle"
                    )
                else:
                    self.add_text(x + bar_width * 0.46, bottom - 4, label, text_anchor="middle")
        self.add("line", x1=left, y1=bottom, x2=right, y2=bottom, stroke=AXIS_COLOUR)

    def _slot_width_guess(self) -> float:
        return (self.width - 60) / max(len(self.categories), 1)

    def _value_gridlines_horizontal(
        self, left: float, right: float, bottom: float, plot_height: float
    ) -> None:
        for tick in self.value_axis_ticks():
            y = bottom - self.scale(tick, plot_height)
            if tick:
                self.add("line", x1=left, y1=y, x2=right, y2=y, stroke=GRID_COLOUR)
            self.add_text(left - 6, y + 4, format_number(tick), text_anchor="end")

    def draw_horizontal_bars(self) -> None:
        top = self.legend_top()
        row_height = 14 + 14 * len(self.series)
        label_width = min(
            max((text_width(label, FONT_SIZE) for label in self.categories), default=0) + 12,
            self.width * 0.4,
        )
        left = label_width
        right = self.width - 16 - text_width("0000.0", SMALL_FONT_SIZE)
        bottom = top + row_height * len(self.categories)
        self.height = bottom + 28
        for tick in self.value_axis_ticks():
            x = left + self.scale(tick, right - left)
            if tick:
                self.add("line", x1=x, y1=top, x2=x, y2=bottom, stroke=GRID_COLOUR)
            self.add_text(x, bottom + 18, format_number(tick), text_anchor="middle")
        bar_height = (row_height - 14) / max(len(self.series), 1)
        for index, category in enumerate(self.categories):
            row_top = top + index * row_height
            self.add_text(
                left - 8,
                row_top + row_height / 2 + FONT_SIZE * 0.35,
                category,
                text_anchor="end",
                font_size=FONT_SIZE,
            )
            for number, one in enumerate(self.series):
                y = row_top + 7 + number * bar_height
                value = one.values[index]
                length = self.scale(value, right - left) if value is not None else 0.0
                if value is not None:
                    bar = self.add(
                        "rect",
                        x=left,
                        y=y,
                        width=length,
                        height=bar_height * 0.9,
                        fill=PALETTE[number % len(PALETTE)],
                        class_="bar",
                    )
                    ET.SubElement(bar, "title").text = self._point_title(index, one)
                self.add_text(left + length + 5, y + bar_height * 0.45 + 4, one.label(index))
        self.add("line", x1=left, y1=top, x2=left, y2=bottom, stroke=AXIS_COLOUR)

    def draw_lines(self) -> None:
        top = self.legend_top()
        bottom = self.height - 30
        left = 12 + max(
            text_width(format_number(t), SMALL_FONT_SIZE) for t in self.value_axis_ticks()
        )
        right = self.width - 12
        plot_height = bottom - top - 8
        self._value_gridlines_horizontal(left, right, bottom, plot_height)
        slot = (right - left) / max(len(self.categories), 1)
        every = max(
            1,
            math.ceil(
                max((text_width(c, SMALL_FONT_SIZE) for c in self.categories), default=0)
                / (slot - 2)
            ),
        )
        for index, label in enumerate(self.categories):
            if (len(self.categories) - 1 - index) % every == 0:  # the latest is always named
                self.add_text(left + (index + 0.5) * slot, bottom + 18, label, text_anchor="middle")
        self.add("line", x1=left, y1=bottom, x2=right, y2=bottom, stroke=AXIS_COLOUR)
        for number, one in enumerate(self.series):
            colour = PALETTE[number % len(PALETTE)]
            points = [
                (left + (index + 0.5) * slot, bottom - self.scale(value, plot_height))
                if value is not None
                else None
                for index, value in enumerate(one.values)
            ]
            path = _path_through(points)
            if path:
                line = self.add(
                    "path", d=path, fill="none", stroke=colour, stroke_width=2, class_="line"
                )
                if DASHES[number % len(DASHES)]:
                    line.set("stroke-dasharray", DASHES[number % len(DASHES)])
            for index, point in enumerate(points):
                if point is None:
                    if one.value_labels is not None:
                        self.add_text(
                            left + (index + 0.5) * slot,
                            bottom - 4 - number * (SMALL_FONT_SIZE + 1),
                            one.label(index),
                            text_anchor="middle",
                            fill=colour,
                        )
                    continue
                marker = self._marker(number, point, colour)
                ET.SubElement(marker, "title").text = self._point_title(index, one)

    def _marker(self, number: int, point: tuple[float, float], colour: str) -> ET.Element:
        x, y = point
        shape = number % 3
        if shape == 0:
            return self.add("circle", cx=x, cy=y, r=3.5, fill=colour, class_="point")
        if shape == 1:
            return self.add(
                "rect", x=x - 3.5, y=y - 3.5, width=7, height=7, fill=colour, class_="point"
            )
        return self.add(
            "path",
            d=f"M{_n(x)} {_n(y - 4.5)}L{_n(x + 4.5)} {_n(y + 3.5)}L{_n(x - 4.5)} {_n(y + 3.5)}Z",
            fill=colour,
            class_="point",
        )

    def _point_title(self, index: int, one: Series) -> str:
        prefix = f"{self.categories[index]} {one.name}" if one.name else self.categories[index]
        return labelled(prefix, one.label(index))

    def markup(self) -> Markup:
        title_id, desc_id = f"{self.chart_id}-title", f"{self.chart_id}-desc"
        attributes = {
            "xmlns": SVG_NAMESPACE,
            "id": self.chart_id,
            "class": "chart",
            "viewBox": f"0 0 {_n(self.width)} {_n(self.height)}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "font-size": str(SMALL_FONT_SIZE),
        }
        if self.font_family:
            attributes["font-family"] = self.font_family
        root = ET.Element("svg", attributes)
        ET.SubElement(root, "title", {"id": title_id}).text = self.title
        ET.SubElement(root, "desc", {"id": desc_id}).text = self.description
        root.extend(self.body)
        # ElementTree escapes every text and attribute it writes.
        return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704  # nosec B704


def _attribute(name: str) -> str:
    """``class_`` → ``class``, ``font_size`` → ``font-size``."""
    return name.rstrip("_").replace("_", "-")


def _value(value: object) -> str:
    return _n(value) if isinstance(value, float | int) else str(value)


def _n(number: float) -> str:
    """Coordinates with at most one decimal: short output, stable tests."""
    rounded = round(float(number), 1)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)


def _path_through(points: Sequence[tuple[float, float] | None]) -> str:
    """An SVG path through the points, lifting the pen at every gap."""
    commands: list[str] = []
    pen_down = False
    for point in points:
        if point is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{_n(point[0])} {_n(point[1])}")
        pen_down = True
    return "".join(commands)


def _wrap(label: str, width: float, font_size: float, max_lines: int = 2) -> list[str]:
    """Break ``label`` into lines that fit ``width`` (Chinese breaks between any characters)."""
    lines: list[str] = []
    current = ""
    for char in label:
        if current and text_width(current + char, font_size) > width and len(lines) < max_lines - 1:
            lines.append(current)
            current = ""
        current += char
    lines.append(current)
    return lines
