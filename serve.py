"""Start the portal: `streamlit run serve.py` (as `make run`, deploy/cluster.py and systemd do).

app.py is the Streamlit script; this launcher adds to Streamlit's web server what the portal
needs on the HTTP level (portal/server.py): the endpoint that sets the HttpOnly session cookie and
the Danish `lang` of the page from the first byte.
"""

import streamlit as st
from starlette.middleware import Middleware

from portal.server import DanishPage, routes

app = st.App("app.py", routes=routes(), middleware=[Middleware(DanishPage)])
