"""Fixtures for the attack tests: a fresh store and a content tree per test."""

import pytest

from handbook.store.database import Store


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "data" / "handbook.db")


from tests.app.conftest import make_app  # noqa: E402,F401 - the AppTest fixture for the page attacks
