from prezent.core.svgmap import MapCategory, MapPoint, convex_hull, county_map_svg, legend_html

CATEGORIES = [MapCategory("yes", "Atinsă", "#1b7f3b"), MapCategory("no", "Neatinsă", "#b3261e")]


def test_convex_hull_drops_inner_points():
    square = [(0.0, 0.0), (0.0, 2.0), (2.0, 2.0), (2.0, 0.0)]
    hull = convex_hull([*square, (1.0, 1.0), (0.5, 1.5)])
    assert sorted(hull) == sorted(square)


def test_points_are_placed_north_up_and_east_right():
    points = [
        MapPoint(latitude=47.5, longitude=27.0, label="Nord-vest", category="yes"),
        MapPoint(latitude=47.0, longitude=28.0, label="Sud-est", category="no", href="/scoli/1/"),
    ]
    svg = str(county_map_svg(points=points, categories=CATEGORIES, title="Școli"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and '<title id="map-title">Școli</title>' in svg
    first = svg.index("Nord-vest")
    second = svg.index("Sud-est")
    cx = [float(svg.split('cx="')[i].split('"')[0]) for i in (1, 2)]
    cy = [float(svg.split('cy="')[i].split('"')[0]) for i in (1, 2)]
    assert first < second
    assert cx[0] < cx[1] and cy[0] < cy[1]  # west is left, north is up
    assert 'fill="#1b7f3b"' in svg and 'fill="#b3261e"' in svg
    assert '<a href="/scoli/1/">' in svg


def test_labels_are_escaped_and_an_empty_map_says_so():
    svg = str(
        county_map_svg(
            points=[MapPoint(latitude=47.0, longitude=27.0, label="<script>", category="yes")],
            categories=CATEGORIES,
            title="T",
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<svg" not in str(county_map_svg(points=[], categories=CATEGORIES, title="Nimic de arătat"))


def test_legend_lists_counts():
    html = str(legend_html(CATEGORIES, {"yes": 3}))
    assert "Atinsă (3)" in html and "Neatinsă (0)" in html
