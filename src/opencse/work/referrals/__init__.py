"""Referrals of a party to outside resources (employment and fatherhood programs, legal aid) and their
outcomes; the agency's list of resources is a YAML file it edits (docs/disputes.md)."""
