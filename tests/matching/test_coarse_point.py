"""The coarse place of a hidden party (issue #11, M1): a ~25 km grid cell's centre."""

import random

from alliage.matching.engine import Stream, coarse_point, haversine_km, prepare


def _km(a, b):
    return haversine_km(*(prepare(Stream(id="x", lat=p[0], lon=p[1])) for p in (a, b)))


def test_every_place_is_within_a_cell_of_its_centre_and_cells_are_about_25_km():
    rng = random.Random(11)
    for _ in range(2000):
        place = (rng.uniform(45.0, 53.0), rng.uniform(-80.0, -60.0))
        centre = coarse_point(*place)
        assert _km(place, centre) <= 12.5 * 2 ** 0.5 + 0.1
        assert coarse_point(*centre) == centre            # a centre is its own cell
    # Rows are 25 km apart; in a row, neighbouring centres are 25 km apart.
    centre = coarse_point(48.42, -71.07)
    north = coarse_point(centre[0] + 0.23, centre[1])
    east = coarse_point(centre[0], centre[1] + 0.35)
    assert 24.5 < _km(centre, (north[0], centre[1])) < 25.5 and 24.5 < _km(centre, east) < 25.5


def test_edges_of_the_map_are_cells_too():
    for place in [(90.0, 180.0), (-90.0, -180.0), (0.0, 179.999), (89.99, 10.0)]:
        lat, lon = coarse_point(*place)
        assert -90 <= lat <= 90 and -180 <= lon <= 180
