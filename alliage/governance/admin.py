"""The board's seats are kept through the admin for now; ballots never appear here."""

from django.contrib import admin

from alliage.governance.models import BoardMember


@admin.register(BoardMember)
class BoardMemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "role", "organisation", "term_start", "term_end")
    list_filter = ("role",)
    raw_id_fields = ("contact", "organisation", "election")
