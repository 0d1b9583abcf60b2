"""Products and points of sale: a company manages its own, photos lose their metadata, the
public catalogue filters by category, place and certification, and the API reads the same
(issue #18)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from alliage.core.models import AuditLog
from alliage.showcase.models import PointOfSale, Product
from tests.conftest import login, text


def _jpeg_with_gps():
    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = "Alice Tremblay"                          # Artist
    exif[0x8825] = {1: "N", 2: (48.0, 25.0, 0.0)}             # GPS
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_member_admin_creates_a_product_with_its_points_of_sale(client, cast, region):
    own = PointOfSale.objects.create(organisation=cast.acme, name="Boutique Acme")
    login(client, cast.alice)
    response = client.post(f"/mon-entreprise/{cast.acme.pk}/produits/nouveau/", {
        "name_fr": "Bride d'aluminium", "name_en": "Aluminium flange", "category": "metal",
        "description_fr": "Usinée au Saguenay.", "made_in_region": "on",
        "certifications": "ISO 9001", "points_of_sale": [own.pk, region.counter.pk],
        "is_published": "on"})
    item = Product.objects.get(name_fr="Bride d'aluminium")
    assert response.status_code == 302
    assert item.organisation == cast.acme and item.slug.startswith("precision-acme-bride")
    assert set(item.points_of_sale.all()) == {own, region.counter}
    assert AuditLog.objects.filter(action="showcase.product_save").exists()
    assert client.get(item.get_absolute_url()).status_code == 200


def test_another_companys_point_of_sale_cannot_be_attached(client, cast, region):
    theirs = PointOfSale.objects.create(organisation=cast.rival, name="Boutique Rival")
    login(client, cast.alice)
    response = client.post(f"/mon-entreprise/{cast.acme.pk}/produits/nouveau/", {
        "name_fr": "X", "category": "metal", "points_of_sale": [theirs.pk, "abc"]})
    assert response.status_code == 200
    assert not Product.objects.filter(name_fr="X").exists()


def test_a_photo_loses_its_position_and_author(client, cast, region):
    login(client, cast.alice)
    url = f"/mon-entreprise/{cast.acme.pk}/produits/{region.acme_product.pk}/photos/"
    client.post(url, {"image": SimpleUploadedFile("piece.jpg", _jpeg_with_gps(), "image/jpeg"),
                      "alt_text": "Une bride usinée"})
    photo = region.acme_product.photos.get()
    data = photo.image.read()
    assert b"Alice Tremblay" not in data and b"Exif" not in data
    assert photo.image.name.startswith("showcase/")
    # Public: served from the public media folder.
    assert client.get(f"/media/{photo.image.name}").status_code == 200


def test_photos_refuse_other_files_and_stop_at_six(client, cast, region):
    login(client, cast.alice)
    url = f"/mon-entreprise/{cast.acme.pk}/produits/{region.acme_product.pk}/photos/"
    client.post(url, {"image": SimpleUploadedFile("x.pdf", b"%PDF-1.4", "application/pdf")})
    client.post(url, {"image": SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")})
    assert not region.acme_product.photos.exists()
    for _ in range(7):
        client.post(url, {"image": SimpleUploadedFile("p.jpg", _jpeg_with_gps(),
                                                      "image/jpeg")})
    assert region.acme_product.photos.count() == 6


def test_deleting_a_product_asks_first_then_removes_it(client, cast, region):
    login(client, cast.alice)
    url = f"/mon-entreprise/{cast.acme.pk}/produits/{region.acme_product.pk}/supprimer/"
    assert "confirmed" in text(client.post(url))
    assert Product.objects.filter(pk=region.acme_product.pk).exists()
    client.post(url, {"confirmed": "1"})
    assert not Product.objects.filter(pk=region.acme_product.pk).exists()


def test_the_catalogue_filters(client, cast, region):
    def names(**params):
        return text(client.get("/vitrine/", params))

    assert "Fromage en grains" in names(category="agrifood")
    assert "Palettes de bois" not in names(category="agrifood")
    assert "Palettes de bois" in names(municipality="saint-felicien")
    assert "Pièces usinées" in names(park="haut-saguenay")
    assert "Réservoirs" in names(certification="CWB")
    assert "Réservoirs" not in names(certification="NIMP 15")
    assert "Palettes" in names(q="palettes")
    assert "Transport de vrac" not in names()               # not a member: not shown
    region.pallets.products.update(made_in_region=False)
    assert "Palettes de bois" not in names(made_in_region="on")


def test_the_catalogue_page_runs_a_fixed_number_of_queries(client, cast, region,
                                                             django_assert_max_num_queries):
    from tests.showcase.conftest import product

    for i in range(30):
        product(region.dairy, f"Fromage {i}", category="agrifood")
    with django_assert_max_num_queries(12):
        assert client.get("/vitrine/").status_code == 200
    for i in range(60):
        product(region.pallets, f"Palette {i}", category="wood")
    second = text(client.get("/vitrine/", {"category": "wood", "page": "2"}))
    assert "Page 2" in second
    assert "category=wood&amp;page=1" in client.get("/vitrine/", {
        "category": "wood", "page": "2"}).content.decode()
    for bad in ("x", "²", "9" * 30, "0"):
        assert client.get("/vitrine/", {"page": bad}).status_code == 200


def test_points_of_sale_are_listed_with_their_map_points(client, cast, region):
    region.acme_product.points_of_sale.add(region.counter)
    response = client.get("/vitrine/points-de-vente/")
    page = text(response)
    assert "Comptoir de la halte" in page and "47.5643" in page
    PointOfSale.objects.create(organisation=cast.prospect, name="Boutique Prospect")
    assert "Boutique Prospect" not in text(client.get("/vitrine/points-de-vente/"))


def test_staff_manage_the_associations_counter(client, cast, region):
    login(client, cast.sam)
    client.post("/gestion/vitrine/points-de-vente/", {
        "name": "Comptoir du Vieux-Port", "kind": "counter", "latitude": "48.43",
        "longitude": "", "is_active": "on"})
    assert not PointOfSale.objects.filter(name="Comptoir du Vieux-Port").exists()  # half
    client.post("/gestion/vitrine/points-de-vente/", {
        "name": "Comptoir du Vieux-Port", "kind": "counter", "is_active": "on"})
    assert PointOfSale.objects.get(name="Comptoir du Vieux-Port").organisation is None
    # Editing a member's point of sale keeps it theirs.
    pos = PointOfSale.objects.create(organisation=cast.acme, name="Boutique Acme")
    client.post(f"/gestion/vitrine/points-de-vente/{pos.pk}/", {
        "name": "Boutique Acme (usine)", "kind": "plant", "is_active": "on"})
    pos.refresh_from_db()
    assert pos.organisation == cast.acme and pos.name == "Boutique Acme (usine)"


def test_the_api_lists_and_filters_the_catalogue(client, cast, region):
    body = client.get("/api/v1/showcase/products", {"category": "wood"}).json()
    assert [p["name_fr"] for p in body["results"]] == ["Palettes de bois standard"]
    one = client.get(f"/api/v1/showcase/products/{region.acme_product.slug}").json()
    assert one["company"] == "Précision Acme" and one["certifications"] == ["ISO 9001"]
    assert client.get("/api/v1/showcase/products", {"category": "nope"}).status_code == 422
    assert client.get("/api/v1/showcase/products", {"limit": 0}).status_code == 422
    bad = client.get("/api/v1/showcase/products", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401
