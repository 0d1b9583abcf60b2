from django.contrib import admin

from alliage.members.models import (
    Affiliation,
    Contact,
    FeeBand,
    Membership,
    MembershipType,
    Organisation,
    Sector,
    Segment,
    Tag,
)


class FeeBandInline(admin.TabularInline):
    model = FeeBand
    extra = 1


@admin.register(MembershipType)
class MembershipTypeAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "code", "fee_rule", "period_kind", "grace_days", "is_active"]
    inlines = [FeeBandInline]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en"]
    search_fields = ["code", "name_fr", "name_en"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["contact"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "member_status", "municipality", "employees"]
    list_filter = ["member_status", "municipality"]
    search_fields = ["legal_name", "trade_name", "neq"]
    inlines = [AffiliationInline]
    readonly_fields = ["member_status", "member_since"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email"]
    search_fields = ["last_name", "first_name", "email"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "membership_type", "period_start", "period_end", "status"]
    list_filter = ["status", "membership_type"]
    search_fields = ["organisation__legal_name"]
    readonly_fields = ["status", "invoice"]  # statuses change through services (audited)


admin.site.register(Segment)
