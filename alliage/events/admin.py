from django.contrib import admin

from alliage.events.models import (
    Event,
    Registration,
    Session,
    Sponsor,
    TicketType,
    WaitlistEntry,
)


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


class TicketTypeInline(admin.TabularInline):
    model = TicketType
    extra = 1


class SponsorInline(admin.TabularInline):
    model = Sponsor
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "kind", "starts_at", "status", "capacity", "members_only"]
    list_filter = ["kind", "status"]
    search_fields = ["title_fr", "title_en"]
    prepopulated_fields = {"slug": ["title_fr"]}
    inlines = [SessionInline, TicketTypeInline, SponsorInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["contact", "event", "status", "checked_in_at"]
    list_filter = ["status", "event"]
    readonly_fields = ["status", "order", "code", "price_cents"]  # services change them


@admin.register(WaitlistEntry)
class WaitlistAdmin(admin.ModelAdmin):
    list_display = ["contact", "event", "status", "joined_at", "offer_expires_at"]
    list_filter = ["status"]
