"""Invoices, credit notes and payments, in integer cents; TPS/TVQ on the taxable subtotal."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class IssuedInvoiceError(Exception):
    """A write that would change an issued invoice (corrections go through credit notes)."""


FROZEN_FIELDS = ("number", "organisation_id", "bill_to_name", "bill_to_address", "issued_on",
                 "subtotal_cents", "tps_cents", "tvq_cents", "total_cents", "tps_number",
                 "tvq_number", "language")


class Sequence(models.Model):
    """A gap-free counter per document kind and year, locked while a number is taken."""

    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="sequence_kind_year")]

    def __str__(self):
        return f"{self.kind}-{self.year}: {self.last_number}"


# What an invoice is for, by the prefix of its ``source`` (the apps that charge write it).
SOURCE_KINDS = {
    "membership": _("Membership"),
    "event-order": _("Event"),
    "advantage": _("Member advantage"),
    "booking": _("Pooled resource"),
}


class InvoiceQuerySet(models.QuerySet):
    def issued(self):
        return self.exclude(status=Invoice.Status.DRAFT)

    def open(self):
        return self.filter(status=Invoice.Status.ISSUED)

    def for_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def for_listing(self):
        """What a list of invoices shows: purpose (lines), balance (payments, credits)."""
        return self.prefetch_related("lines", "payments", "credit_notes")


class Invoice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled by credit note")

    number = models.CharField(_("number"), max_length=20, unique=True, null=True, blank=True)
    organisation = models.ForeignKey("members.Organisation", on_delete=models.PROTECT,
                                     related_name="invoices", verbose_name=_("organisation"))
    bill_to_name = models.CharField(_("billed to"), max_length=200)
    bill_to_address = models.TextField(_("billing address"), blank=True)
    bill_to_email = models.EmailField(_("billing email"), blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default="fr-ca")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    subtotal_cents = models.BigIntegerField(default=0)
    tps_cents = models.BigIntegerField(default=0)
    tvq_cents = models.BigIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    tps_number = models.CharField(max_length=30, blank=True)
    tvq_number = models.CharField(max_length=30, blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True,
                              help_text=_("What the invoice is for, e.g. membership:12"))
    notes = models.TextField(_("notes"), blank=True)
    pdf = models.FileField(upload_to="invoices/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(number__isnull=False),
                                   name="invoice_issued_has_number"),
        ]

    def __str__(self):
        return self.number or _("Draft invoice #%(pk)s") % {"pk": self.pk}

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def save(self, *args, **kwargs):
        if self.pk and "update_fields" not in kwargs:
            stored = Invoice.objects.filter(pk=self.pk).values(*FROZEN_FIELDS, "status").first()
            if stored and stored["status"] != self.Status.DRAFT:
                changed = [f for f in FROZEN_FIELDS if stored[f] != getattr(self, f)]
                if changed:
                    raise IssuedInvoiceError(f"issued invoice fields cannot change: {changed}")
        super().save(*args, **kwargs)

    def _sum(self, relation, field):
        # Lists prefetch payments and credit notes: add them up without a query per invoice.
        if relation in getattr(self, "_prefetched_objects_cache", {}):
            return sum(getattr(x, field) for x in getattr(self, relation).all())
        return getattr(self, relation).aggregate(s=Sum(field))["s"] or 0

    def paid_cents(self):
        return self._sum("payments", "amount_cents")

    def credited_cents(self):
        return self._sum("credit_notes", "total_cents")

    @property
    def taxable_subtotal_cents(self):
        """The base TPS and TVQ are computed on: the taxable lines' amounts."""
        return sum(ln.amount_cents for ln in self.lines.all() if ln.taxable)

    @property
    def kind(self):
        """What sort of sale this is, from ``source`` ("membership:12" -> Membership)."""
        prefix = self.source.partition(":")[0]
        return SOURCE_KINDS.get(prefix, _("Other"))

    @property
    def purpose(self):
        """What the invoice is for, in words, from what its lines say.

        A membership line names the type and the period; an event order's lines each read
        "event — ticket — person", so the event's name is what they share. Read from the
        lines (lists prefetch them: ``for_listing``) so billing needs to know no other app.
        """
        descriptions = [ln.description for ln in self.lines.all()]
        if not descriptions:
            return str(self.kind)
        if len(descriptions) == 1:
            return descriptions[0]
        heads = {d.split(" — ")[0] for d in descriptions}
        if len(heads) == 1:
            return _("%(what)s (%(count)s lines)") % {"what": heads.pop(),
                                                     "count": len(descriptions)}
        more = len(descriptions) - 1
        return ngettext("%(what)s and %(count)s other line", "%(what)s and %(count)s other lines",
                        more) % {"what": descriptions[0], "count": more}

    def balance_cents(self):
        return self.total_cents - self.paid_cents() - self.credited_cents()


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price_cents = models.BigIntegerField(_("unit price"))
    taxable = models.BooleanField(_("taxable"), default=True)
    amount_cents = models.BigIntegerField(default=0)
    tps_cents = models.BigIntegerField(default=0)
    tvq_cents = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.description

    def save(self, *args, **kwargs):
        if self.invoice_id and not Invoice.objects.filter(pk=self.invoice_id,
                                                          status=Invoice.Status.DRAFT).exists():
            raise IssuedInvoiceError("an issued invoice's lines never change")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self.invoice.is_draft:
            raise IssuedInvoiceError("an issued invoice's lines never change")
        return super().delete(*args, **kwargs)


class CreditNote(models.Model):
    """Corrects an issued invoice (which itself never changes)."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    issued_on = models.DateField(_("issue date"))
    reason = models.TextField(_("reason"))
    subtotal_cents = models.BigIntegerField(default=0)
    tps_cents = models.BigIntegerField(default=0)
    tvq_cents = models.BigIntegerField(default=0)
    total_cents = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")

    def __str__(self):
        return self.number


class CreditNoteLine(models.Model):
    credit_note = models.ForeignKey(CreditNote, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(max_length=300)
    amount_cents = models.BigIntegerField()
    tps_cents = models.BigIntegerField(default=0)
    tvq_cents = models.BigIntegerField(default=0)

    def __str__(self):
        return self.description


class Payment(models.Model):
    class Method(models.TextChoices):
        CHEQUE = "cheque", _("Cheque")
        TRANSFER = "transfer", _("Bank transfer")
        CARD = "card", _("Card at the office")
        ONLINE = "online", _("Online payment")
        CASH = "cash", _("Cash")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount_cents = models.BigIntegerField(_("amount"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 help_text=_("Cheque number, transfer confirmation…"))
    provider_id = models.CharField(max_length=120, blank=True, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["provider_id"], condition=~Q(provider_id=""),
                                    name="payment_unique_provider_id"),
        ]

    def __str__(self):
        return f"{self.invoice} {self.amount_cents}"
