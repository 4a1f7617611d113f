"""Evaluation evidence packs (评估台账): one PDF, a ZIP of the originals and an index."""
