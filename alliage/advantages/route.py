"""The visiting order of a collection round, pure Python (no Django).

Points are (lat, lon); the round starts and ends at the depot (index 0). Distances are
great-circle (haversine) in metres. OR-Tools' routing solver (guided local search, time
limited) finds the order; the result is never longer than the order the members were
entered in: when the solver's tour is not shorter, the entry order is kept.
"""

import math
from dataclasses import dataclass

EARTH_M = 6_371_000


def haversine_m(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_M * math.asin(math.sqrt(h))


def matrix(points):
    return [[round(haversine_m(a, b)) for b in points] for a in points]


def tour_length(dist, order):
    """Metres of depot → ``order`` (indices of stops, 1-based in ``dist``) → depot."""
    path = [0, *order, 0]
    return sum(dist[a][b] for a, b in zip(path, path[1:], strict=False))


@dataclass(frozen=True)
class Plan:
    order: list          # positions in the input list of stops (0-based), visiting order
    metres: int
    entry_metres: int
    solver: str


def _ortools_order(dist, seconds):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(dist)
    manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    callback = routing.RegisterTransitCallback(
        lambda i, j: dist[manager.IndexToNode(i)][manager.IndexToNode(j)])
    routing.SetArcCostEvaluatorOfAllVehicles(callback)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH)
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return None
    order, index = [], routing.Start(0)
    while not routing.IsEnd(index):
        node = manager.IndexToNode(index)
        if node:
            order.append(node)
        index = solution.Value(routing.NextVar(index))
    return order


def optimise(depot, stops, *, seconds=1.0):
    """The visiting order of ``stops`` ((lat, lon) each, in entry order) from ``depot``."""
    entry = list(range(1, len(stops) + 1))
    if not stops:
        return Plan([], 0, 0, "none")
    dist = matrix([depot, *stops])
    entry_m = tour_length(dist, entry)
    best, solver = entry, "entry-order"
    if len(stops) > 2:
        found = _ortools_order(dist, seconds)
        if found is not None and tour_length(dist, found) < entry_m:
            best, solver = found, "ortools"
    return Plan([i - 1 for i in best], tour_length(dist, best), entry_m, solver)
