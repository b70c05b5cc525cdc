"""Fund rules for national programmes, in plain Python (no Django import).

Each rule works on the canonical programme document (the dict the exchange format and the exporter
produce), cites its legal source, and returns `Finding`s. Keeping the rules free of the ORM lets the
same code check a file before import and a stored version, and lets hypothesis test the arithmetic.
"""
