"""Log ind / log ud: local accounts, or the organisation's login (OIDC) when it is set up."""

import streamlit as st

from handbook.identity.auth import AuthError
from handbook.privacy.textsafe import markdown_literal
from portal import navigation, session, widgets

user = session.current_user()
if user is not None:
    st.title("Log ud")
    st.markdown(f"Du er logget ind som **{markdown_literal(user.display_name)}** ({markdown_literal(user.name)}) med rollen **{user.role_label}**.")
    if st.session_state.get("via_proxy"):
        st.caption("Du er logget ind via organisationens log-ind-tjeneste; luk browseren for at logge ud.")
    elif st.button("Log ud", icon=":material/logout:", type="primary"):
        session.log_out()
        st.rerun()
    st.stop()

st.title("Log ind")
st.markdown("Alle kan læse håndbogen. Du skal logge ind for at kvittere for læsning og for at redigere.")
if session.oidc_configured():
    problem = session.oidc_problem()
    if problem:
        st.warning(problem, icon=":material/cloud_off:")
    else:
        session.remember_target_for_sso(navigation.login_target())
        if st.button("Log ind med organisationens konto", icon=":material/badge:", type="primary"):
            problem = session.oidc_problem(fresh=True)  # it may have gone away since the page was shown
            if problem:
                st.warning(problem, icon=":material/cloud_off:")
            else:
                st.login()
    st.caption("Eller med en lokal bruger:")
with st.form("login"):
    name = st.text_input("Brugernavn", autocomplete="username")
    password = st.text_input("Adgangskode", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("Log ind", icon=":material/login:")
widgets.first_account_hint()
if submitted:
    try:
        session.log_in_locally(name, password)
    except AuthError as exc:
        st.error(str(exc))
    else:
        navigation.continue_after_login(navigation.NEWS_PAGE_FILE)
