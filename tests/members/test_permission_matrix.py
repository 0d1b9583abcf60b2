"""Role × URL: who may open which page of the foundation, members and billing apps.

Another company's object answers 404 (its existence is not revealed); a page of a role
one does not hold answers 403; anonymous visitors are sent to the login page (302).
"""

import pytest

from alliage.billing import services as billing
from tests.conftest import MATRIX_ROLES as ROLES
from tests.conftest import statuses

#          anon  contact admin  other  prospect board  staff
MATRIX = {
    "/":                                 (200, 200, 200, 200, 200, 200, 200),
    "/repertoire/":                      (200, 200, 200, 200, 200, 200, 200),
    "/repertoire/carte/":                (200, 200, 200, 200, 200, 200, 200),
    "/repertoire/{acme_slug}/":          (200, 200, 200, 200, 200, 200, 200),
    "/repertoire/{prospect_slug}/":      (404, 404, 404, 404, 200, 404, 200),
    "/devenir-membre/":                  (200, 200, 200, 200, 200, 200, 200),
    "/confidentialite/":                 (200, 200, 200, 200, 200, 200, 200),
    "/mon-entreprise/":                  (302, 403, 302, 302, 302, 403, 200),
    "/mon-entreprise/{acme}/":           (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{acme}/equipe/":    (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{acme}/sites/":     (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{acme}/facturation/": (302, 403, 200, 404, 404, 403, 200),
    "/factures/{invoice}.pdf":           (302, 404, 200, 404, 404, 404, 200),
    "/compte/profil/":                   (302, 200, 200, 200, 200, 200, 200),
    "/compte/invitations/":              (302, 403, 200, 200, 200, 403, 200),
    "/compte/invitations/nouvelle/":     (302, 403, 200, 200, 200, 403, 200),
    "/gestion/entreprises/":             (302, 403, 403, 403, 403, 403, 200),
    "/gestion/entreprises/nouvelle/":    (302, 403, 403, 403, 403, 403, 200),
    "/gestion/entreprises/{acme}/":      (302, 403, 403, 403, 403, 403, 200),
    "/gestion/entreprises/{acme}/modifier/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/adhesions/demandes/":      (302, 403, 403, 403, 403, 403, 200),
    "/gestion/association/":             (302, 403, 403, 403, 403, 403, 200),
    "/gestion/journal/":                 (302, 403, 403, 403, 403, 403, 200),
    "/gestion/personnes/":               (302, 403, 403, 403, 403, 403, 200),
    "/gestion/personnes/{bob_contact}/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/personnes/{bob_contact}/export.json": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/personnes/{bob_contact}/modifier/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/confidentialite/":         (302, 403, 403, 403, 403, 403, 200),
    "/gestion/a-risque/":                (302, 403, 403, 403, 403, 403, 200),
    "/gestion/import/":                  (302, 403, 403, 403, 403, 403, 200),
    "/compte/mes-donnees.json":          (302, 200, 200, 200, 200, 404, 404),
    "/api/v1/members/contacts":          (401, 403, 403, 403, 403, 403, 200),
    "/api/v1/members/memberships":       (401, 403, 403, 403, 403, 403, 200),
    "/api/v1/accounts/me":               (401, 200, 200, 200, 200, 200, 200),
    "/api/v1/members/organisations/{prospect_slug}": (404, 404, 404, 404, 200, 404, 200),
}

POSTS = {
    # path: expected per role, for writes that must be refused to everyone but the owner
    "/mon-entreprise/{acme}/":           (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{acme}/sites/":     (302, 403, 200, 404, 404, 403, 200),
    "/gestion/entreprises/{acme}/notes/": (302, 403, 403, 403, 403, 403, 302),
    "/mon-entreprise/{acme}/renouveler/": (302, 403, 302, 404, 404, 403, 302),
    "/gestion/import/confirmer/":        (302, 403, 403, 403, 403, 403, 302),
}


@pytest.fixture
def urls(cast):
    invoice = billing.invoice_create(organisation=cast.acme, render_pdf=True,
                                     lines=[billing.Line("Adhésion", 27500)])
    return {"acme": cast.acme.pk, "acme_slug": cast.acme.slug,
            "prospect_slug": cast.prospect.slug, "invoice": invoice.pk,
            "bob_contact": cast.bob.contact_id}


@pytest.mark.parametrize("path", MATRIX)
def test_get_matrix(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls))
    assert got == MATRIX[path], dict(zip(ROLES, got, strict=True))


@pytest.mark.parametrize("path", POSTS)
def test_post_matrix(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls), "post", {"body": ""})
    assert got == POSTS[path], dict(zip(ROLES, got, strict=True))
