"""Activity report pages (issue #20): every URL × role, the forms' errors, the publish and
delete confirmations, the PDF's waiting page. Expected: 200 page, 302 to login or after an
action, 403 refused, 404 hidden, 405 method."""

from datetime import date

import pytest

from alliage.core.models import AuditLog
from alliage.reports import services
from alliage.reports.models import ActivityReport, ReportFile
from tests.conftest import MATRIX_ROLES, login, text

pytestmark = pytest.mark.django_db

START, END = date(2019, 12, 1), date(2020, 6, 30)


@pytest.fixture
def draft(cast):
    return services.report_create(actor=cast.sam, title_fr="Rapport 2019-2020", start=START,
                                  end=END, mission_fr="Notre mission.")


@pytest.fixture
def published(cast, django_capture_on_commit_callbacks):
    report = services.report_create(actor=cast.sam, title_fr="Rapport 2018-2019",
                                    start=date(2018, 7, 1), end=date(2019, 6, 30))
    with django_capture_on_commit_callbacks(execute=False):
        return services.report_publish(report=report, actor=cast.sam)


STAFF_ONLY = {"anonymous": 302, "bob": 403, "alice": 403, "carol": 403, "dan": 403,
              "bea": 403, "sam": 200}


def expected(table):
    return tuple(table[role] for role in MATRIX_ROLES)


def test_permission_matrix(client, cast, draft, published):
    file = ReportFile.objects.filter(report=published, language="fr").get()
    public = dict.fromkeys(MATRIX_ROLES, 200)
    rows = [
        ("get", "/gestion/rapports/", STAFF_ONLY),
        ("get", "/gestion/rapports/nouveau/", STAFF_ONLY),
        ("get", f"/gestion/rapports/{draft.pk}/", STAFF_ONLY),
        ("get", f"/gestion/rapports/{draft.pk}/?langue=en", STAFF_ONLY),
        ("get", f"/gestion/rapports/{draft.pk}/modifier/", STAFF_ONLY),
        ("get", f"/gestion/rapports/{published.pk}/", STAFF_ONLY),
        ("get", f"/gestion/rapports/{published.pk}/modifier/", {**STAFF_ONLY, "sam": 302}),
        ("get", f"/gestion/rapports/{draft.pk}/publier/", {**STAFF_ONLY, "sam": 405}),
        ("get", f"/gestion/rapports/{draft.pk}/supprimer/", {**STAFF_ONLY, "sam": 405}),
        ("get", f"/gestion/rapports/{draft.pk}/pdf/fr/", {**STAFF_ONLY, "sam": 405}),
        ("get", f"/gestion/rapports/fichier/{file.pk}/", {**STAFF_ONLY, "sam": 202}),
        ("get", "/gestion/rapports/999999/", {**STAFF_ONLY, "sam": 404}),
        ("get", "/rapports-annuels/", public),
        # Anyone may fetch a published report's PDF; it is still being rendered (its job was
        # queued at publication): the waiting page.
        ("get", f"/rapports-annuels/{published.pk}/fr.pdf", dict.fromkeys(MATRIX_ROLES, 202)),
        ("get", f"/rapports-annuels/{draft.pk}/fr.pdf", dict.fromkeys(MATRIX_ROLES, 404)),
        ("get", f"/rapports-annuels/{published.pk}/de.pdf", dict.fromkeys(MATRIX_ROLES, 404)),
    ]
    for method, path, table in rows:
        got = []
        for role in MATRIX_ROLES:
            client.logout()
            login(client, cast.user(role))
            got.append(getattr(client, method)(path).status_code)
        assert tuple(got) == expected(table), (path, got)


def test_posts_of_others_are_refused_and_change_nothing(client, cast, draft):
    for role in ["anonymous", "bob", "alice", "bea"]:
        client.logout()
        login(client, cast.user(role))
        for path in [f"/gestion/rapports/{draft.pk}/publier/",
                     f"/gestion/rapports/{draft.pk}/supprimer/",
                     f"/gestion/rapports/{draft.pk}/pdf/fr/"]:
            assert client.post(path, {"confirmed": "1"}).status_code in (302, 403)
    draft.refresh_from_db()
    assert not draft.is_published and not ReportFile.objects.exists()
    assert client.post("/gestion/rapports/nouveau/", {"title_fr": "X", "start": "2019-12-01",
                                                      "end": "2020-06-30"}).status_code == 403
    assert ActivityReport.objects.count() == 1


def test_create_refuses_a_bad_period_with_a_message_and_creates_nothing(client, cast):
    login(client, cast.sam)
    page = client.get("/gestion/rapports/nouveau/")
    assert page.status_code == 200
    response = client.post("/gestion/rapports/nouveau/", {
        "title_fr": "Rapport", "start": "2020-06-30", "end": "2019-12-01"})
    assert response.status_code == 200
    assert "La fin de la période précède son début." in text(response)
    response = client.post("/gestion/rapports/nouveau/", {
        "title_fr": "Rapport", "start": "pas une date", "end": "2019-12-01"})
    assert response.status_code == 200 and ActivityReport.objects.count() == 0
    response = client.post("/gestion/rapports/nouveau/", {
        "title_fr": "Rapport 2019-2020", "start": "2019-12-01", "end": "2020-06-30"})
    report = ActivityReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/gestion/rapports/{report.pk}/"
    assert AuditLog.objects.filter(action="reports.create").count() == 1


def test_edit_saves_texts_and_notes(client, cast, draft):
    login(client, cast.sam)
    data = {"title_fr": "Rapport 2019-2020", "start": "2019-12-01", "end": "2020-06-30",
            "president_word_fr": "Merci!", "note_members_fr": "Plus de 300 membres.",
            "note_members_en": ""}
    assert client.post(f"/gestion/rapports/{draft.pk}/modifier/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.president_word_fr == "Merci!"
    assert draft.notes == {"members": {"fr": "Plus de 300 membres.", "en": ""}}
    page = text(client.get(f"/gestion/rapports/{draft.pk}/"))
    assert "Merci!" in page and "Plus de 300 membres." in page
    assert "Mot de la présidence" in page and "Table des matières" in page
    english = text(client.get(f"/gestion/rapports/{draft.pk}/?langue=en"))
    assert "Word from the president" in english


def test_publish_asks_first_then_freezes(client, cast, draft, django_capture_on_commit_callbacks):
    login(client, cast.sam)
    ask = client.post(f"/gestion/rapports/{draft.pk}/publier/")
    assert ask.status_code == 200 and "Publier ce rapport?" in text(ask)
    draft.refresh_from_db()
    assert not draft.is_published
    with django_capture_on_commit_callbacks(execute=False):
        done = client.post(f"/gestion/rapports/{draft.pk}/publier/", {"confirmed": "1"})
    assert done.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published and "members" in draft.figures
    assert ReportFile.objects.filter(report=draft, frozen=True).count() == 2
    # Frozen: the edit page sends back, a POST changes nothing, delete is refused.
    assert client.post(f"/gestion/rapports/{draft.pk}/modifier/", {
        "title_fr": "Autre", "start": "2019-12-01", "end": "2020-06-30"}).status_code == 302
    assert client.post(f"/gestion/rapports/{draft.pk}/supprimer/",
                       {"confirmed": "1"}).status_code == 302
    draft.refresh_from_db()
    assert draft.title_fr == "Rapport 2019-2020"


def test_delete_asks_first(client, cast, draft):
    login(client, cast.sam)
    assert "Supprimer ce rapport" in text(client.post(f"/gestion/rapports/{draft.pk}/supprimer/"))
    assert ActivityReport.objects.filter(pk=draft.pk).exists()
    assert client.post(f"/gestion/rapports/{draft.pk}/supprimer/",
                       {"confirmed": "1"}).status_code == 302
    assert not ActivityReport.objects.filter(pk=draft.pk).exists()


def test_a_draft_pdf_is_rendered_in_the_background_then_served(client, cast, draft,
                                                                task_worker):
    login(client, cast.sam)
    response = client.post(f"/gestion/rapports/{draft.pk}/pdf/en/")
    assert response.status_code == 302
    waiting = client.get(response["Location"])
    assert waiting.status_code == 202
    task_worker.run()
    done = client.get(response["Location"])
    assert done.status_code == 200 and done["Content-Type"] == "application/pdf"
    assert b"".join(done.streaming_content).startswith(b"%PDF")


def test_visits_of_the_waiting_page_queue_one_rendering_not_one_each(client, cast, task_worker,
                                                                     published):
    from django_tasks_db.models import DBTaskResult

    ReportFile.objects.filter(report=published).update(queued_at=None)   # never queued yet
    queued = DBTaskResult.objects.count()
    for _n in range(5):
        assert client.get(f"/rapports-annuels/{published.pk}/fr.pdf").status_code in (200, 202)
    login(client, cast.sam)
    file = ReportFile.objects.get(report=published, language="fr")
    for _n in range(3):
        client.get(f"/gestion/rapports/fichier/{file.pk}/")
    assert DBTaskResult.objects.count() == queued + 1        # the French PDF, once


def test_a_failed_rendering_is_said_and_staff_try_again(client, cast, draft, task_worker,
                                                        monkeypatch):
    from alliage.reports import rendering

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(rendering, "pdf_bytes", broken)
    login(client, cast.sam)
    response = client.post(f"/gestion/rapports/{draft.pk}/pdf/fr/")
    with pytest.raises(AssertionError):
        task_worker.run()               # the job failed (and says so in the queue)
    file = ReportFile.objects.get()
    assert file.error.startswith("RuntimeError: no fonts")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "n'a pas pu être produit" in text(page)
    assert "Réessayer" in text(page)
