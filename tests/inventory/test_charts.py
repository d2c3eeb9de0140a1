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
    """role="img" (or "group" when its parts are links), labelled by its own <title> and <desc>, and
    scaled to its container."""
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


def test_quantile_classes_on_known_values():
    values = {code: float(n) for n, code in enumerate(INVENTORY[:10], start=1)}  # 1 … 10
    classes, index = africa_map.classify(values)
    assert [(c.low, c.high) for c in classes] == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
    assert [c.label for c in classes] == ["1 – 2", "3 – 4", "5 – 6", "7 – 8", "9 – 10"]
    assert [c.colour for c in classes] == africa_map.SEQUENTIAL[5]
    assert index["SN"] == 0 and index[INVENTORY[9]] == 4
    assert sorted(c for k in classes for c in k.codes) == sorted(values)


def test_equal_values_share_a_class_and_few_values_use_fewer_colours():
    classes, index = africa_map.classify({"SN": 5, "ML": 5, "BF": 5, "CI": 7, "TG": None})
    assert [(c.low, c.high, c.codes) for c in classes] == [(5, 5, ["BF", "ML", "SN"]), (7, 7, ["CI"])]
    assert [c.colour for c in classes] == africa_map.SEQUENTIAL[2]
    assert "TG" not in index
    assert africa_map.classify({"SN": None}) == ([], {})


def test_fixed_bins():
    classes, index = africa_map.classify({"SN": 0.05, "ML": 0.1, "BF": 0.3, "CI": 0.9}, bins=[0.1, 0.25, 0.5],
                                     value_format="percent")
    assert [c.codes for c in classes] == [["SN"], ["ML"], ["BF"], ["CI"]]
    assert [c.label for c in classes] == [
        "under 10.0\xa0%", "10.0\xa0% to under 25.0\xa0%", "25.0\xa0% to under 50.0\xa0%",
        "50.0\xa0% or more"]


def test_choropleth_fills_legend_and_titles():
    values = {"SN": 0.1, "ML": 0.2, "BF": 0.3, "CI": 0.4, "TG": None}
    root = parse(africa_map.choropleth(values, title="Penetration", legend_format="percent",
                                   legend_title="Penetration rate",
                                   links={"SN": "/en/inventory/countries/SN/"}))
    # Its countries are links: a group of them, not an image with links inside (axe: nested-interactive).
    assert_accessible(root, "Penetration", role="group")
    fills = {}
    for path in root.iter(f"{SVG}path"):
        title = path.find(f"{SVG}title").text
        fills[title.split(":")[0]] = (path.get("fill"), title)
    assert fills["Senegal"] == (africa_map.SEQUENTIAL[4][0], "Senegal: 10.0\xa0%")
    assert fills["Côte d'Ivoire"][0] == africa_map.SEQUENTIAL[4][3]
    # Missing: hatched and said so; outside the inventory: plain grey.
    assert fills["Togo"][0].startswith("url(#") and fills["Togo"][1] == "Togo: No data"
    assert fills["Kenya"] == (africa_map.OUTSIDE_FILL, "Kenya: Outside the inventory")
    legend = texts(root.find(f".//{SVG}g[@class='legend']"), "text")
    assert legend == ["Penetration rate", "10.0\xa0%", "20.0\xa0%", "30.0\xa0%", "40.0\xa0%", "No data",
                      "Outside the inventory"]
    links = root.findall(f".//{SVG}a")
    assert [a.get("href") for a in links] == ["/en/inventory/countries/SN/"]
    assert "No data: Togo" in root.find(f"{SVG}desc").text


def test_a_map_without_links_stays_an_image():
    assert_accessible(parse(africa_map.choropleth({"SN": 1.0}, title="Members")), "Members")


def test_choropleth_without_missing_value_has_no_no_data_row():
    root = parse(africa_map.choropleth(dict.fromkeys(africa_map.africa()["paths"], 1.0), title="t"))
    legend = texts(root.find(f".//{SVG}g[@class='legend']"), "text")
    assert legend == ["1"]


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
