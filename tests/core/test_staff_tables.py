"""Issue #14, item 10: staff tables sort by their columns and paginate with page numbers
(django-tables2, one template), with django-filter filters where they remove hand-written
code: CRM companies, people, invoices (with a past-due filter) and events."""

import re
from datetime import timedelta

from django.utils import timezone

from alliage.billing import services as billing
from alliage.members.models import Contact, Organisation
from tests.conftest import login, text
from tests.events.conftest import make_event


def _names(page, column=0):
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1].split("</tbody>")[0], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in rows]
    return [re.sub(r"<[^>]+>", "", c[column]).strip() for c in cells if len(c) > column]


def test_companies_sort_by_any_column_and_say_which(client, cast):
    Organisation.objects.create(legal_name="aluminerie basse inc.", slug="alu", employees=900)
    login(client, cast.sam)
    page = text(client.get("/gestion/entreprises/"))
    names = _names(page)
    assert names == sorted(names, key=str.lower)            # by name, case folded
    assert re.search(r'<th scope="col"[^>]* aria-sort="ascending"><a class="sort-link" '
                     r'href="\?sort=-name&page=1">Organisation', page)
    page = text(client.get("/gestion/entreprises/?sort=-employees"))
    assert _names(page)[0] == "aluminerie basse inc."
    assert 'aria-sort="descending"><a class="sort-link" href="?sort=employees&page=1"' in page
    # Sorting keeps the filters, filtering keeps the sort.
    page = text(client.get("/gestion/entreprises/?status=active&sort=employees"))
    assert "status=active" in re.search(r'href="([^"]*sort=-employees[^"]*)"', page).group(1)
    assert '<input type="hidden" name="sort" value="employees">' in page
    # Every cell says its header (the phone layout); the table is well formed.
    assert 'data-label="Municipalité"' in page
    assert '<table class="staff-table">' in page


def test_pages_are_numbered_and_the_current_one_marked(client, cast,
                                                       django_assert_max_num_queries):
    Organisation.objects.bulk_create([Organisation(legal_name=f"Entreprise {n:03}",
                                                   slug=f"e{n}") for n in range(120)])
    login(client, cast.sam)
    page = text(client.get("/gestion/entreprises/?page=2"))
    numbers = page.split('<ol class="page-numbers">')[1].split("</ol>")[0]
    assert re.findall(r">(\d)</a>", numbers) == ["1", "2", "3"]
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>2</a>',
                     numbers)
    assert 'rel="prev"' in page and 'rel="next"' in page
    # A page past the end shows the last one; a page that is not a number, the first.
    assert 'aria-current="page"><span class="visually-hidden">Page </span>3' in text(
        client.get("/gestion/entreprises/?page=99"))
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1' in text(
        client.get("/gestion/entreprises/?page=x"))
    with django_assert_max_num_queries(16):
        client.get("/gestion/entreprises/?sort=municipality")


def test_people_sort_by_name_or_email(client, cast):
    Contact.objects.create(first_name="Zoé", last_name="Aubin", email="zz@exemple.ca")
    login(client, cast.sam)
    page = text(client.get("/gestion/personnes/"))
    assert _names(page)[0] == "Zoé Aubin"
    emails = _names(text(client.get("/gestion/personnes/?sort=-email")), column=1)
    assert emails == sorted(emails, reverse=True)
    assert "Zoé Aubin" in text(client.get("/gestion/personnes/?q=aubin&sort=email"))


def test_invoices_filter_past_due_and_sort_by_amount(client, cast):
    today = timezone.localdate()
    late = billing.invoice_create(organisation=cast.acme, lines=[billing.Line("Cotisation",
                                                                              45000)],
                                  render_pdf=False, on=today - timedelta(days=60))
    billing.invoice_create(organisation=cast.rival, lines=[billing.Line("Formation", 10000)],
                           render_pdf=False, on=today)
    paid = billing.invoice_create(organisation=cast.rival, lines=[billing.Line("Golf", 80000)],
                                  render_pdf=False, on=today - timedelta(days=90))
    billing.payment_record(invoice=paid, amount_cents=paid.total_cents, method="cheque",
                           received_on=today - timedelta(days=80))
    login(client, cast.sam)
    page = text(client.get("/gestion/factures/?overdue=on"))
    assert _names(page) == [late.number]
    assert "En retard" in page and "1 facture" in page
    everything = text(client.get("/gestion/factures/?sort=-total_cents"))
    assert _names(everything)[0] == paid.number
    assert "Paiement" in everything and "(Chèque)" in everything       # under the balance
    assert _names(text(client.get("/gestion/factures/?q=rival&sort=total_cents"))) == [
        n for n in _names(text(client.get("/gestion/factures/?sort=total_cents")))
        if n != late.number]
    # The staff dashboard's count links to the same list.
    from alliage.core.dashboard import to_decide

    items = {d.key: d for d in to_decide()}
    assert items["overdue_invoices"].count == 1
    assert items["overdue_invoices"].url == "/gestion/factures/?overdue=on"


def test_events_filter_by_time_and_show_their_registrations(client, cast):
    make_event(slug="a-venir", title_fr="Souper à venir")
    make_event(slug="passee", title_fr="Visite passée",
               starts_at=timezone.now() - timedelta(days=9),
               ends_at=timezone.now() - timedelta(days=9))
    login(client, cast.sam)
    page = text(client.get("/gestion/activites/?when=upcoming"))
    assert _names(page) == ["Souper à venir"]
    assert "0 / 3" in page                                          # registered / capacity
    page = text(client.get("/gestion/activites/?sort=starts_at"))
    assert _names(page) == ["Visite passée", "Souper à venir"]
    assert client.get("/gestion/activites/?when=bogus").status_code == 200      # no 500
