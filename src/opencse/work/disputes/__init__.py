"""Disputes a party raises about a case (debt, payment, identity, paternity, enforcement): evidence, notes,
resolution, an adjustment through the two-person approval, the result letter (docs/disputes.md)."""
