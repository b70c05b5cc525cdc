"""Signals of the projects stage, for the stages after it (which projects must not import).

`agreement_version_signed`: sent when a grant agreement version comes into force (both signatures
and the signed scan recorded), inside that transaction, with `version` and `actor`.
`amis.reporting` receives it and makes or moves the reports of the version's calendar.
"""

from django.dispatch import Signal

agreement_version_signed = Signal()
