"""A buyer clicking "choose" on two quotes at once, in two tabs, gets one winner; an answer
racing the choice is either in before it or refused (issue #18; real concurrency on
PostgreSQL, where the request row is locked)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from alliage.showcase import services
from alliage.showcase.models import Quote, QuoteRequest


@pytest.mark.django_db(transaction=True)
def test_two_choices_at_once_give_one_winner():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency is tested on PostgreSQL")
    from tests.people import Cast
    from tests.showcase.conftest import admin_of, supplier

    cast = Cast()
    others = [supplier(f"fournisseur-{i}", f"Fournisseur {i}", "332", "alma")
              for i in range(6)]
    for i, org in enumerate(others):
        admin_of(org, f"admin{i}@fournisseur.example", f"Admin{i}")
    rfq = services.quote_request_create(
        data={"title": "Pièces", "description": "200", "buyer_name": "Carol",
              "buyer_email": cast.carol.email},
        suppliers=others, buyer_user=cast.carol, buyer_organisation=cast.rival)
    quotes = list(rfq.quotes.all())
    for q in quotes:
        services.quote_answer(quote=q, price_cents=100_000 + q.pk, taxable=True,
                              delay_days=5, actor=None)
    barrier = threading.Barrier(len(quotes))
    outcomes = []

    def choose(quote):
        from django.db import connections

        try:
            barrier.wait()
            services.quote_award(quote_request=rfq, quote=quote)
            outcomes.append("won")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=choose, args=(q,)) for q in quotes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("won") == 1 and outcomes.count("refused") == 5
    assert Quote.objects.filter(status=Quote.Status.WON).count() == 1
    assert Quote.objects.filter(status=Quote.Status.LOST).count() == 5
    assert QuoteRequest.objects.get().status == QuoteRequest.Status.AWARDED
