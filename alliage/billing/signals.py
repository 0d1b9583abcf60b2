from django.dispatch import Signal

# Sent inside the transaction that settles an invoice, so that what receivers write
# (a membership turning active, a registration confirmed) commits or fails with it.
# kwargs: invoice.
invoice_paid = Signal()
