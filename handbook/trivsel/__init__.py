"""Trivselslinealen: the scale and zones, group placements, saved assessments and their charts."""
