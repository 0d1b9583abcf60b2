"""Logged-in clients for benchmarks: real database sessions, as a login would create."""


def member_cookies(count, organisations, prefix="member"):
    """Create ``count`` people (one account each) spread over ``organisations``; return
    their session cookies (``"sessionid=…"``)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    # The configured engine, as a login uses (cached_db with Redis: cache and database).
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806

    from alliage.accounts.models import User
    from alliage.members.models import Affiliation, Contact

    cookies = []
    for i in range(count):
        contact = Contact.objects.create(first_name="P", last_name=str(i),
                                         email=f"{prefix}{i}@bench.example")
        Affiliation.objects.create(contact=contact,
                                   organisation=organisations[i % len(organisations)])
        user = User.objects.create(email=contact.email, contact=contact, password="!")
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "alliage.accounts.backends.EmailBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies
