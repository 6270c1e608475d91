"""Håndbogen: entry point. Page config, style, identity and a role-aware navigation over views/."""

import streamlit as st

from handbook.privacy.textsafe import markdown_literal
from portal import guards, navigation, resources, session, style, widgets

st.set_page_config(page_title="Håndbogen", page_icon=":material/menu_book:", layout="wide")
style.inject_style()
with guards.error_boundary():
    resources.retention_job()
user = session.current_user()
resources.start_mail_sender()
if user is not None and session.must_change_password(user):
    with st.sidebar:
        session.write_pending_cookie()  # the login must survive a reload while locked to this page
    st.navigation([navigation.page("views/adgangskode.py", title="Skift adgangskode", icon=":material/password:", url_path="adgangskode")]).run()
    st.stop()

pages = {
    "Håndbogen": [
        navigation.page("views/forside.py", title="Forside", icon=":material/home:", default=True),
        navigation.page("views/haandbog.py", title="Håndbog", icon=":material/menu_book:", url_path="haandbog"),
        navigation.page("views/soeg.py", title="Søg", icon=":material/search:", url_path="soeg"),
        navigation.page("views/tjeklister.py", title="Tjeklister", icon=":material/checklist:", url_path="tjeklister"),
        navigation.page("views/mine_frister.py", title="Mine frister", icon=":material/event:", url_path="mine-frister"),
        navigation.page("views/metoder.py", title="Metoder", icon=":material/psychology:", url_path="metoder"),
        navigation.page("views/trivsel.py", title="Trivselslinealen", icon=":material/straighten:", url_path="trivsel"),
        navigation.page("views/nyt.py", title="Nyt siden sidst", icon=":material/fiber_new:", url_path="nyt"),
        navigation.page("views/retningslinje.py", title="Retningslinje", icon=":material/description:", url_path="retningslinje", visibility="hidden"),
        navigation.page("views/historik.py", title="Historik", icon=":material/history:", url_path="historik", visibility="hidden"),
        navigation.page("views/tjekliste.py", title="Tjekliste", icon=":material/checklist:", url_path="tjekliste", visibility="hidden"),
    ],
}
pages.update(navigation.tilsyn_pages(user))
if user is not None:
    pages["Håndbogen"].append(navigation.page("views/distriktsmoede.py", title="Distriktsmøde", icon=":material/groups:", url_path="distriktsmoede", visibility="hidden"))
if user is not None and user.can("edit"):
    pages["Redaktion"] = [
        navigation.page("views/rediger.py", title="Redigér og offentliggør", icon=":material/edit_document:", url_path="rediger"),
        navigation.page("views/godkendelse.py", title=navigation.review_inbox_title(user), icon=":material/rate_review:", url_path="godkendelse"),
        navigation.page("views/feedback.py", title="Tilbagemeldinger", icon=":material/thumbs_up_down:", url_path="tilbagemeldinger"),
        navigation.page("views/laest.py", title="Læst og kvitteret", icon=":material/fact_check:", url_path="laest"),
        navigation.page("views/tjeklister_overblik.py", title="Tjeklister – overblik", icon=":material/monitoring:", url_path="tjeklister-overblik"),
        navigation.page("views/trivsel_fordeling.py", title="Trivselslinealen – fordeling", icon=":material/bar_chart:", url_path="trivsel-fordeling"),
        navigation.page("views/revision.py", title="Revisionsdatoer", icon=":material/event_upcoming:", url_path="revision"),
        navigation.page("views/soegninger.py", title="Søgninger uden svar", icon=":material/search_off:", url_path="soegninger"),
    ]
if user is not None and user.can("audit"):
    pages["Administration"] = [
        navigation.page("views/administration.py", title="Brugere", icon=":material/admin_panel_settings:", url_path="administration"),
        navigation.page("views/haendelseslog.py", title="Hændelseslog", icon=":material/receipt_long:", url_path="haendelseslog"),
    ]
pages["Konto"] = navigation.account_pages(user) + [
    navigation.page("views/log_ind.py", title="Log ud" if user else "Log ind", icon=":material/logout:" if user else ":material/login:", url_path="log-ind"),
]

current_page = navigation.navigation(pages, user)
navigation.remember_location(current_page.url_path)
navigation.return_after_login(user, pages)
st.session_state["on_search_page"] = False
with st.sidebar:
    session.write_pending_cookie()
    navigation.menu(pages)
    if current_page.url_path not in ("", "soeg"):
        widgets.search_box("sidebar")
    if user is not None:
        st.caption(f":material/person: {markdown_literal(user.display_name)} · {user.role_label}")
        widgets.notification_bell(user)
    with guards.error_boundary():
        st.caption(f"Håndbogen · {resources.library().config.organisation}")
    style.danish_interface()
session.show_identity_problem()
with guards.error_boundary():
    current_page.run()
