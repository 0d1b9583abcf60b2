"""Role × URL for the showcase: a member admin manages only its own company's products and
quotes (another company's answer 404), a supplier sees only the requests sent to it, a
buyer only their own requests; staff pages are staff's (issue #18, quality)."""

import pytest

from alliage.showcase import services
from tests.conftest import MATRIX_ROLES as ROLES
from tests.conftest import statuses

#          anon  contact admin  other  prospect board  staff
MATRIX = {
    "/vitrine/":                                   (200, 200, 200, 200, 200, 200, 200),
    "/vitrine/?category=metal&municipality=x&certification=zz": (200,) * 7,
    "/vitrine/produits/{acme_product}/":           (200, 200, 200, 200, 200, 200, 200),
    "/vitrine/produits/{prospect_product}/":       (404, 404, 404, 404, 404, 404, 404),
    "/vitrine/points-de-vente/":                   (200, 200, 200, 200, 200, 200, 200),
    "/vitrine/fournisseurs/?q=usinage":            (200, 200, 200, 200, 200, 200, 200),
    "/vitrine/demande-de-prix/?fournisseur={acme}": (200, 200, 200, 200, 200, 200, 200),
    "/vitrine/demandes/":                          (302, 200, 200, 200, 200, 200, 200),
    "/vitrine/demandes/{rfq}/":                    (302, 404, 404, 200, 404, 404, 404),
    "/vitrine/demandes/{rfq}/piece-jointe/":       (302, 404, 404, 404, 404, 404, 404),
    # Alice's request for Acme: her colleague Bob reads it; Carol (a supplier) does not.
    "/vitrine/demandes/{alice_rfq}/":               (302, 200, 200, 404, 404, 404, 404),
    "/mon-entreprise/{acme}/produits/":            (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{acme}/produits/nouveau/":    (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{acme}/produits/{acme_product_id}/": (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{rival}/produits/{acme_product_id}/": (302, 403, 404, 404, 404, 403, 404),
    "/mon-entreprise/{acme}/points-de-vente/":     (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{acme}/points-de-vente/{acme_pos}/": (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{rival}/points-de-vente/{acme_pos}/": (302, 403, 404, 404, 404, 403, 404),
    "/mon-entreprise/{acme}/demandes-de-prix/":    (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{acme}/demandes-de-prix/{acme_quote}/": (302, 403, 200, 404, 404, 403,
                                                              200),
    "/mon-entreprise/{welder}/demandes-de-prix/{acme_quote}/": (302, 403, 404, 404, 404, 403,
                                                                404),
    "/mon-entreprise/{acme}/demandes-de-prix/{welder_quote}/": (302, 403, 404, 404, 404, 403,
                                                                404),
    "/gestion/vitrine/":                           (302, 403, 403, 403, 403, 403, 200),
    "/gestion/vitrine/points-de-vente/":           (302, 403, 403, 403, 403, 403, 200),
    "/gestion/vitrine/points-de-vente/{counter}/": (302, 403, 403, 403, 403, 403, 200),
    "/gestion/vitrine/demandes.csv":               (302, 403, 403, 403, 403, 403, 200),
    "/api/v1/showcase/products":                   (200, 200, 200, 200, 200, 200, 200),
    "/api/v1/showcase/products/{acme_product}":    (200, 200, 200, 200, 200, 200, 200),
    "/api/v1/showcase/products/{prospect_product}": (404, 404, 404, 404, 404, 404, 404),
    "/api/v1/showcase/points-of-sale":             (200, 200, 200, 200, 200, 200, 200),
}

# Writes: without ``confirmed`` an irreversible action answers its confirmation page (200)
# to whoever may do it, and changes nothing.
POSTS = {
    "/mon-entreprise/{acme}/produits/{acme_product_id}/supprimer/": (302, 403, 200, 404, 404,
                                                                     403, 200),
    "/mon-entreprise/{acme}/produits/{acme_product_id}/": (302, 403, 200, 404, 404, 403, 200),
    "/mon-entreprise/{acme}/demandes-de-prix/{acme_quote}/": (302, 403, 200, 404, 404, 403,
                                                              200),
    "/mon-entreprise/{acme}/demandes-de-prix/{acme_quote}/refuser/": (302, 403, 200, 404, 404,
                                                                      403, 200),
    "/vitrine/demandes/{rfq}/choisir/{acme_quote}/": (302, 404, 404, 200, 404, 404, 404),
    "/vitrine/demandes/{rfq}/fermer/":             (302, 404, 404, 200, 404, 404, 404),
    # Only the buyer and the company's administrators decide: Bob reads, cannot close.
    "/vitrine/demandes/{alice_rfq}/fermer/":       (302, 403, 200, 404, 404, 404, 404),
    "/vitrine/demandes/{bob_rfq}/fermer/":         (302, 200, 200, 404, 404, 404, 404),
    "/gestion/vitrine/points-de-vente/":           (302, 403, 403, 403, 403, 403, 200),
}


@pytest.fixture
def urls(cast, region):
    from alliage.showcase.models import PointOfSale

    rfq = services.quote_request_create(
        data={"title": "Pièces", "description": "200 pièces", "buyer_name": "Carol",
              "buyer_email": cast.carol.email},
        suppliers=[cast.acme, region.welder], buyer_user=cast.carol,
        buyer_organisation=cast.rival)
    pos = PointOfSale.objects.create(organisation=cast.acme, name="Boutique Acme")
    own = {}
    for name in ("alice", "bob"):
        own[name] = services.quote_request_create(
            data={"title": "Gabarit", "description": "1 gabarit", "buyer_name": name,
                  "buyer_email": cast.user(name).email},
            suppliers=[region.welder], buyer_user=cast.user(name),
            buyer_organisation=cast.acme).pk
    return {"acme": cast.acme.pk, "rival": cast.rival.pk, "welder": region.welder.pk,
            "acme_product": region.acme_product.slug,
            "acme_product_id": region.acme_product.pk,
            "prospect_product": region.prospect_product.slug, "rfq": rfq.pk,
            "acme_quote": rfq.quotes.get(organisation=cast.acme).pk,
            "welder_quote": rfq.quotes.get(organisation=region.welder).pk,
            "acme_pos": pos.pk, "counter": region.counter.pk,
            "alice_rfq": own["alice"], "bob_rfq": own["bob"]}


@pytest.mark.parametrize("path", MATRIX)
def test_get_matrix(client, cast, urls, path):
    got = statuses(client, cast, path.format(**urls))
    assert got == MATRIX[path], dict(zip(ROLES, got, strict=True))


@pytest.mark.parametrize("path", POSTS)
def test_post_matrix(client, cast, urls, path):
    from alliage.showcase.models import Product, Quote

    got = statuses(client, cast, path.format(**urls), "post", {})
    assert got == POSTS[path], dict(zip(ROLES, got, strict=True))
    assert Product.objects.filter(pk=urls["acme_product_id"]).exists()   # nothing confirmed
    assert not Quote.objects.filter(status__in=["won", "declined"]).exists()
