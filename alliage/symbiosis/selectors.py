"""Who may see which streams; who to tell about them (shared by pages, API and jobs)."""

from alliage.core.roles import is_member, is_staff
from alliage.members.models import Contact, Organisation
from alliage.symbiosis.models import Stream


def managed_ids(user):
    """Organisations the user administers."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organisation.objects.administered_by(user).values_list("pk", flat=True))


def visible_streams(user):
    return Stream.objects.visible_to(user, is_staff=is_staff(user), is_member=is_member(user),
                                     organisation_ids=managed_ids(user))


FACILITATE_MIN_SCORE = 0.4


def to_facilitate():
    """Matches between published streams worth an introduction that nobody has acted on yet
    (the symbiosis dashboard lists the best; the staff dashboard counts them)."""
    from alliage.symbiosis.models import Match

    return Match.objects.current().filter(
        offer__status=Stream.Status.PUBLISHED, need__status=Stream.Status.PUBLISHED,
        score__gte=FACILITATE_MIN_SCORE).exclude(introductions__isnull=False)


def admin_contacts(organisation):
    """The organisation's current administrators with an email address."""
    return Contact.objects.filter(affiliations__organisation=organisation,
                                  affiliations__is_admin=True,
                                  affiliations__ended_on__isnull=True).exclude(email="")
