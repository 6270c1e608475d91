"""Skift adgangskode: a logged-in local user chooses a new password; required after a
temporary password from an administrator."""

import streamlit as st

from handbook.identity import users
from handbook.identity.auth import AuthError
from portal import resources, session, widgets

st.title("Skift adgangskode")
user = session.current_user()
if user is None:
    widgets.login_hint("skifte adgangskode")
    st.stop()
if st.session_state.pop("password-changed", False):
    st.success("Din adgangskode er skiftet.", icon=":material/check_circle:")
forced = users.must_change_password(resources.store(), user.name)
if forced:
    st.warning("Du er logget ind med en midlertidig adgangskode. Vælg din egen adgangskode, før du fortsætter.", icon=":material/lock_reset:")
with st.form("password"):
    current = st.text_input("Nuværende adgangskode" + (" (den midlertidige)" if forced else ""), type="password", autocomplete="current-password")
    new = st.text_input("Ny adgangskode (mindst 10 tegn)", type="password", autocomplete="new-password")
    repeated = st.text_input("Gentag den nye adgangskode", type="password", autocomplete="new-password")
    submitted = st.form_submit_button("Skift adgangskode", icon=":material/password:", type="primary")
if submitted:
    try:
        users.change_own_password(resources.store(), user, current, new, repeated, session.current_token())
    except AuthError as exc:
        st.error(str(exc))
    else:
        st.session_state["password-changed"] = True
        st.rerun()
