"""Håndbogen: entry point. Page config, style, identity and a role-aware navigation over views/."""

import streamlit as st

from portal import access
from portal import ui
from handbook.content.render import markdown_literal

st.set_page_config(page_title="Håndbogen", page_icon=":material/menu_book:", layout="wide")
ui.inject_style()
with ui.error_boundary():
    ui.retention_job()
access.inject_style()
user = ui.current_user()
ui.start_mail_sender()
if user is not None and ui.must_change_password(user):
    st.navigation([ui.page("views/adgangskode.py", title="Skift adgangskode", icon=":material/password:", url_path="adgangskode")]).run()
    st.stop()

pages = {
    "Håndbogen": [
        ui.page("views/forside.py", title="Forside", icon=":material/home:", default=True),
        ui.page("views/haandbog.py", title="Håndbog", icon=":material/menu_book:", url_path="haandbog"),
        ui.page("views/soeg.py", title="Søg", icon=":material/search:", url_path="soeg"),
        ui.page("views/tjeklister.py", title="Tjeklister", icon=":material/checklist:", url_path="tjeklister"),
        ui.page("views/mine_frister.py", title="Mine frister", icon=":material/event:", url_path="mine-frister"),
        ui.page("views/metoder.py", title="Metoder", icon=":material/psychology:", url_path="metoder"),
        ui.page("views/trivsel.py", title="Trivselslinealen", icon=":material/straighten:", url_path="trivsel"),
        ui.page("views/nyt.py", title="Nyt siden sidst", icon=":material/fiber_new:", url_path="nyt"),
        ui.page("views/retningslinje.py", title="Retningslinje", icon=":material/description:", url_path="retningslinje", visibility="hidden"),
        ui.page("views/historik.py", title="Historik", icon=":material/history:", url_path="historik", visibility="hidden"),
        ui.page("views/tjekliste.py", title="Tjekliste", icon=":material/checklist:", url_path="tjekliste", visibility="hidden"),
    ],
}
if user is not None and user.can("edit"):
    pages["Redaktion"] = [
        ui.page("views/rediger.py", title="Redigér og offentliggør", icon=":material/edit_document:", url_path="rediger"),
        ui.page("views/godkendelse.py", title=ui.review_inbox_title(user), icon=":material/rate_review:", url_path="godkendelse"),
        ui.page("views/feedback.py", title="Tilbagemeldinger", icon=":material/thumbs_up_down:", url_path="tilbagemeldinger"),
        ui.page("views/laest.py", title="Læst og kvitteret", icon=":material/fact_check:", url_path="laest"),
        ui.page("views/tjeklister_overblik.py", title="Tjeklister – overblik", icon=":material/monitoring:", url_path="tjeklister-overblik"),
        ui.page("views/trivsel_fordeling.py", title="Trivselslinealen – fordeling", icon=":material/bar_chart:", url_path="trivsel-fordeling"),
        ui.page("views/revision.py", title="Revisionsdatoer", icon=":material/event_upcoming:", url_path="revision"),
        ui.page("views/soegninger.py", title="Søgninger uden svar", icon=":material/search_off:", url_path="soegninger"),
    ]
if user is not None and user.can("audit"):
    pages["Administration"] = [
        ui.page("views/administration.py", title="Brugere", icon=":material/admin_panel_settings:", url_path="administration"),
        ui.page("views/haendelseslog.py", title="Hændelseslog", icon=":material/receipt_long:", url_path="haendelseslog"),
    ]
pages["Konto"] = ui.account_pages(user) + [
    ui.page("views/log_ind.py", title="Log ud" if user else "Log ind", icon=":material/logout:" if user else ":material/login:", url_path="log-ind"),
]

navigation = access.navigation(pages, user)
ui.remember_location(navigation.url_path)
ui.return_after_login(user, pages)
st.session_state["on_search_page"] = False
with st.sidebar:
    ui.write_pending_cookie()
    access.menu(pages)
    if navigation.url_path not in ("", "soeg"):
        ui.search_box("sidebar")
    if user is not None:
        st.caption(f":material/person: {markdown_literal(user.display_name)} · {user.role_label}")
        ui.notification_bell(user)
    with ui.error_boundary():
        st.caption(f"Håndbogen · {ui.library().config.organisation}")
    access.danish_interface()
ui.show_identity_problem()
with ui.error_boundary():
    navigation.run()
