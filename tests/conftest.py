import pytest

from tests.people import Cast


@pytest.fixture
def cast(db):
    return Cast()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test writes media under its own folder and starts with an empty cache."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    # The cast's six accounts would cost seconds of PBKDF2 per test on 2 cores; tests are about
    # behaviour, not password storage (PBKDF2 stays accepted, so older hashes still verify).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    cache.clear()
    from alliage.pages.apps import _forget_footer

    _forget_footer()            # the footer's per-process memo (alliage.pages.apps)
    yield
    cache.clear()


def login(client, user):
    """Log a cast member in (skipping the password step; 2FA is off unless a test asks)."""
    if user is not None:
        client.force_login(user, backend="alliage.accounts.backends.EmailBackend")
    return client


def text(response):
    """A response's HTML with entities decoded, for assertions on French text."""
    import html

    return html.unescape(response.content.decode())


MATRIX_ROLES = ["anonymous", "bob", "alice", "carol", "dan", "bea", "sam"]


def statuses(client, cast, path, method="get", data=None):
    """The status each role of MATRIX_ROLES gets for one request (permission matrices)."""
    got = []
    for role in MATRIX_ROLES:
        client.logout()
        login(client, cast.user(role))
        got.append(getattr(client, method)(path, data or {}).status_code)
    return tuple(got)


ALL_QUEUES = ["default", "mail", "mailing", "reports"]


class TaskWorker:
    """Runs the database task queue the way production does: in another thread, with its own
    database connection, only after the writes that enqueued the tasks have committed."""

    def run(self, *, timeout=120):
        import threading

        from django.db import connections
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult

        errors = []

        def work():
            try:
                Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                       startup_delay=False, max_tasks=None, worker_id="test-worker",
                       excluded_queue_names=[]).run()
            except BaseException as exc:  # reported to the test below
                errors.append(exc)
            finally:
                connections.close_all()

        thread = threading.Thread(target=work, name="task-worker")
        thread.start()
        thread.join(timeout)
        assert not thread.is_alive(), "the task worker did not finish"
        assert not errors, errors
        failed = list(DBTaskResult.objects.filter(status="FAILED")
                      .values_list("task_path", "exception_class_path"))
        assert failed == [], failed
        return DBTaskResult.objects.filter(status="SUCCESSFUL").count()

    @staticmethod
    def waiting():
        from django_tasks_db.models import DBTaskResult

        return sorted(DBTaskResult.objects.filter(status="READY")
                      .values_list("task_path", flat=True))


@pytest.fixture
def task_worker(transactional_db, settings):
    """Tasks go to the database queue and wait there; ``task_worker.run()`` runs them in a
    separate thread and connection, as a `db_worker` process would, after commit."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ALL_QUEUES}}
    return TaskWorker()
