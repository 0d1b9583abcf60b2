"""Issue #14 item 6: the audit log reads as French sentences, fields by their verbose names,
values formatted (money, choices, yes/no, visibility maps) — no raw keys, no Python reprs."""

from alliage.core import audit
from alliage.core.models import AuditLog
from tests.conftest import login, text


def test_the_audit_log_reads_as_french_sentences(client, cast):
    acme = cast.acme
    before = audit.snapshot(acme)
    acme.field_visibility = {"email": "staff", "phone": "members"}
    acme.employees = 60
    acme.save()
    AuditLog.objects.create(actor=cast.sam, action="organisation.update",
                            object_type="members.organisation", object_id=str(acme.pk),
                            object_repr=str(acme),
                            changes=audit.diff(before, audit.snapshot(acme)))
    AuditLog.objects.create(actor=cast.sam, action="payment.record",
                            object_type="billing.invoice", object_id="1",
                            object_repr="F-2025-0001",
                            changes={"amount_cents": 123456, "method": "cheque"})
    AuditLog.objects.create(actor=cast.sam, action="membership.approve",
                            object_type="members.membership",
                            object_id="1",
                            object_repr="Prospect Transport inc. — Régulier",
                            reason="Bienvenue !")
    AuditLog.objects.create(actor=None, action="widget.frobnicate",
                            object_type="members.organisation", object_id=str(acme.pk),
                            object_repr=str(acme), changes={"is_hidden": True})
    login(client, cast.sam)
    response = client.get("/gestion/journal/")
    assert response.status_code == 200
    page = text(response)
    assert "Sam Staff a modifié l'entreprise " + str(acme) in page
    assert "Sam Staff a enregistré un paiement sur la facture F-2025-0001" in page
    assert "Sam Staff a approuvé l'adhésion Prospect Transport inc. — Régulier" in page
    assert "1\u00a0234,56\u00a0$" in page and "Chèque" in page
    assert "Employés" in page or "employés" in page.lower()
    assert "Visibilité des champs" in page or "visibilité des champs" in page.lower()
    assert "Personnel seulement" in page and "Membres seulement" in page
    assert "Le système : frobnicate — organisation" in page and "Oui" in page
    html = response.content.decode()
    for raw in ("organisation.update", "payment.record", "membership.approve", "amount_cents",
                "field_visibility", "{&#x27;", "[&#x27;", "{'", "True"):
        assert raw not in html, raw


def test_the_page_shows_each_change(client, cast):
    """Printed for review: the organisation.update row reads field by field."""
    acme = cast.acme
    before = audit.snapshot(acme)
    acme.field_visibility = {"email": "staff"}
    acme.save()
    AuditLog.objects.create(actor=cast.sam, action="organisation.update",
                            object_type="members.organisation", object_id=str(acme.pk),
                            object_repr=str(acme),
                            changes=audit.diff(before, audit.snapshot(acme)))
    login(client, cast.sam)
    page = text(client.get("/gestion/journal/"))
    assert "— → Courriel général : Personnel seulement" in page or \
        "Courriel général : Personnel seulement" in page


def test_related_objects_show_by_name_not_by_id(client, cast, django_assert_max_num_queries):
    """Issue #14 leftover: a change of municipality, park or sectors names the places and
    sectors; an object deleted since reads "#id (supprimé)"; one query per related model."""
    from alliage.core.models import Municipality

    acme = cast.acme
    before = audit.snapshot(acme)
    old_town = acme.municipality
    acme.municipality = Municipality.objects.exclude(pk=old_town.pk).first()
    acme.park = None
    acme.save()
    for n in range(5):
        AuditLog.objects.create(actor=cast.sam, action="organisation.update",
                                object_type="members.organisation", object_id=str(acme.pk),
                                object_repr=str(acme),
                                changes=audit.diff(before, audit.snapshot(acme)))
    AuditLog.objects.create(actor=cast.sam, action="organisation.update",
                            object_type="members.organisation", object_id=str(acme.pk),
                            object_repr=str(acme), changes={"municipality": ["999999", "—"]})
    login(client, cast.sam)
    with django_assert_max_num_queries(14):
        page = text(client.get("/gestion/journal/"))
    assert f"{old_town} → {acme.municipality}" in page
    assert "Parc industriel du Haut-Saguenay (Henri-Girard) → —" in page
    assert "#999999 (supprimé)" in page
    row = page.split("Municipalité")[1][:200]
    assert str(old_town.pk) + " →" not in row
