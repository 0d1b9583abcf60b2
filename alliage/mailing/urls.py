from django.urls import path

from alliage.mailing import views

app_name = "mailing"
urlpatterns = [
    path("infolettre/", views.subscribe, name="subscribe"),
    path("infolettre/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("infolettre/preferences/<str:token>/", views.preferences, name="preferences"),
    path("infolettre/desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("infolettre/o/<str:token>/", views.track_open, name="track_open"),
    path("infolettre/c/<str:token>/<int:position>/", views.track_click, name="track_click"),
    path("infolettre/archives/", views.archive, name="archive"),
    path("infolettre/archives/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("nouvelles/", views.posts, name="posts"),
    path("nouvelles/flux.xml", views.PostFeed(), name="feed"),
    path("nouvelles/<slug:slug>/", views.post_detail, name="post"),
    path("gestion/infolettres/", views.dashboard, name="dashboard"),
    path("gestion/infolettres/nouvelle/", views.campaign_edit, name="campaign_create"),
    path("gestion/infolettres/images/", views.images, name="images"),
    path("gestion/infolettres/apercu-direct/", views.live_preview, name="live_preview"),
    path("gestion/infolettres/apercu-lien/", views.preview_link, name="preview_link"),
    path("gestion/infolettres/<int:pk>/", views.campaign_detail, name="campaign"),
    path("gestion/infolettres/<int:pk>/modifier/", views.campaign_edit, name="campaign_edit"),
    path("gestion/infolettres/<int:pk>/apercu/", views.campaign_preview, name="preview"),
    path("gestion/infolettres/<int:pk>/action/", views.campaign_action, name="action"),
    path("gestion/infolettres/rebonds/", views.bounce_import, name="bounce_import"),
    path("gestion/infolettres/consentements/", views.ledger, name="ledger"),
    path("gestion/nouvelles/", views.post_list, name="post_list"),
    path("gestion/nouvelles/nouvelle/", views.post_edit, name="post_create"),
    path("gestion/nouvelles/<int:pk>/", views.post_edit, name="post_edit"),
]
