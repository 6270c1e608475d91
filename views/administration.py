"""Brugere (admin): create users, reset passwords, deactivate and reactivate, change roles,
e-mail addresses and teams. The last active administrator can never be demoted or deactivated."""

import streamlit as st

from handbook.dates.danish_time import date_text
from handbook.identity import auth, users
from handbook.identity.auth import AuthError
from portal import guards, resources, session

st.title("Brugere")
admin = guards.require_page("manage_users")
store = resources.store()

shown = st.session_state.pop("temporary-password", None)
if shown:
    st.success(f"Midlertidig adgangskode til **{shown[0]}**: `{shown[1]}`  \nDen vises kun denne ene gang. Giv den til brugeren; den skal skiftes ved første log-ind.", icon=":material/key:")
message = st.session_state.pop("users-flash", None)
if message:
    st.success(message)

rows = users.user_rows(store, admin)
st.dataframe(
    [{"Bruger": u["name"], "Navn": u["display_name"], "Rolle": auth.ROLES.get(u["role"], u["role"]), "Aktiv": "ja" if u["active"] else "nej", "E-mail": u["email"], "Teams": ", ".join(u["teams"]), "Kilde": u["source"], "Oprettet": date_text(u["created_at"])} for u in rows],
    hide_index=True,
    width="stretch",
)
if session.claim_roles() is not None:
    st.caption("Rollen for brugere med kilden oidc afgøres af deres grupper ved hvert log-ind (`roles_from_claims`); en rolle sat her gælder til deres næste log-ind.")


def done(text: str) -> None:
    st.session_state["users-flash"] = text
    st.rerun()


with st.expander("Opret bruger", icon=":material/person_add:", expanded=not rows):
    with st.form("create-user"):
        left, right = st.columns(2)
        name = left.text_input("Brugernavn (fx initialer)", key="new-name")
        display = right.text_input("Fulde navn", key="new-display")
        email = left.text_input("E-mail (valgfri, til notifikationer)", key="new-email")
        role = right.selectbox("Rolle", list(auth.ROLES), format_func=auth.ROLES.get, key="new-role")
        create = st.form_submit_button("Opret bruger", icon=":material/person_add:", type="primary")
    if create:
        try:
            created, password = users.create_user(store, admin, name, role, display, email)
        except AuthError as exc:
            st.error(str(exc))
        else:
            st.session_state["temporary-password"] = (created.name, password)
            st.rerun()

st.header("Ret en bruger")
names = [u["name"] for u in rows]
labels = {u["name"]: f"{u['display_name']} ({u['name']})" + ("" if u["active"] else " – deaktiveret") for u in rows}
chosen = st.selectbox("Bruger", names, index=None, format_func=labels.get, key="admin-user", placeholder="Vælg en bruger")


def attempt(action, message: str) -> None:
    """Do an administrator's action; on success show message after a rerun, else the reason."""
    try:
        result = action()
    except AuthError as exc:
        st.session_state["users-error"] = str(exc)
        st.rerun()
    if isinstance(result, str):
        st.session_state["temporary-password"] = (chosen, result)
    done(message)


if chosen:
    row = next(u for u in rows if u["name"] == chosen)
    error = st.session_state.pop("users-error", None)
    if error:
        st.error(error)
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    role = left.selectbox("Ny rolle", list(auth.ROLES), index=list(auth.ROLES).index(row["role"]), format_func=auth.ROLES.get, key=f"role-{chosen}")
    if right.button("Skift rolle", disabled=role == row["role"]):
        attempt(lambda: auth.set_role(store, chosen, role, admin), f"{chosen} har nu rollen {auth.ROLES[role]}.")
    email = left.text_input("E-mail", value=row["email"], key=f"email-{chosen}")
    if right.button("Gem e-mail", disabled=email == row["email"]):
        attempt(lambda: users.set_email(store, admin, chosen, email), f"E-mailadressen for {chosen} er gemt.")
    teams = left.text_input("Teams (adskilt af komma; en leder fører tilsyn med sine teams)", value=", ".join(row["teams"]), key=f"teams-{chosen}")
    if right.button("Gem teams", disabled=teams == ", ".join(row["teams"])):
        attempt(lambda: users.set_teams(store, admin, chosen, teams.split(",")), f"Teams for {chosen} er gemt.")
    a, b = st.columns(2)
    if row["source"] == "lokal" and a.button("Nulstil adgangskode", icon=":material/lock_reset:"):
        attempt(lambda: users.reset_password(store, admin, chosen), f"Adgangskoden for {chosen} er nulstillet, og brugeren er logget ud.")
    if row["active"] and b.button("Deaktivér", icon=":material/person_off:"):
        attempt(lambda: users.set_active(store, admin, chosen, False), f"{chosen} er deaktiveret og logget ud.")
    if not row["active"] and b.button("Genaktivér", icon=":material/person_check:"):
        attempt(lambda: users.set_active(store, admin, chosen, True), f"{chosen} er aktiv igen.")
st.caption("Den første administrator oprettes på serveren med `python -m handbook user add NAVN --role admin`.")
