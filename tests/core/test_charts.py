"""Server-side SVG charts: well-formed, labelled, one mark per value, drawn to scale."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from casework.core.charts import Series, bar_chart, line_chart, nice_scale

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314  (our own output, not untrusted input)


def _texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iterfind(".//svg:text", NS)]


def _bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iterfind(".//svg:rect", NS) if rect.get("class") == "bar"]


def _domain_chart(**kwargs) -> ET.Element:  # type: ignore[no-untyped-def]
    return _parse(
        bar_chart(
            ["社会救助", "社区卫生", "矛盾纠纷调解"],
            [Series("新开个案", [12, 3, 7])],
            chart_id="domains",
            title="新开个案按服务领域",
            description="各服务领域新开个案数。",
            **kwargs,
        )
    )


def test_bar_chart_is_well_formed_svg_with_a_title_and_description() -> None:
    root = _domain_chart()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "domains-title domains-desc"
    assert root.find("svg:title", NS).text == "新开个案按服务领域"  # type: ignore[union-attr]
    # The description reads the data out for screen readers.
    description = root.find("svg:desc", NS).text or ""  # type: ignore[union-attr]
    assert "社会救助：12" in description


def test_bar_chart_has_the_labels_and_one_bar_per_value() -> None:
    root = _domain_chart()
    texts = _texts(root)
    assert {"社会救助", "社区卫生", "12", "3", "7"} <= set(texts)
    assert len(_bars(root)) == 3


def test_vertical_bars_scale_the_tallest_to_the_maximum_height() -> None:
    root = _domain_chart()
    heights = [float(bar.get("height", "0")) for bar in _bars(root)]
    assert heights.index(max(heights)) == 0  # 12 is the largest value
    assert heights[1] / heights[0] == pytest.approx(3 / 12, rel=0.01)
    assert heights[2] / heights[0] == pytest.approx(7 / 12, rel=0.01)


def test_horizontal_bars_scale_the_longest_to_the_maximum_width() -> None:
    root = _domain_chart(horizontal=True)
    widths = [float(bar.get("width", "0")) for bar in _bars(root)]
    assert widths.index(max(widths)) == 0
    assert widths[1] / widths[0] == pytest.approx(3 / 12, rel=0.01)
    assert "矛盾纠纷调解" in _texts(root)


def test_grouped_bars_draw_every_series_and_a_legend() -> None:
    root = _parse(
        bar_chart(
            ["受理", "答复"],
            [Series("中位数", [3.5, 40.0]), Series("第 90 百分位", [20.0, 120.5])],
            chart_id="times",
            title="求助响应时间（小时）",
            description="小时数。",
        )
    )
    assert len(_bars(root)) == 4
    assert {"中位数", "第 90 百分位", "3.5", "120.5"} <= set(_texts(root))


def test_a_hidden_value_draws_no_bar_but_shows_its_label() -> None:
    root = _parse(
        bar_chart(
            ["社会救助", "社区卫生"],
            [Series("新开个案", [12, None], ["12", "<5"])],
            chart_id="hidden",
            title="按服务领域",
            description="",
        )
    )
    assert len(_bars(root)) == 1
    assert "<5" in _texts(root)


def test_a_chart_without_data_is_still_drawn() -> None:
    root = _parse(
        bar_chart(["社会救助"], [Series("新开个案", [0])], chart_id="z", title="空", description="")
    )
    assert [float(bar.get("height", "1")) for bar in _bars(root)] == [0.0]


def test_labels_are_escaped() -> None:
    root = _parse(
        bar_chart(['<script>"&'], [Series("a", [1])], chart_id="x", title="<b>", description="&")
    )
    assert '<script>"&' in _texts(root)
    assert root.find("svg:title", NS).text == "<b>"  # type: ignore[union-attr]


def test_mismatched_series_are_refused() -> None:
    with pytest.raises(ValueError, match="value count"):
        bar_chart(["a", "b"], [Series("x", [1])], chart_id="x", title="", description="")


def _trend(values_opened, values_closed, labels=None):  # type: ignore[no-untyped-def]
    months = [f"{month}月" for month in (12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)]
    return _parse(
        line_chart(
            months,
            [
                Series("新开个案", values_opened, labels),
                Series("结案个案", values_closed),
            ],
            chart_id="trend",
            title="近 12 个月新开与结案个案",
            description="每月个案数。",
        )
    )


OPENED = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 24]
CLOSED = [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]


def _points(root: ET.Element) -> list[ET.Element]:
    return [element for element in root.iter() if element.get("class") == "point"]


def test_line_chart_is_well_formed_with_one_point_per_value() -> None:
    root = _trend(OPENED, CLOSED)
    assert root.find("svg:title", NS).text == "近 12 个月新开与结案个案"  # type: ignore[union-attr]
    assert len(_points(root)) == 24
    assert len([path for path in root.iter() if path.get("class") == "line"]) == 2
    assert {"12月", "11月", "新开个案", "结案个案"} <= set(_texts(root))


def test_line_chart_puts_the_largest_value_highest() -> None:
    root = _trend(OPENED, CLOSED)
    circles = root.findall(".//svg:circle", NS)  # the first series' markers
    heights = [float(circle.get("cy", "0")) for circle in circles]
    assert heights.index(min(heights)) == 11  # 24, in November, is the top of the chart
    bottom = float(root.findall(".//svg:line", NS)[-1].get("y1", "0"))  # the x axis
    # Distances above the axis are proportional to the values.
    rise = [bottom - cy for cy in heights]
    assert rise[5] / rise[11] == pytest.approx(6 / 24, rel=0.01)


def test_line_chart_breaks_the_line_at_a_hidden_value() -> None:
    opened = [*OPENED[:5], None, *OPENED[6:]]
    labels = [str(value) if value is not None else "<5" for value in opened]
    root = _trend(opened, CLOSED, labels)
    assert len(_points(root)) == 23
    first_line = next(path for path in root.iter() if path.get("class") == "line")
    assert first_line.get("d", "").count("M") == 2  # the pen lifts once
    assert "<5" in _texts(root)


@pytest.mark.parametrize(
    ("maximum", "top", "step"), [(0, 5, 1), (3, 3, 1), (12, 15, 5), (24, 25, 5), (120.5, 150, 50)]
)
def test_axis_ends_on_a_round_number(maximum: float, top: float, step: float) -> None:
    assert nice_scale(maximum) == (top, step)


@pytest.mark.parametrize(("maximum", "top"), [(0, 1), (1, 1), (2, 2), (4, 4)])
def test_count_axis_never_has_fractional_ticks(maximum: float, top: float) -> None:
    assert nice_scale(maximum, whole_numbers=True) == (top, 1)


def test_count_chart_labels_its_axis_with_whole_numbers_only() -> None:
    root = _parse(
        bar_chart(
            ["社会救助", "社区卫生"],
            [Series("新开个案", [1, 0])],
            chart_id="domains",
            title="新开个案按服务领域",
            description="各服务领域新开个案数。",
            whole_numbers=True,
        )
    )
    ticks = [text for text in _texts(root) if text.replace(".", "").isdigit()]
    assert ticks
    assert all("." not in tick for tick in ticks)
