"""The shared id readers for query strings and forms (issue #11, item 8)."""

from django.http import QueryDict

from alliage.core.http import int_list, int_param


def test_int_param_reads_plain_ids_only():
    data = QueryDict("a=12&b=abc&c=%C2%B2&d=99999999999999999999&e=-3&f=%2B4&g=1.5&h=%2012%20")
    assert int_param(data, "a") == 12
    assert int_param(data, "h") == 12                      # spaces around are forgiven
    for name in "bcdefg":                                   # "²", overflow, signs, decimals
        assert int_param(data, name) is None
    assert int_param(data, "missing", default=7) == 7
    assert int_param(data, "a", maximum=10) is None


def test_int_list_drops_what_is_not_an_id():
    data = QueryDict("p=1&p=%C2%B2&p=x&p=3&p=99999999999999999999")
    assert int_list(data, "p") == [1, 3]
