from django.dispatch import Signal

# Sent after the transaction that settles an invoice commits; kwargs: invoice.
invoice_paid = Signal()
