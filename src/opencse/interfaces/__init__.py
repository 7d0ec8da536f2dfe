"""File formats in and out of OpenCSE (design/architecture.md): pure Python, no Django.

`payments` is imported first on purpose: the NACHA and CSV modules import its records, and it
re-exports their readers, so it must be initialised before either of them.
"""

from opencse.interfaces import payments as payments
