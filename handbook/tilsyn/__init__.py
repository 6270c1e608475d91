"""Ledelsestilsyn: templates of criteria (YAML in tilsyn/), rounds with a recorded random draw,
answers and corrections, written feedback, the figures and the staff-meeting agenda."""
