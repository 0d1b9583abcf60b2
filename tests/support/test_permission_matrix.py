"""Every support URL × role (issue #19): staff edit, the board reads the plan, a member-company
admin sees only its own company's projects and cases (404 for another's), the catalogue is
public. Expected: 200 page, 302 to login, 403 refused, 404 hidden, 405 method."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliage.support import documents, services
from alliage.support.models import Axis, Indicator, Objective, Plan
from tests.conftest import login

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "dan", "bob", "carol", "alice", "bea", "sam"]


@pytest.fixture
def world(cast, programs, project):
    case = services.case_request(organisation=cast.acme, actor=cast.alice, kind="export",
                                 subject="Exporter", description="Aide")
    plan = Plan.objects.create(title="Plan 2020-2025", starts_year=2020, ends_year=2025)
    axis = Axis.objects.create(plan=plan, title="Membres")
    objective = Objective.objects.create(axis=axis, title="Croître")
    indicator = Indicator.objects.create(objective=objective, name="Membres", source="",
                                         baseline=200, baseline_year=2020, target=300,
                                         target_year=2025)
    doc = documents.case_document_add(
        case=case, actor=cast.alice, from_member=True,
        upload=SimpleUploadedFile("devis.pdf", b"%PDF-1.4\ntrailer << >>\n%%EOF\n"))
    return {"case": case, "doc": doc, "program": programs["open"], "project": project,
            "objective": objective, "indicator": indicator, "acme": cast.acme.pk}


def urls(w):
    a, p, c, d = w["acme"], w["project"].pk, w["case"].pk, w["doc"].pk
    return [
        ("get", f"/mon-entreprise/{a}/accompagnement/dossiers/{c}/documents/{d}/",
         {"anonymous": 302, "dan": 404, "bob": 404, "carol": 404, "alice": 200, "bea": 404,
          "sam": 200}),
        ("post", f"/mon-entreprise/{a}/accompagnement/dossiers/{c}/documents/",
         {"anonymous": 302, "dan": 404, "bob": 404, "carol": 404, "bea": 404}),
        ("get", f"/mon-entreprise/{a}/accompagnement/dossiers/{c}/documents/",
         {"alice": 405}),
        ("get", f"/gestion/accompagnement/dossiers/{c}/documents/{d}/",
         {"anonymous": 302, "dan": 403, "bob": 403, "carol": 403, "alice": 403, "bea": 403,
          "sam": 200}),
        ("post", f"/gestion/accompagnement/dossiers/{c}/documents/",
         {"anonymous": 302, "alice": 403, "bea": 403, "carol": 403}),
        ("post", f"/gestion/accompagnement/dossiers/{c}/documents/{d}/retirer/",
         {"anonymous": 302, "alice": 403, "bea": 403, "sam": 200}),
        ("get", "/financement/", dict.fromkeys(ROLES, 200)),
        ("get", f"/financement/{w['program'].pk}/", dict.fromkeys(ROLES, 200)),
        ("get", f"/mon-entreprise/{a}/accompagnement/",
         {"anonymous": 302, "dan": 404, "bob": 404, "carol": 404, "alice": 200, "bea": 404,
          "sam": 200}),
        ("get", f"/mon-entreprise/{a}/accompagnement/projets/nouveau/",
         {"anonymous": 302, "dan": 404, "bob": 404, "carol": 404, "alice": 200, "bea": 404,
          "sam": 200}),
        ("get", f"/mon-entreprise/{a}/accompagnement/projets/{p}/",
         {"anonymous": 302, "dan": 404, "bob": 404, "carol": 404, "alice": 200, "bea": 404,
          "sam": 200}),
        ("get", f"/mon-entreprise/{a}/accompagnement/dossiers/{c}/",
         {"anonymous": 302, "dan": 404, "bob": 404, "carol": 404, "alice": 200, "bea": 404,
          "sam": 200}),
        ("get", f"/mon-entreprise/{a}/accompagnement/demande/",
         {"anonymous": 302, "dan": 404, "bob": 404, "carol": 404, "alice": 200, "bea": 404,
          "sam": 200}),
        ("post", f"/mon-entreprise/{a}/accompagnement/projets/{p}/aide/",
         {"anonymous": 302, "dan": 404, "bob": 404, "carol": 404, "bea": 404}),
        ("get", "/gestion/accompagnement/", {"anonymous": 302, "dan": 403, "bob": 403,
                                             "carol": 403, "alice": 403, "bea": 403,
                                             "sam": 200}),
        ("get", f"/gestion/accompagnement/dossiers/{c}/",
         {"anonymous": 302, "dan": 403, "bob": 403, "carol": 403, "alice": 403, "bea": 403,
          "sam": 200}),
        ("post", f"/gestion/accompagnement/dossiers/{c}/note/",
         {"anonymous": 302, "alice": 403, "bea": 403}),
        ("post", f"/gestion/accompagnement/dossiers/{c}/fermer/",
         {"anonymous": 302, "alice": 403, "bea": 403}),
        ("get", "/gestion/financement/", {"anonymous": 302, "alice": 403, "bea": 403,
                                          "sam": 200}),
        ("get", "/gestion/financement/nouveau/", {"anonymous": 302, "alice": 403, "sam": 200}),
        ("get", f"/gestion/financement/{w['program'].pk}/", {"anonymous": 302, "carol": 403,
                                                              "sam": 200}),
        ("get", "/gestion/plan-strategique/", {"anonymous": 302, "dan": 403, "bob": 403,
                                               "alice": 403, "bea": 200, "sam": 200}),
        ("post", f"/gestion/plan-strategique/objectifs/{w['objective'].pk}/indicateurs/",
         {"anonymous": 302, "alice": 403, "bea": 403}),
        ("post", f"/gestion/plan-strategique/indicateurs/{w['indicator'].pk}/valeurs/",
         {"anonymous": 302, "alice": 403, "bea": 403}),
        ("get", f"/gestion/accompagnement/dossiers/{c}/fermer/", {"sam": 405}),
    ]


def test_permission_matrix(client, cast, world):
    failures = []
    for method, url, expected in urls(world):
        for role, status in expected.items():
            client.logout()
            if role != "anonymous":
                login(client, getattr(cast, role))
            got = getattr(client, method)(url, {"program": world["program"].pk} if
                                          method == "post" else None).status_code
            if got != status:
                failures.append(f"{role} {method.upper()} {url}: {got} != {status}")
    assert not failures, "\n".join(failures)


def test_staff_pages_and_links_follow_the_role(client, cast, world):
    """The header shows Financing to everyone, the staff navigation's Support section only
    to staff; a member admin's tab leads to its own support page."""
    page = client.get("/financement/").content.decode()
    assert 'href="/financement/"' in page and "/gestion/accompagnement/" not in page
    login(client, cast.alice)
    mine = client.get(f"/mon-entreprise/{cast.acme.pk}/accompagnement/").content.decode()
    assert "/gestion/" not in mine.split("<main", 1)[1]
    client.logout()
    login(client, cast.sam)
    staff = client.get("/gestion/accompagnement/").content.decode()
    assert 'href="/gestion/financement/"' in staff and 'href="/gestion/plan-strategique/"' in staff
