"""The correspondence log of a case on the web: the list, logging an entry with its scans, viewing a scan."""
