"""Pieces of the data generator: one module per kind of data, each writing through `insert`."""
