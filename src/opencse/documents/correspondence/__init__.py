"""The correspondence log: every letter, call, email, fax, portal message and agency exchange on a case, in
and out, with its scans stored outside the web root (docs/correspondence.md)."""
