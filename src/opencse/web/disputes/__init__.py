"""Disputes and referrals to outside resources on the web."""
