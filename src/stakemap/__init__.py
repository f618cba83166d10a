"""Stakemap: stakeholder mapping and coalition building."""

__version__ = "0.1.0"
