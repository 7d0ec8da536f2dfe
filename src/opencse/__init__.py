"""OpenCSE: an open-source child support enforcement (IV-D) system."""

__version__ = "0.1.0"
