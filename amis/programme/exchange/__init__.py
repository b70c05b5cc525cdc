"""The programme file format (amis-programme/1): reading, checking, importing and exporting it.

See docs/programme-format.md. The canonical document (a plain dict) is also what the rules in
`amis.programme.rules` read, so a file is checked by exactly the rules a stored version is.
"""
