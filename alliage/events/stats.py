"""Event figures for dashboards and the yearly report."""

from django.db.models import Count, Q, Sum

from alliage.events.models import Event, Registration


def per_event(start, end):
    """Registrations, attendance rate, member share and revenue (cents) per event."""
    return [{k: v for k, v in row.items() if k != "pk"} for row in per_event_rows(start, end)]


def per_event_rows(start, end):
    """The same rows with each event's primary key (one query whatever the number)."""
    events = (Event.objects.filter(starts_at__date__range=(start, end))
              .exclude(status=Event.Status.DRAFT)
              .annotate(
                  registered=Count("registrations", filter=Q(
                      registrations__status=Registration.Status.CONFIRMED)),
                  present=Count("registrations", filter=Q(
                      registrations__checked_in_at__isnull=False)),
                  members=Count("registrations", filter=Q(
                      registrations__status=Registration.Status.CONFIRMED,
                      registrations__order__is_member_price=True)),
                  revenue=Sum("registrations__price_cents", filter=Q(
                      registrations__status=Registration.Status.CONFIRMED)))
              .order_by("starts_at"))
    rows = []
    for e in events:
        rows.append({
            "pk": e.pk, "event": e.title, "kind": e.kind, "date": e.starts_at.date(),
            "registered": e.registered, "present": e.present, "members": e.members,
            "attendance_rate": round(e.present / e.registered, 3) if e.registered else None,
            "member_share": round(e.members / e.registered, 3) if e.registered else None,
            "revenue_cents": e.revenue or 0})
    return rows


def totals(start, end):
    rows = per_event(start, end)
    return {"events": len(rows), "registrations": sum(r["registered"] for r in rows),
            "present": sum(r["present"] for r in rows),
            "revenue_cents": sum(r["revenue_cents"] for r in rows)}


def per_period(start, end):
    """The same figures summed per calendar month (for the report's charts and tables)."""
    months = {}
    for row in per_event(start, end):
        key = row["date"].replace(day=1)
        m = months.setdefault(key, {"month": key, "events": 0, "registered": 0, "present": 0,
                                    "members": 0, "revenue_cents": 0})
        m["events"] += 1
        m["registered"] += row["registered"]
        m["present"] += row["present"]
        m["members"] += row["members"]
        m["revenue_cents"] += row["revenue_cents"]
    for m in months.values():
        m["attendance_rate"] = round(m["present"] / m["registered"], 3) if m["registered"] \
            else None
        m["member_share"] = round(m["members"] / m["registered"], 3) if m["registered"] \
            else None
    return [months[k] for k in sorted(months)]


def by_kind(start, end):
    """Events and registrations per kind of event."""
    kinds = {}
    for row in per_event(start, end):
        k = kinds.setdefault(row["kind"], {"kind": row["kind"], "events": 0, "registered": 0,
                                           "present": 0})
        k["events"] += 1
        k["registered"] += row["registered"]
        k["present"] += row["present"]
    return sorted(kinds.values(), key=lambda k: -k["registered"])


def training(start, end):
    """Training cohorts starting between two dates: participants, certificates, hours."""
    from alliage.events.models import Certificate

    cohorts = (Event.objects.filter(kind=Event.Kind.TRAINING, starts_at__date__range=(start, end))
               .exclude(status=Event.Status.DRAFT)
               .annotate(participants=Count("registrations", filter=Q(
                   registrations__status=Registration.Status.CONFIRMED)),
                   certificates=Count("registrations__certificate"),
                   hours=Sum("registrations__certificate__hours"))
               .order_by("starts_at"))
    rows = [{"event": c.title, "date": c.starts_at.date(), "ends": c.ends_at.date(),
             "municipality": c.venue_name, "participants": c.participants,
             "certificates": c.certificates, "hours": c.hours or 0} for c in cohorts]
    issued = Certificate.objects.filter(issued_at__date__range=(start, end))
    return {"cohorts": rows, "participants": sum(r["participants"] for r in rows),
            "certificates": sum(r["certificates"] for r in rows),
            "training_hours": sum(r["hours"] for r in rows),
            "certificates_issued_in_period": issued.count()}


def for_period(start, end):
    """Events between two dates: totals, each event, per kind, and the training figures."""
    rows = per_event(start, end)
    return {"events": len(rows), "registrations": sum(r["registered"] for r in rows),
            "present": sum(r["present"] for r in rows),
            "revenue_cents": sum(r["revenue_cents"] for r in rows),
            "per_event": rows, "training": training(start, end)}
