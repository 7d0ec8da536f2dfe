"""Small files of each kind, made here: the signatures are those of the formats' specifications
(PDF 1.7 ISO 32000-1 7.5.2 "%PDF-"; PNG RFC 2083 section 3.1; JPEG SOI marker FF D8 then a marker FF;
TIFF 6.0 section 2 "II*\\0" / "MM\\0*")."""

from __future__ import annotations

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 16
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48  # a Windows PE header
