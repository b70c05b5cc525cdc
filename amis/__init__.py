"""AMIS: management information system for EU home-affairs fund national programmes."""
