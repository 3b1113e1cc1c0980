"""Reusable widgets that own their rendering."""
