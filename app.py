"""Håndbogen: entry point. Page config, style and navigation over views/."""

import streamlit as st

import ui

st.set_page_config(page_title="Håndbogen", page_icon=":material/menu_book:", layout="wide")
ui.inject_style()

navigation = st.navigation(
    {
        "Håndbogen": [
            st.Page("views/forside.py", title="Forside", icon=":material/home:", default=True),
            st.Page("views/haandbog.py", title="Håndbog", icon=":material/menu_book:", url_path="haandbog"),
            st.Page("views/soeg.py", title="Søg", icon=":material/search:", url_path="soeg"),
            st.Page("views/retningslinje.py", title="Retningslinje", icon=":material/description:", url_path="retningslinje", visibility="hidden"),
        ],
        "For ledere": [
            st.Page("views/soegninger.py", title="Søgninger uden svar", icon=":material/search_off:", url_path="soegninger"),
        ],
    }
)
st.session_state["on_search_page"] = False
with st.sidebar:
    if navigation.url_path not in ("", "soeg"):
        ui.search_box("sidebar")
    st.caption(f"Håndbogen · {ui.library().config.organisation}")
navigation.run()
