"""The server-rendered charts and the map of Africa: well-formed and accessible SVG, hostile text
escaped, classes and legends computed right, missing values shown as such, numbers in the reader's
format, and the map within its weight budget. No database needed."""

import gzip
import math
import re
import statistics
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from inventory.opendata import africa_map, charts, drawing

SVG = "{http://www.w3.org/2000/svg}"
INVENTORY = ["SN", "ML", "BF", "CI", "BJ", "TG", "NE", "GN", "MR", "CM", "TD", "CD", "RW", "BI"]
# Their neighbours, so the map reads as Africa around them.
NEIGHBOURS = ["GM", "GW", "SL", "LR", "GH", "NG", "DZ", "LY", "EH", "SD", "SS", "CF", "CG", "GA", "GQ",
              "AO", "ZM", "TZ", "UG", "KE", "ET", "EG", "MA", "TN", "ZA", "MG"]
HOSTILE = '<script>alert("x")</script> & \'quoted\''


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element, tag: str) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}{tag}")]


def assert_accessible(root: ET.Element, title: str, role: str = "img"):
    """role="img" (a group when it holds links), labelled by its own <title> and <desc>, and scaled to
    its container."""
    assert root.get("role") == role
    assert root.get("width") == "100%" and root.get("viewBox")
    ids = root.get("aria-labelledby").split()
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert [by_id[i].tag for i in ids] == [f"{SVG}title", f"{SVG}desc"]
    assert by_id[ids[0]].text == title
    assert by_id[ids[1]].text.strip()


def no_script(root: ET.Element):
    assert not any(el.tag.endswith("script") for el in root.iter())
    assert not any(name.startswith("on") for el in root.iter() for name in el.attrib)


# --- Numbers ---------------------------------------------------------------------------------

def test_numbers_follow_the_active_language():
    with translation.override("fr"):
        assert drawing.format_value(1234.5) == "1\xa0234,5"
        assert drawing.format_value(0.125, "percent") == "12,5\xa0%"
        assert drawing.format_value(1234567, "integer") == "1\xa0234\xa0567"
    assert drawing.format_value(1234.5) == "1,234.5"
    assert drawing.format_value(0.125, "percent") == "12.5\xa0%"
    assert drawing.format_value(2000.0) == "2,000"
    assert drawing.format_value(None) == drawing.format_value(float("nan")) == "—"


@pytest.mark.parametrize(("low", "high"), [(0, 23), (0, 0.37), (3.2, 97.1), (-12, 40), (1998, 2025), (0, 1)])
def test_ticks_are_round_and_cover_the_range(low, high):
    ticks = drawing.nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in {1, 2, 2.5, 5}
    assert 2 <= len(ticks) <= 8


# --- Map ------------------------------------------------------------------------------------------

def test_the_map_has_every_inventory_country_and_their_neighbours():
    paths = africa_map.africa()["paths"]
    for code in INVENTORY + NEIGHBOURS:
        assert re.fullmatch(r"M[-\d. lz]+(M[-\d. lz]+)*", paths[code]), code
    root = parse(africa_map.choropleth(dict.fromkeys(INVENTORY, 1.0), title="t"))
    names = texts(root, "title")
    for code in INVENTORY:
        assert f"{africa_map.country_name(code)}: 1" in names


def test_equal_intervals_on_known_values():
    values = {code: float(n) for n, code in enumerate(INVENTORY[:10], start=1)}  # 1 … 10
    classes, index = africa_map.classify(values)
    assert [(c.low, c.high) for c in classes] == [(None, 2), (2, 4), (4, 6), (6, 8), (8, None)]
    assert [c.label for c in classes] == ["under 2", "2 to under 4", "4 to under 6", "6 to under 8",
                                          "8 or more"]
    assert [c.colour for c in classes] == africa_map.SEQUENTIAL[5]
    assert index["SN"] == 0 and index[INVENTORY[9]] == 4
    assert sorted(c for k in classes for c in k.codes) == sorted(values)


@pytest.mark.parametrize(("values", "breaks"), [
    ([3, 17, 48], [10, 20, 30, 40]),  # from zero, round steps
    ([0.91, 0.92], [0.2, 0.4, 0.6, 0.8]),  # a narrow range near the top is not stretched
    ([-0.12, 0.3], [-0.1, 0, 0.1, 0.2]),  # a negative value starts the range below zero
    ([5, None, float("nan")], [1, 2, 3, 4]),
    ([7], [2, 4, 6]),
    ([], []), ([0, 0], []),
])
def test_equal_interval_breaks(values, breaks):
    assert africa_map.equal_interval_breaks(values) == pytest.approx(breaks)
    assert len(africa_map.equal_interval_breaks(values)) + 1 <= 5


def test_counts_are_cut_at_whole_numbers():
    """Two mutuals at most: not "under 0", "0 to under 1" (0.5 written as a count)."""
    assert africa_map.equal_interval_breaks([2, 0, 1], whole=True) == [1]
    assert africa_map.equal_interval_breaks([7, 3], whole=True) == [2, 4, 6]
    assert africa_map.equal_interval_breaks([10], whole=True) == [2, 4, 6, 8]
    classes, _index = africa_map.classify({"SN": 2, "ML": 1}, value_format="integer")
    assert [c.label for c in classes] == ["under 1", "1 or more"]
    assert africa_map.classes_method(None, "integer", [2, 1]) == "Equal intervals of 1."


def test_a_one_point_gap_is_not_full_contrast():
    """The issue's case: quantiles painted 91 % and 92 % as the palette's two ends."""
    classes, index = africa_map.classify({"SN": 0.91, "ML": 0.92})
    assert index["SN"] == index["ML"]
    classes, index = africa_map.classify({"SN": 0.91, "ML": 0.92, "BF": 0.4}, bins=[0.5, 0.75, 0.9],
                                         value_format="percent")
    assert index["SN"] == index["ML"] == 3 and index["BF"] == 0
    assert [c.label for c in classes] == ["under 50\xa0%", "50\xa0% to under 75\xa0%",
                                          "75\xa0% to under 90\xa0%", "90\xa0% or more"]


def test_equal_values_share_a_class_and_empty_classes_keep_their_colour():
    classes, index = africa_map.classify({"SN": 5, "ML": 5, "BF": 5, "CI": 7, "TG": None})
    assert [(c.low, c.high, c.codes) for c in classes] == [
        (None, 2, []), (2, 4, []), (4, 6, ["BF", "ML", "SN"]), (6, None, ["CI"])]
    assert [c.colour for c in classes] == africa_map.SEQUENTIAL[4]
    assert "TG" not in index
    assert africa_map.classify({"SN": None}) == ([], {})
    # Fixed breaks: a colour means the same range whatever the values (all low here).
    classes, index = africa_map.classify({"SN": 0.1, "ML": 0.2}, bins=[1, 2, 3])
    assert [c.colour for c in classes] == africa_map.SEQUENTIAL[4] and set(index.values()) == {0}
    with pytest.raises(ValueError):
        africa_map.classify({"SN": 1}, bins=[1, 2, 3, 4, 5])


def test_fixed_bins():
    classes, index = africa_map.classify({"SN": 0.05, "ML": 0.1, "BF": 0.3, "CI": 0.9}, bins=[0.1, 0.25, 0.5],
                                     value_format="percent")
    assert [c.codes for c in classes] == [["SN"], ["ML"], ["BF"], ["CI"]]
    assert [c.label for c in classes] == [
        "under 10\xa0%", "10\xa0% to under 25\xa0%", "25\xa0% to under 50\xa0%", "50\xa0% or more"]
    classes, _index = africa_map.classify({"SN": 0.05}, bins=[0.015, 0.025], value_format="percent")
    assert classes[1].label == "1.5\xa0% to under 2.5\xa0%"


def test_the_legend_says_how_the_classes_are_made():
    fixed = "Fixed classes chosen for this measure, the same every year."
    assert africa_map.classes_method([0.5, 0.75]) == fixed
    assert africa_map.classes_method(None, "integer", [3, 17, 48]) == "Equal intervals of 10."
    assert africa_map.classes_method(None, "percent", [0.1, 0.4]) == "Equal intervals of 10\xa0%."
    root = parse(africa_map.choropleth({"SN": 3, "ML": 48}, title="t", legend_format="integer"))
    legend = texts(root.find(f".//{SVG}g[@class='legend']"), "text")
    assert "Equal intervals of 10." in legend


def test_choropleth_fills_legend_and_titles():
    values = {"SN": 0.1, "ML": 0.2, "BF": 0.3, "CI": 0.4, "TG": None}
    root = parse(africa_map.choropleth(values, title="Penetration", legend_format="percent",
                                   legend_title="Penetration rate",
                                   links={"SN": "/en/inventory/countries/SN/"}))
    assert_accessible(root, "Penetration", role="group")  # it holds a link
    fills = {}
    for path in root.iter(f"{SVG}path"):
        title = path.find(f"{SVG}title").text
        fills[title.split(":")[0]] = (path.get("fill"), title)
    # Equal intervals of 10 % from 0 to 40 %: 10 % opens the second class, 40 % is in the fourth.
    assert fills["Senegal"] == (africa_map.SEQUENTIAL[4][1], "Senegal: 10.0\xa0%")
    assert fills["Côte d'Ivoire"][0] == africa_map.SEQUENTIAL[4][3]
    # Missing: hatched and said so; outside the inventory: plain grey.
    assert fills["Togo"][0].startswith("url(#") and fills["Togo"][1] == "Togo: No data"
    assert fills["Kenya"] == (africa_map.OUTSIDE_FILL, "Kenya: Outside the inventory")
    legend = texts(root.find(f".//{SVG}g[@class='legend']"), "text")
    assert legend == ["Penetration rate", "Equal intervals of 10\xa0%.", "under 10\xa0%",
                      "10\xa0% to under 20\xa0%", "20\xa0% to under 30\xa0%", "30\xa0% or more", "No data",
                      "Outside the inventory"]
    links = root.findall(f".//{SVG}a")
    assert [a.get("href") for a in links] == ["/en/inventory/countries/SN/"]
    assert "No data: Togo" in root.find(f"{SVG}desc").text


def test_a_map_without_links_stays_an_image():
    assert_accessible(parse(africa_map.choropleth({"SN": 1.0}, title="Members")), "Members")


def test_choropleth_without_missing_value_has_no_no_data_row():
    root = parse(africa_map.choropleth(dict.fromkeys(africa_map.africa()["paths"], 1.0), title="t"))
    legend = texts(root.find(f".//{SVG}g[@class='legend']"), "text")
    assert "No data" not in legend and "Outside the inventory" not in legend
    assert legend[-1] == "0.8 or more"


# --- The map zoomed on the network --------------------------------------------------------------

SMALL = ["SN", "TG", "BJ", "RW", "BI"]


def network_map(language="en", **kwargs):
    values = {code: float(n) for n, code in enumerate(INVENTORY)}
    with translation.override(language):
        svg = africa_map.choropleth(values, title="Members", legend_format="integer", focus=INVENTORY,
                                    links={c: f"#map-card-{c}" for c in INVENTORY}, **kwargs)
    return svg, parse(svg)


def view_box(root):
    x, y, width, height = (float(v) for v in root.get("viewBox").split())
    return x, y, x + width, y + height


def test_the_map_is_zoomed_on_the_network():
    svg, root = network_map()
    left, top, right, _bottom = view_box(root)
    paths = africa_map.africa()["paths"]
    for code in INVENTORY:  # every network country inside the view
        b = africa_map.bounds(paths[code])
        assert left <= b[0] and b[2] <= right and top <= b[1], code
    width = right - left
    assert width < 0.85 * 1000  # narrower than the continent: each country drawn larger
    drawn = {a.get("href")[-2:] for a in root.iter(f"{SVG}a")}
    assert drawn == set(INVENTORY)
    # Countries far from the network are left out of the file; the outlines stop above the legend.
    titles = " ".join(texts(root, "title"))
    for far in ("South Africa", "Madagascar", "Tunisia"):
        assert far not in titles
    assert root.find(f".//{SVG}clipPath") is not None
    assert len(svg.encode()) < 30_000


def test_each_network_country_is_named_or_keyed_and_a_target():
    _svg, root = network_map()
    links = {a.get("href"): a for a in root.iter(f"{SVG}a")}
    assert set(links) == {f"#map-card-{c}" for c in INVENTORY}  # one target per country
    labels = texts(root.find(f".//{SVG}g[@class='map-labels']"), "text")
    for name in ("Mali", "Niger", "Chad", "Cameroon", "DR Congo", "Mauritania", "Guinea"):
        assert name in labels
    boxes = {}
    for code in SMALL:
        a = links[f"#map-card-{code}"]
        assert a.get("data-code") == code
        rect = a.find(f"{SVG}rect")
        assert rect.get("class") == "map-callout"
        assert "".join(a.find(f"{SVG}text").itertext()) == code
        x, y, w, h = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
        boxes[code] = (x, y, x + w, y + h)
        # A finger's target on a 360 px phone (328 px of map): at least 24 CSS px each way.
        scale = 328 / (view_box(root)[2] - view_box(root)[0])
        assert w * scale >= 24 and h * scale >= 24
        # The country itself is in the same link: a tap on its shape opens the same card.
        assert a.find(f"{SVG}path") is not None
        assert a.find(f"{SVG}title").text.startswith(africa_map.country_name(code))
    # The boxes are inside the view, apart from each other and off every country of the network.
    left, top, right, bottom = view_box(root)
    paths = africa_map.africa()["paths"]
    for code, box in boxes.items():
        assert left <= box[0] and box[2] <= right and top <= box[1], code
        assert not any(africa_map._overlaps(box, other) for c, other in boxes.items() if c != code)
        assert not any(africa_map._overlaps(box, africa_map.bounds(paths[c])) for c in INVENTORY), code
    key = " ".join(texts(root.find(f".//{SVG}text[@class='legend-key']/.."), "text"))
    for code in SMALL:
        assert f"{code}\xa0{africa_map.country_name(code)}" in key


def test_the_network_map_in_french():
    _svg, root = network_map("fr")
    labels = texts(root.find(f".//{SVG}g[@class='map-labels']"), "text")
    assert "RD Congo" in labels and "Tchad" in labels and "Chad" not in labels
    key = " ".join(texts(root.find(f".//{SVG}text[@class='legend-key']/.."), "text"))
    assert "BJ\xa0Bénin" in key


def test_choropleth_names_in_french():
    with translation.override("fr"):
        root = parse(africa_map.choropleth({"CI": 1234.5, "TD": None}, title="t"))
    titles = texts(root, "title")
    assert "Côte d'Ivoire: 1\xa0234,5" in titles
    assert any(t.startswith("Tchad: ") for t in titles) and "Chad" not in " ".join(titles)


def test_map_weight_within_budget():
    values = {code: n * 1234.567 for n, code in enumerate(africa_map.africa()["paths"])}
    values["TD"] = None
    svg = africa_map.choropleth(values, title="Members", legend_format="integer",
                            links={c: f"/fr/inventaire/pays/{c}/" for c in INVENTORY})
    size = len(svg.encode())
    assert size < 40_000, size
    assert len(gzip.compress(svg.encode())) < 12_000


def test_hostile_text_is_escaped_everywhere():
    svgs = [
        africa_map.choropleth({"SN": 1.0}, title=HOSTILE, legend_title=HOSTILE, names={"SN": HOSTILE},
                          links={"SN": '"><script>x</script>'}),
        charts.line_chart({HOSTILE: [(2020, 1.0), (2021, 2.0)]}, title=HOSTILE, description=HOSTILE),
        charts.bar_chart({HOSTILE: 3}, title=HOSTILE),
        charts.distribution({HOSTILE: [1.0, 2.0]}, title=HOSTILE),
        africa_map.choropleth({"SN": 1.0}, title="t", legend_format=lambda v: HOSTILE),
    ]
    for svg in svgs:
        root = parse(svg)
        no_script(root)
        assert HOSTILE in root.find(f"{SVG}title").text or HOSTILE in "".join(root.itertext())
    assert 'href="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in svgs[0]


# --- Trends ---------------------------------------------------------------------------------------

def test_line_chart_breaks_at_missing_values_and_missing_years():
    series = {
        "Members": [(2015, 10.0), (2016, 12.0), (2017, None), (2018, 15.0), (2019, 16.0)],
        "Beneficiaries": [(2015, 30.0), (2016, 31.0), (2018, 40.0)],  # 2017 absent: a gap too
        "Alone": [(2017, 20.0)],
    }
    root = parse(charts.line_chart(series, title="Trend", y_format="integer"))
    assert_accessible(root, "Trend")
    lines = list(root.iter(f"{SVG}path"))
    by_colour = {}
    for p in lines:
        by_colour.setdefault(p.get("stroke"), []).append(p.get("d"))
    assert len(by_colour[charts.LINE_COLOURS[0]]) == 2            # 2015-16 and 2018-19
    assert len(by_colour[charts.LINE_COLOURS[1]]) == 1            # 2015-16 only; 2018 a lone point
    assert charts.LINE_COLOURS[2] not in by_colour
    markers = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    assert len(markers) == 8
    assert "Alone, 2017: 20" in markers and "Members, 2018: 15" in markers
    # Distinct dashes as well as colours.
    dashes = [p.get("stroke-dasharray") for p in lines]
    assert dashes[0] is None and set(dashes[2:]) == {charts.LINE_DASHES[1]}


def test_line_chart_axis_has_round_ticks_in_the_readers_format():
    series = {"Members": [(2016, 1200.0), (2020, 23456.0)]}
    with translation.override("fr"):
        root = parse(charts.line_chart(series, title="t", y_format="integer"))
    labels = texts(root, "text")
    assert {"0", "5\xa0000", "10\xa0000", "25\xa0000"} <= set(labels)
    assert "2016" in labels and "2020" in labels
    root = parse(charts.line_chart({"Rate": [(2020, 0.12), (2021, 0.37)]}, title="t", y_format="percent"))
    assert {"0\xa0%", "10\xa0%", "40\xa0%"} <= set(texts(root, "text"))


def test_tick_labels_keep_the_decimals_of_their_step():
    root = parse(charts.distribution([0.3, 1.2], title="t"))
    labels = texts(root, "text")
    assert {"0.25", "0.50", "0.75", "1.00", "1.25"} <= set(labels)
    root = parse(charts.line_chart({"Rate": [(2020, 0.01), (2021, 0.11)]}, title="t", y_format="percent"))
    assert {"0.0\xa0%", "2.5\xa0%", "10.0\xa0%"} <= set(texts(root, "text"))


def test_line_chart_without_values_says_so_and_refuses_too_many_series():
    root = parse(charts.line_chart({"Members": [(2020, None)]}, title="t"))
    assert "No data" in texts(root, "text")
    with pytest.raises(ValueError):
        charts.line_chart({str(n): [(2020, 1.0)] for n in range(6)}, title="t")


# --- Bars and distributions ---------------------------------------------------------------------

def test_bar_chart_lengths_are_proportional_and_missing_says_no_data():
    root = parse(charts.bar_chart([("Community", 40), ("Enterprise", 10), ("Students", 0), ("Other", None)],
                                  title="By type"))
    assert_accessible(root, "By type")
    bars = {r.find(f"{SVG}title").text.split(":")[0]: float(r.get("width")) for r in root.iter(f"{SVG}rect")}
    assert bars["Community"] == pytest.approx(4 * bars["Enterprise"], rel=0.01)
    assert bars["Students"] == 0
    labels = texts(root, "text")
    assert labels[labels.index("Other") + 1] == "no data"
    assert {"40", "10", "0"} <= set(labels)


def test_long_labels_wrap_within_the_chart():
    label = "Taux de couverture des charges par les ressources propres (mois de prestations)"
    for svg in (charts.bar_chart({label: 3}, title="t"), charts.distribution({label: [1.0, 2.0]}, title="t"),
                charts.line_chart({label: [(2020, 1.0)]}, title="t")):
        root = parse(svg)
        width = float(root.get("viewBox").split()[2])
        lines = [t for t in root.iter(f"{SVG}text") if t.text and t.text.split()[0] in label]
        assert len(lines) >= 2
        assert " ".join(t.text for t in lines).startswith(label)
        for t in lines:
            assert float(t.get("x")) + len(t.text) * 17 * 0.6 <= width


def test_distribution_summary_matches_an_independent_computation():
    values = [0.31, 0.05, None, 0.9, 0.44, 0.12, float("nan"), 0.5, 0.67]
    present = sorted(v for v in values if v is not None and not math.isnan(v))
    got = charts.summarize(values)
    q1, median, q3 = statistics.quantiles(present, n=4, method="inclusive")
    assert (got.n, got.missing) == (7, 2)
    assert (got.minimum, got.maximum) == (0.05, 0.9)
    assert (got.q1, got.median, got.q3) == pytest.approx((q1, median, q3))
    assert got.median == statistics.median(present)
    assert charts.summarize([0.1, 0.4]).median == pytest.approx(0.25)  # midpoint, as the synthesis
    empty = charts.summarize([None])
    assert (empty.n, empty.median) == (0, None)


def test_distribution_chart_shows_n_median_and_no_data():
    data = {"2023": [0.1, 0.2, 0.3, None], "2024": []}
    root = parse(charts.distribution(data, title="Collection rate", value_format="percent"))
    assert_accessible(root, "Collection rate")
    labels = texts(root, "text")
    assert labels[:2] == ["2023", "n = 3 · median 20.0\xa0%"]
    assert labels[labels.index("2024") + 1] == "no data"
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    desc = root.find(f"{SVG}desc").text
    assert ("2023: n = 3 · median 20.0\xa0% (from 10.0\xa0% to 30.0\xa0%, "
            "quartiles 15.0\xa0% and 25.0\xa0%)") in desc
    assert "1 not computable" in desc


def test_each_measure_has_meaningful_classes():
    from inventory.opendata import figures

    for measure, bins in figures.MAP_BREAKS.items():
        assert measure in figures.MAP_MEASURES, measure
        assert bins == sorted(bins) and len(set(bins)) == len(bins) and 1 <= len(bins) <= 4, measure
    rows = [{"country": "SN", "year": 2024, "response_rate": 0.91, "mutuals_known": 12},
            {"country": "ML", "year": 2024, "response_rate": 0.92, "mutuals_known": 3}]
    figure = figures.map_figure(rows, year=2024, measure="response_rate",
                                countries={"SN": "Senegal", "ML": "Mali"},
                                link=lambda code: f"/en/inventory/countries/{code}/", focus=["SN", "ML"])
    assert figure.note.endswith("Fixed classes chosen for this measure, the same every year.")
    root = parse(figure.charts[0])
    fills = {a.get("href"): a.find(f".//{SVG}path").get("fill") for a in root.iter(f"{SVG}a")}
    assert fills["#map-card-SN"] == fills["#map-card-ML"] == africa_map.SEQUENTIAL[4][3]  # both 90 % or more
    senegal = figure.cards[[c.code for c in figure.cards].index("SN")]
    assert senegal.anchor == "map-card-SN" and senegal.link == "/en/inventory/countries/SN/"
    assert senegal.items[0][:2] == ("Response rate", "91.0\xa0%") and senegal.items[1][1] == "12"
    # Counts: equal intervals, said so.
    counts = figures.map_figure(rows, year=2024, measure="mutuals_known", countries={"SN": "Senegal"},
                                link=str, focus=["SN"])
    assert counts.note.endswith("Equal intervals of 5.")
