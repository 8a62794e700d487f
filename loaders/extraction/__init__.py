"""Extraction: actors, their ties, each tie's status, confidence and evidence, from tagged text."""
