"""Masarat: the platform of a national referral mechanism for victims of trafficking."""

__version__ = "0.1.0"
