"""The widgets the checklist page shares between a checklist's preview (views/tjekliste.py) and a
run (views/tjekliste_forloeb.py): a question as an input, a step's guidance, the opening hours
for the after-hours guidance, and the errors a run action shows."""

from datetime import date

import streamlit as st

from handbook.checklists.afterhours import AfterHours, load_after_hours
from handbook.checklists.case import answer_label
from handbook.checklists.model import NOT_RELEVANT, Question
from handbook.checklists.runs import RunError
from handbook.checklists.view import Guide
from handbook.dates.deadlines import EARLIEST_DATE, LATEST_DATE
from handbook.identity.auth import AuthError
from handbook.privacy.cpr import PersonalDataError
from portal import resources

ERRORS = (PersonalDataError, RunError, AuthError)


def opening_hours() -> AfterHours:
    return load_after_hours(resources.paths().config_dir)[0]


def guide_section(guide: Guide, caption: str) -> None:
    """A step's help (rendered by the handbook, so [tekst](id) links reach the guideline) and caption."""
    if guide.help_html:
        st.html(f'<div class="hb-body">{guide.help_html}</div>')
    if caption:
        st.caption(caption)


def question_input(question: Question, key: str, current=None, not_relevant: bool = False):
    """A question as a widget: a date field for date questions, ja/nej or options otherwise;
    with not_relevant, the answer "Ikke relevant" can be chosen."""
    if question.type == "date":
        marked_key = f"{key}-nr"
        marked = not_relevant and st.session_state.get(marked_key, current == NOT_RELEVANT)
        value = st.date_input(question.label, value=current if isinstance(current, date) else None, min_value=EARLIEST_DATE, max_value=LATEST_DATE, format="DD.MM.YYYY", key=key, disabled=bool(marked))
        if not_relevant:
            marked = st.checkbox("Ikke relevant", value=current == NOT_RELEVANT, key=marked_key)
        return NOT_RELEVANT if marked else value
    choices = question.choices + ([NOT_RELEVANT] if not_relevant else [])
    return st.radio(question.label, choices, index=choices.index(current) if current in choices else 0, format_func=lambda value: answer_label(question, value), horizontal=True, key=key)
