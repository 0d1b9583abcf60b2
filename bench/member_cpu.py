"""CPU and queries of a logged-in member's request, database set-up against cached set-up.

In one process, on the same PostgreSQL and Redis, with Django's test client (no HTTP server:
the figures are the application's own work, which other load on the machine barely moves),
the same member's requests are measured twice, alternating five times:
- "db_sessions": sessions in the database, Django's AuthenticationMiddleware path (user and roles
  loaded per request), Django's RedisCache (a new Redis client per call), as before issue #12;
- "cached": the settings with REDIS_URL now — cached_db sessions, the person cache and one
  Redis client per process (docs/decisions/0014).
Pages: the bare view (the floor of any page), a directory search, a company page; the
anonymous bare view is given for scale. Goal (a diagnostic for bench/directory.py's member
goal): the cached set-up costs less CPU than db_sessions on every page and reads no
session, user or role from the database. Last line: JSON.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_ORGS", "2000")
os.environ.setdefault("BENCH_CLIENTS", "4")
from bench import directory  # noqa: E402

ROUNDS, REQUESTS = 5, 40
PAGES = {"bare": "/bench/bare", "search": "/repertoire/?q=usinage",
         "company": "/repertoire/org-00001/"}
PERSON_TABLES = ("django_session", "accounts_user", "members_affiliation")


def measure(cookie, path):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    for _ in range(3):
        client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    started = time.process_time()
    for _ in range(REQUESTS):
        client.get(path)
    return ((time.process_time() - started) / REQUESTS * 1000, len(sql),
            sum(any(f'"{t}"' in s for t in PERSON_TABLES) for s in sql))


def main():
    os.environ.update(directory.ENV)
    os.environ["DATABASE_URL"] = directory._database_url()
    os.environ["REDIS_URL"] = directory._redis_url()
    if not os.environ["REDIS_URL"]:
        print(json.dumps({"benchmark": "member_cpu", "meets_goal": False,
                          "error": "needs Redis on 127.0.0.1:6379"}))
        return
    cookie = directory.build_data()[0]
    from django.conf import settings
    from django.test import override_settings

    import bench._server  # noqa: F401 - the bare view

    database = override_settings(
        SESSION_ENGINE="django.contrib.sessions.backends.db", PERSON_CACHE=False,
        CACHES={"default": {**settings.CACHES["default"],
                            "BACKEND": "django.core.cache.backends.redis.RedisCache"}})
    runs = {"db_sessions": {}, "cached": {}}
    queries = {"db_sessions": {}, "cached": {}}
    for _round in range(ROUNDS):
        for setup in runs:
            if setup == "db_sessions":
                database.enable()
            try:
                for page, path in PAGES.items():
                    cpu, count, person = measure(cookie, path)
                    runs[setup].setdefault(page, []).append(cpu)
                    queries[setup][page] = {"queries": count, "session_user_role": person}
            finally:
                if setup == "db_sessions":
                    database.disable()
    anonymous = statistics.median(measure(None, PAGES["bare"])[0] for _ in range(3))
    figures = {setup: {page: {"cpu_ms": round(statistics.median(values), 2),
                              **queries[setup][page]} for page, values in pages.items()}
               for setup, pages in runs.items()}
    meets = all(figures["cached"][p]["cpu_ms"] < figures["db_sessions"][p]["cpu_ms"]
                and figures["cached"][p]["session_user_role"] == 0 for p in PAGES)
    print(json.dumps({"benchmark": "member_cpu", "database": os.environ["DATABASE_URL"]
                      .split(":")[0], "rounds": ROUNDS, "requests_each": REQUESTS,
                      "anonymous_bare_cpu_ms": round(anonymous, 2), **figures,
                      "goal": "cached set-up: less CPU than the database one on every page, "
                              "no session/user/role query",
                      "meets_goal": bool(meets)}))


if __name__ == "__main__":
    main()
