"""What stands around every page: the error boundary that turns a database or disk error into a
Danish message, and the permission check that stops a page the user may not use."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from handbook.identity import auth
from handbook.identity.auth import User
from handbook.privacy.cpr import PersonalDataError
from portal.session import current_user

log = logging.getLogger("handbook")


STORAGE_ERROR = (
    "Håndbogen kan ikke læse eller gemme data lige nu (databasen eller disken svarer ikke, eller disken er fuld). "
    "Det, du var i gang med, er ikke gemt. Prøv igen om lidt; fortsætter fejlen, så kontakt IT-afdelingen."
)

UNEXPECTED_ERROR = "Der opstod en uventet fejl på siden. Fejlen er skrevet i portalens log; prøv igen, eller kontakt IT-afdelingen, hvis den gentager sig."


@contextmanager
def error_boundary() -> Iterator[None]:
    """Around a page: a database or disk error (full disk, locked or damaged database, a
    read-only folder) becomes a Danish message and a log entry, never a traceback; so does a
    CPR-like number refused by the database guard. Anything else is logged, explained in
    Danish and re-raised (Streamlit shows no details: client.showErrorDetails = "none")."""
    try:
        yield
    except (sqlite3.Error, OSError):
        log.exception("Database- eller diskfejl under en side")
        st.error(STORAGE_ERROR, icon=":material/error:")
    except PersonalDataError as exc:
        st.error(str(exc))
    except Exception:
        log.exception("Uventet fejl under en side")
        st.error(UNEXPECTED_ERROR, icon=":material/error:")
        raise


def require_page(permission: str) -> User:
    """The current user if they may use this page; otherwise a Danish message, and the page
    stops. (The functions behind the page check the permission again.)"""
    try:
        return auth.require(current_user(), permission)
    except auth.AuthError as exc:
        st.error(str(exc))
        st.stop()
