"""``in`` on integer columns ignores numbers the column can never hold.

Django answers ``pk=10**30`` with no rows (``IntegerFieldOverflow``) but passes
``pk__in=[10**30]`` to the database: SQLite raises ``OverflowError`` and every
``ModelMultipleChoiceField`` (newsletter lists, colleagues, sectors) turned a typed huge id
into a 500. Registered once for every integer field (``CoreConfig.ready``), so forms, the API
and selectors all answer "no such row" instead.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type())
            self.rhs = [v for v in self.rhs if not isinstance(v, int) or (
                (low is None or v >= low) and (high is None or v <= high))]
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerIn)
