"""Per-language formats (FORMAT_MODULE_PATH): Django's own, with the choices of docs/translations.md.

Dates are European in every language (English writes `31 December 2027` and `31/12/2027`, never the
US `12/31/2027`); every language also reads ISO `2027-12-31`. Number marks match `amis.core.numbers`
(CLDR), so `{{ value|floatformat }}` and Django's localisation agree with the money filters.
"""
