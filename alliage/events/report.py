"""The activity report's "activities" and "training" sections (alliage.core.reporting)."""

from django.utils.translation import gettext_lazy as _

from alliage.core import reporting


def activities(start, end):
    from alliage.events import stats
    from alliage.events.models import Event

    events = {e.pk: e for e in Event.objects.filter(starts_at__date__range=(start, end))
              .exclude(status=Event.Status.DRAFT)
              # Cohorts have their own section, assemblies the governance one.
              .exclude(kind__in=[Event.Kind.TRAINING, Event.Kind.ASSEMBLY])}
    rows = [r for r in stats.per_event_rows(start, end) if r["pk"] in events]
    for row in rows:
        event = events[row["pk"]]
        row.update(title_fr=event.title_fr, title_en=event.title_en,
                   cancelled=event.status == Event.Status.CANCELLED)
        # Participants: confirmed registrations (``present``: those checked in at the door).
        row["participants"] = row["registered"]
    kinds = {}
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    return {"events": len(rows), "participants": sum(r["participants"] for r in rows),
            "checked_in": sum(r["present"] for r in rows),
            "event_list": rows, "by_kind": sorted(kinds.items())}


def activities_charts(figures):
    """The largest activities (a dozen at most: a chart of a hundred bars says nothing, the
    table above lists them all), then the participants per kind of activity."""
    from alliage.events.models import Event

    english = _english()
    rows = sorted(figures["event_list"], key=lambda r: -r["participants"])[:12]
    kinds = {}
    for row in figures["event_list"]:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + row["participants"]
    labels = dict(Event.Kind.choices)
    return [
        reporting.bar_chart(_("Participants per activity"),
                            [((r.get("title_en") or r["title_fr"]) if english else r["title_fr"],
                              r["participants"]) for r in rows]),
        reporting.bar_chart(_("Participants per kind of activity"),
                            [(str(labels.get(k, k)), n) for k, n in
                             sorted(kinds.items(), key=lambda kv: -kv[1])]),
    ]


def _english():
    from django.utils.translation import get_language

    return (get_language() or "fr").startswith("en")


def training(start, end):
    from alliage.events import stats
    from alliage.events.models import Event

    figures = stats.training(start, end)
    titles = {e.title_fr: e.title_en for e in Event.objects.filter(
        kind=Event.Kind.TRAINING, starts_at__date__range=(start, end))}
    for row in figures["cohorts"]:
        row["title_fr"], row["title_en"] = row["event"], titles.get(row["event"], "")
    return figures


reporting.register(reporting.Section(
    key="activities", title=_("Activities"), order=30, template="events/report_activities.html",
    collect=activities, charts=activities_charts))
reporting.register(reporting.Section(
    key="training", title=_("Training"), order=35, template="events/report_training.html",
    collect=training))
