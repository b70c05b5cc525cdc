"""Double-funding check between AMIF applications and the projects of the other EU funds (ESF, ISF).

Plain Python on purpose (no Django): the officer's import screen and the flagging job call it, and it is
tested without a database. The rule it serves is Regulation (EU) 2021/1060 Art. 63(9) and AMIF national
programme BE section 6.6 (no double funding): the same expenditure may not be paid twice from the EU
budget, so an AMIF application whose beneficiary has an overlapping project in another fund is flagged
for an officer to clear with a reason.
"""

from amis.integrity.rules.match import find_flags, similarity
from amis.integrity.rules.parse import read_projects
from amis.integrity.rules.records import (
    ApplicationRecord,
    Flag,
    ImportResult,
    OtherFundProject,
    RowError,
)

__all__ = [
    "ApplicationRecord",
    "Flag",
    "ImportResult",
    "OtherFundProject",
    "RowError",
    "find_flags",
    "read_projects",
    "similarity",
]
