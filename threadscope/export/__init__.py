"""Exports: the versioned JSON document and the formats built from it."""
