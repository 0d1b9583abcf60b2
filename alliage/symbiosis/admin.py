from django.contrib import admin

from alliage.symbiosis.models import ImpactFactor, Stream, Synergy

admin.site.register(ImpactFactor)
admin.site.register(Stream)
admin.site.register(Synergy)
