"""Every change a user can make, as a named function over a store transaction.

Screens and CLI commands call these; none builds or mutates records itself.
"""
