"""Surveys' writes: building, opening, answering, closing."""

import hashlib
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliage.core import audit
from alliage.core.roles import is_member
from alliage.members.models import Organisation
from alliage.surveys.models import Draft, Participation, Response, Survey, segment_members


@transaction.atomic
def survey_save(*, form, actor, request=None):
    """Create or update a survey from its valid form; audited."""
    creating = form.instance.pk is None
    before = {} if creating else audit.snapshot(Survey.objects.get(pk=form.instance.pk))
    survey = form.save(commit=False)
    if creating:
        survey.created_by = actor
    survey.save()
    audit.record(actor=actor, action="survey.create" if creating else "survey.update",
                 obj=survey, changes=audit.diff(before, audit.snapshot(survey)),
                 request=request)
    return survey


@transaction.atomic
def question_save(*, form, actor, request=None):
    """Add or change a question (not once the survey has responses: answers would lie)."""
    survey = form.survey
    if survey.responses.exists():
        raise ValidationError(_("The survey already has responses: its questions are fixed."))
    question = form.save(commit=False)
    question.survey = survey
    question.save()
    audit.record(actor=actor, action="survey.question", obj=survey,
                 changes={"question": ["", question.text_fr]}, request=request)
    return question


@transaction.atomic
def question_delete(*, question, actor, request=None):
    """Remove a question of a survey without responses."""
    survey = question.survey
    if survey.responses.exists():
        raise ValidationError(_("The survey already has responses: its questions are fixed."))
    audit.record(actor=actor, action="survey.question_delete", obj=survey,
                 changes={"question": [question.text_fr, ""]}, request=request)
    question.delete()


@transaction.atomic
def survey_open(*, survey, actor, request=None):
    """Publish a draft: it takes responses between its dates."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("Only a draft can be opened."))
    if not survey.questions.exclude(kind="section").exists():
        raise ValidationError(_("Add at least one question first."))
    survey.status = Survey.Status.OPEN
    survey.save(update_fields=["status"])
    audit.record(actor=actor, action="survey.open", obj=survey, request=request)
    return survey


@transaction.atomic
def survey_close(*, survey, actor, request=None):
    """Close a survey for good. An anonymous survey's responses are rewritten in random
    order with new random ids, so nothing about them follows the order they came in."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = Survey.Status.CLOSED
    if survey.closes_at > timezone.now():
        survey.closes_at = timezone.now()
    survey.save(update_fields=["status", "closes_at"])
    # Unfinished drafts can no longer be sent: they go, with the link to their author.
    Draft.objects.filter(survey=survey).delete()
    if survey.anonymous:
        shuffle_rows(Response.objects.filter(survey=survey))
        shuffle_rows(Participation.objects.filter(survey=survey))
    audit.record(actor=actor, action="survey.close", obj=survey, request=request)
    return survey


def shuffle_rows(queryset):
    """Delete and re-insert rows in random order with new random primary keys (UUID)."""
    model = queryset.model
    rows = list(queryset)
    random.SystemRandom().shuffle(rows)
    queryset.delete()
    for row in rows:
        row.pk = None
        row.id = model._meta.pk.default()
    model.objects.bulk_create(rows)
    return len(rows)


def size_band(employees):
    if not employees:
        return ""
    if employees < 20:
        return "1-19"
    if employees < 100:
        return "20-99"
    return "100+"


def broad_sector(organisation):
    """The organisation's two-digit SCIAN sector (cross-tabs by sector stay readable)."""
    from alliage.members.models import Sector

    if not organisation.primary_sector_id:
        return ""
    code = organisation.primary_sector.code[:2]
    top = Sector.objects.filter(code=code).values_list("name_fr", flat=True).first()
    return top or organisation.primary_sector.name_fr


def respondent(user, survey):
    """(contact, organisation) answering ``survey`` for ``user``; PermissionDenied when the
    audience leaves them out. Staff without a person record cannot answer."""
    contact_id = getattr(user, "contact_id", None)
    organisation = None
    if contact_id:
        mine = Organisation.objects.members().of_user(user)
        if survey.audience == Survey.Audience.SEGMENT:
            # Someone of two member companies answers for the one in the segment.
            mine = mine.filter(pk__in=segment_members(survey.segment).values("pk"))
        organisation = (mine.select_related("primary_sector", "municipality")
                        .order_by("pk").first())
    if survey.audience == Survey.Audience.MEMBERS:
        if not (is_member(user) and contact_id and organisation):
            raise PermissionDenied(_("This survey is for member companies."))
    elif survey.audience == Survey.Audience.SEGMENT:
        if not (is_member(user) and contact_id and organisation):
            raise PermissionDenied(_("This survey is for some member companies only."))
    elif survey.audience == Survey.Audience.ATTENDEES and (
            not contact_id or not survey.event.registrations.filter(
                contact_id=contact_id, status="confirmed").exists()):
        raise PermissionDenied(_("This survey is for the event's attendees."))
    if survey.per == Survey.Per.ORGANISATION and organisation is None:
        raise PermissionDenied(_("This survey takes one response per member company."))
    return (user.contact if contact_id else None), organisation


def visitor_hash(key):
    return hashlib.sha256(f"survey-visitor:{key}".encode()).hexdigest() if key else ""


def already_answered(survey, *, contact=None, organisation=None, visitor_key=""):
    qs = Participation.objects.filter(survey=survey)
    if survey.per == Survey.Per.ORGANISATION and organisation is not None:
        return qs.filter(organisation=organisation).exists()
    if contact is not None:
        return qs.filter(contact=contact).exists()
    return bool(visitor_key) and qs.filter(visitor=visitor_hash(visitor_key)).exists()


def response_submit(*, survey, contact, organisation, answers, visitor_key=""):
    """Store one response and its participation in one transaction; a second response by
    the same person (or organisation, as the survey is configured) is refused, also when
    both arrive at once (unique constraints)."""
    if not survey.is_open():
        raise ValidationError(_("This survey is not open."))
    per_org = survey.per == Survey.Per.ORGANISATION
    participation = Participation(
        survey=survey, contact=None if per_org else contact,
        organisation=organisation if per_org else None,
        visitor=visitor_hash(visitor_key) if contact is None else "")
    profile = {}
    if organisation is not None:
        profile = {"sector": broad_sector(organisation),
                   "size": size_band(organisation.employees),
                   "town": organisation.municipality.name if organisation.municipality_id
                   else ""}
    if survey.anonymous:
        response = Response(survey=survey, answers=answers, **profile)
    else:
        response = Response(survey=survey, answers=answers, contact=contact,
                            organisation=organisation, submitted_on=timezone.localdate(),
                            **profile)
    try:
        with transaction.atomic():
            if survey.anonymous:
                Survey.objects.select_for_update().get(pk=survey.pk)   # one at a time
            participation.save(force_insert=True)
            response.save(force_insert=True)
            _drafts_of(survey, contact, visitor_key).delete()
            if per_org and organisation is not None:
                # The company has answered: its people's drafts can no longer be sent.
                Draft.objects.filter(survey=survey, contact__affiliations__organisation=(
                    organisation)).delete()
            if survey.anonymous:
                # While the survey is open too, nothing physical pairs the two rows written
                # together (insertion order, PostgreSQL's xmin): all are written again in
                # random order, as at close (decision 0010).
                shuffle_rows(Response.objects.filter(survey=survey))
                shuffle_rows(Participation.objects.filter(survey=survey))
    except IntegrityError:
        raise ValidationError(_("A response was already given for you or your company.")) \
            from None
    return response


def _drafts_of(survey, contact, visitor_key):
    if contact is not None:
        return Draft.objects.filter(survey=survey, contact=contact)
    if visitor_key:
        return Draft.objects.filter(survey=survey, contact=None,
                                    visitor=visitor_hash(visitor_key))
    return Draft.objects.none()


def draft_for(survey, *, contact=None, visitor_key=""):
    """The answers this person (or browser) saved to finish later, or None."""
    return _drafts_of(survey, contact, visitor_key).first()


@transaction.atomic
def draft_save(*, survey, contact=None, visitor_key="", answers):
    """Keep partly given answers to finish later (one draft per person or browser; saving
    again replaces it). Only while the survey is open and not answered yet."""
    if not survey.is_open():
        raise ValidationError(_("This survey is not open."))
    if contact is None and not visitor_key:
        raise ValidationError(_("Your answers cannot be kept: your browser refuses cookies."))
    draft = _drafts_of(survey, contact, visitor_key).select_for_update().first()
    if draft is None:
        draft = Draft(survey=survey, contact=contact,
                      visitor="" if contact is not None else visitor_hash(visitor_key))
    draft.answers = answers
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:   # saved twice at once: the other save stands
        raise ValidationError(
            _("Your answers were being saved already; try again.")) from None
    return draft


def invitation_recipients(survey):
    """(contact, organisation) to invite: for a members' (or a segment's) survey every
    current person of a member organisation (of the segment; only its administrators when
    one response per organisation), for
    an event's survey its confirmed attendees; a public survey has no list."""
    from alliage.members.models import Affiliation

    if survey.audience in (Survey.Audience.MEMBERS, Survey.Audience.SEGMENT):
        organisations = Organisation.objects.members()
        if survey.audience == Survey.Audience.SEGMENT:
            organisations = segment_members(survey.segment)
        rows = Affiliation.objects.filter(organisation__in=organisations,
                                          ended_on__isnull=True)
        if survey.per == Survey.Per.ORGANISATION:
            rows = rows.filter(is_admin=True)
        return [(a.contact, a.organisation) for a in rows.exclude(contact__email="")
                .select_related("contact", "organisation").order_by("pk")]
    if survey.audience == Survey.Audience.ATTENDEES:
        registrations = survey.event.registrations.filter(status="confirmed").exclude(
            contact__email="").select_related("contact", "order__organisation").order_by("pk")
        return [(r.contact, r.order.organisation) for r in registrations]
    return []


@transaction.atomic
def survey_invite(*, survey, actor, reminder=False, request=None):
    """Mail the survey to its audience; a reminder goes only to those who have not answered
    yet (known from the participations, never from the responses). Each message is keyed,
    so inviting twice mails no one twice; a reminder is one per day at most."""
    from alliage.core.mail import queue_email

    if not survey.is_open():
        raise ValidationError(_("Invitations go out while the survey is open."))
    answered_people = set(survey.participations.exclude(contact=None)
                          .values_list("contact_id", flat=True))
    answered_orgs = set(survey.participations.exclude(organisation=None)
                        .values_list("organisation_id", flat=True))
    suffix = f"reminder-{timezone.localdate().isoformat()}" if reminder else "invitation"
    sent = 0
    for contact, organisation in invitation_recipients(survey):
        if reminder and (contact.pk in answered_people or
                         (organisation is not None and organisation.pk in answered_orgs)):
            continue
        queue_email(key=f"survey-{survey.pk}-{suffix}-{contact.pk}", to=contact.email,
                    template="survey_invitation",
                    context={"survey": survey, "organisation": organisation,
                             "reminder": reminder},
                    language=contact.language or None, organisation=organisation)
        sent += 1
    audit.record(actor=actor, action="survey.remind" if reminder else "survey.invite",
                 obj=survey, changes={"recipients": ["", str(sent)]}, request=request)
    return sent
