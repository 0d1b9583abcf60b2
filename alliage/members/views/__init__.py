"""Members' pages, one module per audience: ``directory`` (public directory), ``self_service``
(a member-company admin's own organisation, the membership application), ``people`` (a
person's own data and the staff's people pages), ``crm`` (staff CRM) and ``imports`` (staff
CSV/XLSX import). URLs in ``alliage.members.urls``."""
