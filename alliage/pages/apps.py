from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "alliage.pages"
    label = "pages"
    verbose_name = _("Public site")

    def ready(self):
        from alliage.core import nav

        nav.register_staff_link("association", _("Site pages"), "pages:staff_pages", order=15)
        nav.register_footer_links("pages", _footer)
        from django.db.models.signals import post_delete, post_save

        from alliage.pages.models import ContactTopic, Page

        for model in (Page, ContactTopic):
            for signal in (post_save, post_delete):
                signal.connect(_forget_footer, sender=model,
                               dispatch_uid=f"pages.footer.{model.__name__}.{signal}")
        from alliage.pages import privacy

        privacy.register()
        from alliage.core import home
        from alliage.pages import home_blocks

        home.register_section("pages", home_blocks.pages_section, order=35)
        home.register_chooser(home_blocks.choose)
        for signal in (post_save, post_delete):
            signal.connect(home.bump, sender=Page, dispatch_uid=f"pages.home.{signal}")


# The footer's links, per language, kept in this process a minute (every page shows them;
# a page or subject saved here forgets them at once, other processes within the minute).
_FOOTER_SECONDS = 60
_footer_memo: dict = {}


def _footer():
    """The site's pages in the menu, and the contact form, for the footer."""
    import time

    from django.urls import reverse
    from django.utils.translation import get_language

    from alliage.pages.models import ContactTopic, Page

    language = get_language()
    kept = _footer_memo.get(language)
    if kept and kept[0] > time.monotonic():
        return kept[1]
    links = [{"label": str(p.title), "url": p.get_absolute_url()} for p in Page.objects.filter(
        status=Page.Status.PUBLISHED, menu_position__isnull=False)]
    if ContactTopic.objects.exists():
        links.append({"label": str(_("Contact us")), "url": reverse("pages:contact")})
    _footer_memo[language] = (time.monotonic() + _FOOTER_SECONDS, links)
    return links


def _forget_footer(**kwargs):
    _footer_memo.clear()
