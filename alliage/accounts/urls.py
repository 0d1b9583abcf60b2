from django.urls import path

from alliage.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("verification/", views.otp_verify, name="otp_verify"),
    path("double-authentification/", views.otp_setup, name="otp_setup"),
    path("profil/", views.profile, name="profile"),
    path("codes-de-secours/", views.backup_codes, name="backup_codes"),
    path("appareils/<int:device_id>/renommer/", views.device_rename, name="device_rename"),
    path("appareils/<int:device_id>/retirer/", views.device_remove, name="device_remove"),
    path("jetons/", views.token_create, name="token_create"),
    path("jetons/nouveau/", views.token_created, name="token_created"),
    path("jetons/<int:token_id>/revoquer/", views.token_revoke, name="token_revoke"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/nouvelle/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/retirer/", views.invitation_revoke, name="invitation_revoke"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("mot-de-passe/", views.password_reset, name="password_reset"),
    path("mot-de-passe/envoye/", views.password_reset_done, name="password_reset_done"),
    path("reinitialiser/<uidb64>/<token>/", views.password_reset_confirm,
         name="password_reset_confirm"),
    path("reinitialiser/termine/", views.password_reset_complete,
         name="password_reset_complete"),
]
