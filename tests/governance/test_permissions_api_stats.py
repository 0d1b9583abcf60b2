"""Role × URL for governance, the API and the yearly figures."""

import pytest

from alliage.governance import elections, services, stats
from alliage.governance.models import Assembly, AssemblyDocument, Election, Resolution
from tests.conftest import MATRIX_ROLES as ROLES
from tests.conftest import login, statuses
from tests.governance.conftest import make_assembly, make_document, make_election

# anonymous, bob (Acme contact), alice (Acme admin), carol (Rival admin),
# dan (non-member company's admin), bea (board), sam (staff)
MATRIX = {
    "/vie-associative/":                          (200, 200, 200, 200, 200, 200, 200),
    "/vie-associative/conseil/":                  (200, 200, 200, 200, 200, 200, 200),
    "/vie-associative/assemblees/{assembly}/":    (302, 200, 200, 200, 403, 403, 200),
    "/vie-associative/assemblees/{draft}/":       (302, 404, 404, 404, 403, 403, 404),
    "/vie-associative/elections/{election}/":     (302, 200, 200, 200, 404, 200, 200),
    "/vie-associative/elections/{draft_election}/": (302, 404, 404, 404, 404, 404, 404),
    "/gestion/reglements/":                       (302, 403, 403, 403, 403, 403, 200),
    "/gestion/assemblees/":                       (302, 403, 403, 403, 403, 403, 200),
    "/gestion/assemblees/nouvelle/":              (302, 403, 403, 403, 403, 403, 200),
    "/gestion/assemblees/{assembly}/":            (302, 403, 403, 403, 403, 403, 200),
    "/gestion/assemblees/{assembly}/registre/":   (302, 403, 403, 403, 403, 403, 200),
    "/gestion/assemblees/999999/registre/":       (302, 403, 403, 403, 403, 403, 404),
    "/gestion/elections/nouvelle/":               (302, 403, 403, 403, 403, 403, 200),
    # Convocation documents: members of a convened assembly, staff of any; never a draft's
    # to members, never one document through another assembly's address.
    "/vie-associative/assemblees/{assembly}/documents/{document}/": (
        302, 200, 200, 200, 403, 403, 200),
    "/vie-associative/assemblees/{draft}/documents/{draft_document}/": (
        302, 404, 404, 404, 403, 403, 200),
    "/vie-associative/assemblees/{assembly}/documents/{draft_document}/": (
        302, 404, 404, 404, 403, 403, 404),
    "/gestion/elections/{election}/":             (302, 403, 403, 403, 403, 403, 200),
}
# Unconfirmed irreversible actions: staff get the confirmation page (200), nothing changes.
POSTS = {
    "/gestion/assemblees/{assembly}/convoquer/":  (302, 403, 403, 403, 403, 403, 200),
    "/gestion/assemblees/{assembly}/cloturer/":   (302, 403, 403, 403, 403, 403, 200),
    "/gestion/elections/{election}/fermer/":      (302, 403, 403, 403, 403, 403, 200),
    "/gestion/elections/{draft_election}/ouvrir/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/elections/{election}/publier/":     (302, 403, 403, 403, 403, 403, 200),
    "/gestion/assemblees/{assembly}/resolutions/{resolution}/vote/": (
        302, 403, 403, 403, 403, 403, 200),
    "/gestion/assemblees/{assembly}/documents/{document}/supprimer/": (
        302, 403, 403, 403, 403, 403, 200),
}


@pytest.fixture
def urls(cast):
    assembly = make_assembly()
    resolution = services.resolution_add(assembly=assembly, title_fr="États financiers",
                                         majority="simple", actor=cast.sam)
    draft = make_assembly(status="draft")
    return {"assembly": assembly.pk, "draft": draft.pk,
            "document": make_document(assembly).pk, "draft_document": make_document(draft).pk,
            "election": make_election().pk,
            "draft_election": make_election(status="draft", title_fr="Brouillon").pk,
            "resolution": resolution.pk}


@pytest.mark.parametrize("path", MATRIX)
def test_governance_matrix(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls))
    assert got == MATRIX[path], dict(zip(ROLES, got, strict=True))


@pytest.mark.parametrize("path", POSTS)
def test_governance_irreversible_posts_ask_first(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls), method="post",
                   data={"votes_for": 1, "votes_against": 0, "abstentions": 0})
    assert got == POSTS[path], dict(zip(ROLES, got, strict=True))
    assert Assembly.objects.get(pk=urls["assembly"]).status == "convened"
    assert Election.objects.get(pk=urls["election"]).status == "open"
    assert Election.objects.get(pk=urls["draft_election"]).status == "draft"
    assert Resolution.objects.get().outcome == "pending"
    assert AssemblyDocument.objects.count() == 2


def test_a_member_admin_gives_and_withdraws_its_proxy_only_for_its_own_company(client, cast,
                                                                               urls):
    page = f"/vie-associative/assemblees/{urls['assembly']}/procuration/"
    login(client, cast.bob)                            # not an admin
    assert client.post(page, {"giver": cast.acme.pk, "holder": cast.rival.pk,
                              "confirmed": "1"}).status_code == 404
    login(client, cast.carol)                          # Rival's admin, giving Acme's vote
    assert client.post(page, {"giver": cast.acme.pk, "holder": cast.rival.pk,
                              "confirmed": "1"}).status_code == 404
    login(client, cast.alice)
    assert client.post(page, {"giver": "x", "holder": "y"}).status_code == 404
    client.post(page, {"giver": cast.acme.pk, "holder": cast.rival.pk, "confirmed": "1"})
    proxy = Assembly.objects.get(pk=urls["assembly"]).proxies.get()
    assert (proxy.giver, proxy.holder) == (cast.acme, cast.rival)
    login(client, cast.carol)
    withdraw = f"/vie-associative/assemblees/{urls['assembly']}/procuration/{proxy.pk}/retirer/"
    assert client.post(withdraw, {"confirmed": "1"}).status_code == 404
    login(client, cast.alice)
    client.post(withdraw, {"confirmed": "1"})
    assert not Assembly.objects.get(pk=urls["assembly"]).proxies.exists()


def test_the_desk_records_attendance_and_shows_the_quorum(client, cast, urls):
    login(client, cast.sam)
    desk = f"/gestion/assemblees/{urls['assembly']}/registre/"
    client.post(desk + "presence/", {"organisation": cast.acme.pk,
                                     "representative": cast.alice.contact.pk,
                                     "mode": "online"})
    bad = client.post(desk + "presence/", {"organisation": "999999", "mode": "x"})
    assert bad.status_code == 400
    page = client.get(desk).content.decode()
    assert "Quorum atteint" in page and "Usinage Précision Acme inc." in page


def test_api_reads(client, cast, urls):
    election = Election.objects.get(pk=urls["election"])
    elections.vote_cast(election=election, organisation=cast.acme, user=cast.alice,
                        candidate_ids=[election.c[0].pk] if hasattr(election, "c") else
                        [election.candidates.first().pk])
    assert client.get("/api/v1/governance/assemblies").status_code == 401
    assert client.get("/api/v1/governance/board").status_code == 200
    login(client, cast.dan)
    assert client.get("/api/v1/governance/elections").status_code == 403
    login(client, cast.bob)
    rows = client.get("/api/v1/governance/elections").json()
    assert [r["results"] for r in rows] == [None]          # open: nothing counted
    assert client.get("/api/v1/governance/assemblies").json()[0]["resolutions"][0][
        "title"] == "États financiers"
    elections.election_close(election=election, actor=cast.sam)
    assert client.get(f"/api/v1/governance/elections/{election.pk}").json()["results"] is None
    login(client, cast.bea)
    body = client.get(f"/api/v1/governance/elections/{election.pk}").json()
    assert (body["ballots"], body["voters"]) == (1, 1)
    assert body["results"][0] == {"name": "Ana Roy", "votes": 1, "elected": True,
                                  "tied": False}
    assert client.get("/api/v1/governance/elections/999999").status_code == 404


def test_yearly_figures(cast, urls):
    assembly = Assembly.objects.get(pk=urls["assembly"])
    services.attendance_record(assembly=assembly, organisation=cast.acme, actor=cast.sam)
    services.attendance_record(assembly=assembly, organisation=cast.rival, actor=cast.sam)
    services.resolution_vote(resolution=assembly.resolutions.get(), votes_for=2,
                             votes_against=0, abstentions=0, actor=cast.sam)
    election = Election.objects.get(pk=urls["election"])
    elections.vote_cast(election=election, organisation=cast.acme, user=cast.alice,
                        candidate_ids=[election.candidates.first().pk])
    elections.election_close(election=election, actor=cast.sam)
    figures = stats.yearly(assembly.starts_at.year)
    assert figures["assemblies"] == 1 and figures["members_present"] == 2
    assert figures["resolutions_adopted"] == 1
    year = Election.objects.get(pk=urls["election"]).closes_at.year
    assert stats.yearly(year)["ballots"] == stats.yearly(year)["voters"] == 1
    assert stats.yearly(2001) == dict.fromkeys(figures, 0)


def test_staff_keep_the_board_seats_and_see_terms_ending(client, cast):
    from datetime import timedelta

    from django.utils import timezone

    from alliage.governance.models import BoardMember

    today = timezone.localdate()
    assert statuses(client, cast, "/gestion/conseil/") == (302, 403, 403, 403, 403, 403, 200)
    login(client, cast.sam)
    client.post("/gestion/conseil/", {"full_name": "Marie Bouchard", "role": "president",
                                      "organisation": cast.acme.pk,
                                      "term_start": (today - timedelta(days=600)).isoformat(),
                                      "term_end": (today + timedelta(days=30)).isoformat()})
    bad = client.post("/gestion/conseil/", {"full_name": "X", "role": "director",
                                            "term_start": "2026-01-01",
                                            "term_end": "2025-01-01"})
    assert bad.status_code == 200 and BoardMember.objects.count() == 1
    page = client.get("/gestion/conseil/").content.decode()
    assert "Marie Bouchard" in page and "se termine bientôt" in page
    client.logout()
    assert "Marie Bouchard" in client.get("/vie-associative/conseil/").content.decode()
