"""Håndbogen: the core of the knowledge portal (content, store, search, deadlines).

Nothing in this package imports Streamlit; pages call into it.
"""
