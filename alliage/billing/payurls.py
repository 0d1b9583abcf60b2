from django.urls import path

from alliage.billing import payviews

app_name = "pay"

urlpatterns = [
    path("factures/<int:pk>/payer/", payviews.invoice_pay, name="invoice_pay"),
    # Before the payer's link: "stripe" is never a signed token.
    path("paiements/stripe/webhook/", payviews.stripe_webhook, name="stripe_webhook"),
    path("paiements/<str:token>/", payviews.pay_link, name="link"),
    path("paiements/<str:token>/merci/", payviews.pay_done, name="done"),
    path("paiements/<str:token>/annule/", payviews.pay_cancelled, name="cancelled"),
]
