"""The statistics of the audit of operations — plain Python, no Django.

Money and statistics are `Decimal` in one fixed context (`working.CONTEXT`, 34 digits), never float;
money is rounded to the cent at the end of each figure, sample sizes up to the next whole unit.
Every computation returns its working (`working.Step`: label, formula, values substituted, result,
citation) so a page can show how each figure was reached.

Sources. "Guidance" is the Commission's *Guidance on sampling methods for audit authorities*
(EGESIF_16-0014-01, 20.1.2017, programming periods 2007-2013 and 2014-2020, applied by the
Commission to 2021-2027 alongside the Delegated Regulation); "2023/67" is Commission Delegated
Regulation (EU) 2023/67 (standardised off-the-shelf sampling methodologies for 2021-2027, under
Art. 79(4) of Regulation (EU) 2021/1060). Only the guidance's table of contents could be read while
this was written (sections 3.2 "Assurance/confidence level for the audit of operations", 4
"Statistical concepts", 5 "Sampling methods", 6 "Selection/evaluation per method", 7 "Special
topics"): where a docstring names a section of 6 or 7 it follows the numbering of the 2017 edition
as the author knows it, and each formula is written out so that a reader can check it against the
text. Where AMIS derived a formula itself (two-period allocation, the Poisson factors), the
docstring says so.
"""
