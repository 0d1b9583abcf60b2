"""The sender's shortcuts (bench/mailing.py) change nothing a recipient or a link sees."""

import pytest
from django.core import signing
from django.db import connection

from alliage.mailing.render import (
    SALT,
    TRACK_SALT,
    delivery_from,
    delivery_token,
    subscriber_from,
    token_for,
)


def test_link_tokens_keep_their_format_and_older_ones_still_open():
    """Signed without trying compression (a payload this small never shrinks): the same
    tokens as before, and a token written with compression on still opens."""
    token = token_for(1234)
    assert not token.startswith(".")                     # "." would mark a compressed one
    assert signing.loads(token, salt=SALT) == {"s": 1234}
    assert subscriber_from(token) == 1234
    assert subscriber_from(signing.dumps({"s": 1234}, salt=SALT, compress=True)) == 1234
    assert delivery_from(delivery_token(7, 99)) == (7, 99)
    assert delivery_from(signing.dumps({"c": 7, "d": 99}, salt=TRACK_SALT,
                                       compress=True)) == (7, 99)


@pytest.mark.django_db
def test_the_mark_quotes_a_message_id_as_psycopg_would():
    """The mark's statement is composed once per batch; the Message-ID put into it per
    message is quoted directly when plain, else by psycopg (a quote or a backslash)."""
    if connection.vendor != "postgresql":
        pytest.skip("the hand-sent mark is PostgreSQL's")
    from psycopg import sql

    from alliage.mailing.tasks import _literal, _mark_statement

    connection.ensure_connection()
    for value in ("<alliage.c1.d2@exemple.ca>", "<o'brien@exemple.ca>", "<a\\b@x>",
                  "<é@exemple.ca>"):
        assert _literal(value) == sql.Literal(value).as_bytes(connection.connection)
    statement = _mark_statement(connection.connection, "host:1:abc")
    assert b"'ZZMESSAGEIDZZ'" in statement and b"ZZDELIVERYIDZZ" in statement
    assert b"claimed_by = 'host:1:abc'" in statement
