"""Signals of the selection stage, for the stages after it (which selection must not import).

`application_selected`: sent when the Monitoring Committee's approval of an application is applied
(closing the meeting), inside that transaction, with `application`, `decision` and `actor`.
`amis.projects` receives it and makes the project; a receiver that fails rolls the whole closing
back, so an approval never stands without its project.
"""

from django.dispatch import Signal

application_selected = Signal()
