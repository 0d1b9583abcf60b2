"""Demo logins: two staff, one member-company admin, one member contact."""

from alliage.accounts.models import User
from alliage.members.seed import demo_person

DEMO_PASSWORD = "alliage-demo-2026"

DEMO_USERS = [
    # email, first, last, staff, board, org slug or None, company admin
    ("direction@alliage02.example", "Dominique", "Tremblay", True, False, None, False),
    ("communications@alliage02.example", "Camille", "Gagnon", True, False, None, False),
    ("admin@usinage-du-fjord.example", "Sylvie", "Bouchard", False, True,
     "usinage-du-fjord-inc", True),
    ("contact@usinage-du-fjord.example", "Olivier", "Simard", False, False,
     "usinage-du-fjord-inc", False),
]


def seed_users():
    """Create the demo logins that do not exist yet (idempotent).

    An existing account is left exactly as it is: its password, flags and person are never
    reset to the published demo ones (a login someone changed stays theirs).
    """
    users = []
    for email, first, last, staff, board, org_slug, admin in DEMO_USERS:
        contact = demo_person(email=email, first_name=first, last_name=last,
                              organisation_slug=org_slug, admin=admin)
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last, is_staff=staff,
                        is_board_member=board, contact=contact,
                        is_superuser=staff and email.startswith("direction"))
            user.set_password(DEMO_PASSWORD)
            user.save()
        users.append(user)
    return users


def seed():
    """The demo's accounts part (``alliage.demo.seeds``): its logins."""
    seed_users()
    return []
