"""Arshif (أرشيف): a search engine for Arabic news archives."""

__version__ = "0.1.0"
