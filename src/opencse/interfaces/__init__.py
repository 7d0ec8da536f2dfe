"""File formats in and out of OpenCSE (design/architecture.md): pure Python, no Django.

Each module is imported on its own, in any order: `payments` (records, amounts, SSN masking) imports no
other format; `ded` (the DED segment) and `nacha_layout` (record positions) build on it; `nacha` reads
CCD+ files and writes every credit file (`nacha_ppd`, `nacha_interstate`); `payments_csv` reads the CSV.
"""
