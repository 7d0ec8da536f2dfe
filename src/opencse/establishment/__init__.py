"""Establishment: guideline worksheets, proposed obligations and the administrative order they become."""
