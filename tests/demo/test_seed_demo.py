"""`make run` loads the demo region with `seed_demo`: it must work on an empty database and
change nothing when run again."""

import io

from django.core.management import call_command


def test_seed_demo_builds_the_region_and_is_idempotent(db, settings, tmp_path):
    from alliage.mailing.models import Campaign
    from alliage.members.models import Organisation, Site
    from alliage.symbiosis.models import Characterisation, Introduction, Stream, Synergy

    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True  # what `make run` sets; the test runner turns it off
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo region ready" in out.getvalue()
    counts = {
        "organisations": Organisation.objects.count(), "streams": Stream.objects.count(),
        "sites": Site.objects.count(), "characterisations": Characterisation.objects.count(),
        "introductions": Introduction.objects.count(), "synergies": Synergy.objects.count(),
        "campaigns": Campaign.objects.count()}
    assert counts["organisations"] >= 300
    assert counts["streams"] >= 12 and counts["sites"] >= 4
    assert counts["characterisations"] == 3 and counts["synergies"] == 1
    assert Stream.objects.filter(site__isnull=False).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == {
        "organisations": Organisation.objects.count(), "streams": Stream.objects.count(),
        "sites": Site.objects.count(), "characterisations": Characterisation.objects.count(),
        "introductions": Introduction.objects.count(), "synergies": Synergy.objects.count(),
        "campaigns": Campaign.objects.count()}
