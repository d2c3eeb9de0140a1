"""Build `africa.json`, the outlines of Africa's countries for the inventory's server-rendered map.

Run by hand, never at runtime (the portal only reads the JSON this writes):

    npm pack world-atlas@2 --pack-destination /tmp        # or: curl -LO https://registry.npmjs.org/world-atlas/-/world-atlas-2.0.2.tgz
    python inventory/opendata/maps/build_africa.py /tmp/world-atlas-2.0.2.tgz

Source: Natural Earth's Admin 0 country boundaries, 1:50m, version 4.1.0 (public domain,
https://www.naturalearthdata.com/about/terms-of-use/), as the TopoJSON `countries-50m.json` of the npm
package `world-atlas` 2.x by Mike Bostock (ISC licence). The tarball is not committed; this script and
its output are.

What it does, in order, with the standard library only:
1. decodes the TopoJSON (quantized, delta-encoded arcs; the transform turns them into degrees);
2. keeps Africa's countries (numeric ISO 3166-1 codes mapped to alpha-2 by the table below; Natural
   Earth's separate "Somaliland" is merged into Somalia, whose ISO code covers it);
3. projects them with a Lambert azimuthal equal-area projection centred on Africa, so the areas the
   map shades compare honestly;
4. simplifies each shared arc once (Douglas-Peucker), so neighbours keep exactly the same border, and
   rounds to whole units of the view box; drops islands too small to see at phone size;
5. writes `{"viewBox", "source", "names": {code: {"en", "fr"}}, "paths": {code: SVG path d}}`, with
   relative path commands to keep the file small (all of Africa: about 30 KB, 10 KB gzipped).
"""

import io
import json
import math
import sys
import tarfile
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent / "africa.json"

# ISO 3166-1 numeric -> (alpha-2, English name, French name), every African state plus Western Sahara.
AFRICA = {
    "012": ("DZ", "Algeria", "Algérie"),
    "024": ("AO", "Angola", "Angola"),
    "204": ("BJ", "Benin", "Bénin"),
    "072": ("BW", "Botswana", "Botswana"),
    "854": ("BF", "Burkina Faso", "Burkina Faso"),
    "108": ("BI", "Burundi", "Burundi"),
    "132": ("CV", "Cabo Verde", "Cap-Vert"),
    "120": ("CM", "Cameroon", "Cameroun"),
    "140": ("CF", "Central African Republic", "République centrafricaine"),
    "148": ("TD", "Chad", "Tchad"),
    "174": ("KM", "Comoros", "Comores"),
    "178": ("CG", "Congo", "Congo"),
    "180": ("CD", "Democratic Republic of the Congo", "République démocratique du Congo"),
    "384": ("CI", "Côte d'Ivoire", "Côte d'Ivoire"),
    "262": ("DJ", "Djibouti", "Djibouti"),
    "818": ("EG", "Egypt", "Égypte"),
    "226": ("GQ", "Equatorial Guinea", "Guinée équatoriale"),
    "232": ("ER", "Eritrea", "Érythrée"),
    "748": ("SZ", "Eswatini", "Eswatini"),
    "231": ("ET", "Ethiopia", "Éthiopie"),
    "266": ("GA", "Gabon", "Gabon"),
    "270": ("GM", "Gambia", "Gambie"),
    "288": ("GH", "Ghana", "Ghana"),
    "324": ("GN", "Guinea", "Guinée"),
    "624": ("GW", "Guinea-Bissau", "Guinée-Bissau"),
    "404": ("KE", "Kenya", "Kenya"),
    "426": ("LS", "Lesotho", "Lesotho"),
    "430": ("LR", "Liberia", "Liberia"),
    "434": ("LY", "Libya", "Libye"),
    "450": ("MG", "Madagascar", "Madagascar"),
    "454": ("MW", "Malawi", "Malawi"),
    "466": ("ML", "Mali", "Mali"),
    "478": ("MR", "Mauritania", "Mauritanie"),
    "480": ("MU", "Mauritius", "Maurice"),
    "504": ("MA", "Morocco", "Maroc"),
    "508": ("MZ", "Mozambique", "Mozambique"),
    "516": ("NA", "Namibia", "Namibie"),
    "562": ("NE", "Niger", "Niger"),
    "566": ("NG", "Nigeria", "Nigeria"),
    "646": ("RW", "Rwanda", "Rwanda"),
    "678": ("ST", "São Tomé and Príncipe", "Sao Tomé-et-Principe"),
    "686": ("SN", "Senegal", "Sénégal"),
    "690": ("SC", "Seychelles", "Seychelles"),
    "694": ("SL", "Sierra Leone", "Sierra Leone"),
    "706": ("SO", "Somalia", "Somalie"),
    "710": ("ZA", "South Africa", "Afrique du Sud"),
    "728": ("SS", "South Sudan", "Soudan du Sud"),
    "729": ("SD", "Sudan", "Soudan"),
    "834": ("TZ", "Tanzania", "Tanzanie"),
    "768": ("TG", "Togo", "Togo"),
    "788": ("TN", "Tunisia", "Tunisie"),
    "800": ("UG", "Uganda", "Ouganda"),
    "732": ("EH", "Western Sahara", "Sahara occidental"),
    "894": ("ZM", "Zambia", "Zambie"),
    "716": ("ZW", "Zimbabwe", "Zimbabwe"),
}
# Natural Earth draws these without a numeric code; they are merged into the country named.
MERGE_BY_NAME = {"Somaliland": "SO"}

CENTRE = (17.0, 2.0)  # longitude, latitude of the projection's centre (the middle of the continent)
WIDTH = 1000  # view box width in units; the height follows the continent's shape
TOLERANCE = 0.8  # Douglas-Peucker tolerance, in view box units (~9 km)
MIN_ISLAND_AREA = 6.0  # square units: smaller extra rings (islets) are left out
MARGIN = 4


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute longitude/latitude of every arc: undo the delta encoding, then apply the transform."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def project(lon: float, lat: float) -> tuple[float, float]:
    """Lambert azimuthal equal-area, unit sphere, centred on CENTRE; y grows northwards."""
    lam0, phi0 = math.radians(CENTRE[0]), math.radians(CENTRE[1])
    lam, phi = math.radians(lon), math.radians(lat)
    cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam - lam0)
    k = math.sqrt(2 / (1 + cos_c))
    return (k * math.cos(phi) * math.sin(lam - lam0),
            k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam - lam0)))


def douglas_peucker(points: list, tolerance: float) -> list:
    """The points that keep the line within `tolerance` of the original; both ends always kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm else math.hypot(px - x1, py - y1)
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_points(ring: list[int], arcs: list[list]) -> list:
    """A ring as points from its arc indexes (a negative index ~i is arc i reversed)."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])  # consecutive arcs share their end point
    return points


def merge_polygons(polygons: list[list[list[int]]]) -> list[list[list[int]]]:
    """Dissolve the borders between polygons: arcs used in both directions are dropped and the rest
    are chained back into rings (holes are not expected in Africa's merged countries)."""
    used = [index for polygon in polygons for ring in polygon for index in ring]
    inner = {i for i in used if ~i in used}
    remaining = [i for i in used if i not in inner]
    rings = []
    while remaining:
        ring = [remaining.pop(0)]
        while True:
            end = arc_end(ring[-1])
            following = next((i for i in remaining if arc_start(i) == end), None)
            if following is None:
                break
            remaining.remove(following)
            ring.append(following)
        rings.append([ring])
    return rings


ARCS: list = []  # the decoded arcs, set by main() for arc_start/arc_end


def arc_start(i: int):
    return ARCS[i][0] if i >= 0 else ARCS[~i][-1]


def arc_end(i: int):
    return ARCS[i][-1] if i >= 0 else ARCS[~i][0]


def area(points: list) -> float:
    pairs = zip(points, points[1:] + points[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def number(value: float) -> str:
    return f"{round(value, 1):g}"


def path_data(rings: list[list[tuple[float, float]]]) -> str:
    """SVG path data: an absolute move to each ring's start, then relative lines, closed."""
    parts = []
    for ring in rings:
        x0, y0 = ring[0]
        out = [f"M{number(x0)} {number(y0)}"]
        previous = ring[0]
        steps = []
        for x, y in ring[1:]:
            steps.append(f"{number(x - previous[0])} {number(y - previous[1])}")
            previous = (x, y)
        out.append("l" + " ".join(steps).replace(" -", "-"))
        parts.append("".join(out) + "z")
    return "".join(parts)


def load_topology(source: Path) -> dict:
    if source.suffix in (".tgz", ".gz"):
        with tarfile.open(source) as archive:
            member = archive.extractfile("package/countries-50m.json")
            return json.load(io.TextIOWrapper(member, encoding="utf-8"))
    return json.loads(source.read_text(encoding="utf-8"))


def build(topology: dict) -> dict:
    global ARCS
    ARCS = decode_arcs(topology)
    countries: dict[str, list] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = AFRICA.get(geometry.get("id"), (None,))[0] or MERGE_BY_NAME.get(geometry["properties"]["name"])
        if code is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        countries.setdefault(code, []).extend(polygons)
    countries = {code: merge_polygons(p) if code in MERGE_BY_NAME.values() else p
                 for code, p in countries.items()}

    # Project every arc used, then fit the whole continent into the view box.
    used = {i if i >= 0 else ~i
            for polygons in countries.values() for polygon in polygons for ring in polygon for i in ring}
    projected = {i: [project(lon, lat) for lon, lat in ARCS[i]] for i in used}
    xs = [x for arc in projected.values() for x, _ in arc]
    ys = [y for arc in projected.values() for _, y in arc]
    scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    height = round((max(ys) - min(ys)) * scale) + 2 * MARGIN

    def to_box(point):
        return ((point[0] - min(xs)) * scale + MARGIN, (max(ys) - point[1]) * scale + MARGIN)

    def arcs_at(tolerance, digits):
        result = {}
        for i, arc in projected.items():
            points = douglas_peucker([to_box(p) for p in arc], tolerance)
            points = [(round(x, digits), round(y, digits)) for x, y in points]
            result[i] = [p for n, p in enumerate(points) if n == 0 or p != points[n - 1]]
        return result

    def country_rings(polygons, arcs):
        rings = []
        for polygon in polygons:
            for ring in polygon:
                points = []
                for index in ring:
                    arc = arcs[index] if index >= 0 else arcs[~index][::-1]
                    points.extend(arc if not points else arc[1:])
                if points and points[0] == points[-1]:
                    points = points[:-1]
                if len(set(points)) >= 3:
                    rings.append(points)
        return rings

    simplified = arcs_at(TOLERANCE, None)
    fine = None  # for the island states that simplification would erase: a tenth of a unit, no simplifying
    paths = {}
    for code, polygons in sorted(countries.items()):
        rings = country_rings(polygons, simplified)
        if not rings:
            fine = fine or arcs_at(0, 1)
            rings = country_rings(polygons, fine)
        largest = max(rings, key=area)
        kept = [r for r in rings if r is largest or area(r) >= MIN_ISLAND_AREA]
        paths[code] = path_data(kept)

    return {
        "source": "Natural Earth 1:50m Admin 0 countries v4.1.0 (public domain), via the npm package "
                  "world-atlas 2; built by inventory/opendata/maps/build_africa.py",
        "viewBox": f"0 0 {WIDTH} {height}",
        "names": {alpha2: {"en": en, "fr": fr} for alpha2, en, fr in sorted(AFRICA.values())},
        "paths": paths,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    result = build(load_topology(Path(argv[1])))
    OUTPUT.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                      encoding="utf-8")
    size = sum(len(d) for d in result["paths"].values())
    sys.stderr.write(f"{OUTPUT}: {len(result['paths'])} countries, {size} bytes of path data\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
