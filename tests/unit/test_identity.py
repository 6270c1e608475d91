"""OIDC identities: accounts linked by issuer and subject, roles from claims, logins and logout,
and the provider check (against real HTTP servers on loopback)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from handbook.identity import oidc as identity
from handbook.identity.auth import AuthError, User, set_role
from handbook.identity.oidc import ClaimRoles, check_provider, load_claim_roles, oidc_login, safe_next
from handbook.store import identity as identity_store
from handbook.store.database import Store

ISSUER = "https://login.microsoftonline.com/tenant-id/v2.0"
ROLES = ClaimRoles("groups", {"admin": frozenset({"BU-Admin"}), "redaktør": frozenset({"BU-Redaktører"})})


def claims(sub: str, iat: int = 1000, **more) -> dict:
    return {"iss": ISSUER, "sub": sub, "iat": iat, "nonce": f"n{iat}", "email": f"{sub}@kommune.dk", "name": sub.title(), **more}


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "handbook.db")


def test_the_highest_matching_role_wins_and_no_match_is_medarbejder():
    assert ROLES.role_for({"groups": ["Alle", "BU-Redaktører", "BU-Admin"]}) == ("admin", ["BU-Admin"])
    assert ROLES.role_for({"groups": ["BU-Redaktører"]}) == ("redaktør", ["BU-Redaktører"])
    assert ROLES.role_for({"groups": "BU-Redaktører"})[0] == "redaktør"  # a single value is accepted
    assert ROLES.role_for({"groups": ["bu-admin", "Alle"]})[0] == "medarbejder"  # values match exactly
    assert ROLES.role_for({})[0] == "medarbejder"


def test_roles_from_claims_are_read_from_portal_yaml_with_problems_at_their_line(tmp_path):
    config = tmp_path / "portal.yaml"
    config.write_text("organisation: X\nroles_from_claims:\n  claim: roles\n  admin: [Handbook.Admin]\n  redaktør: Handbook.Editor\n", encoding="utf-8")
    roles, problems = load_claim_roles(config)
    assert problems == [] and roles.claim == "roles"
    assert roles.role_for({"roles": ["Handbook.Editor"]})[0] == "redaktør"

    config.write_text("organisation: X\nroles_from_claims:\n  claim: groups\n  chef: [BU-Chefer]\n  admin: {a: b}\n", encoding="utf-8")
    roles, problems = load_claim_roles(config)
    assert roles is None
    assert [p.line for p in problems] == [2, 2]
    assert "Ukendt rolle 'chef'" in problems[0].message and "roles_from_claims.admin" in problems[1].message

    config.write_text("organisation: X\n", encoding="utf-8")
    assert load_claim_roles(config) == (None, [])


def test_the_bundled_portal_configuration_is_valid():
    from handbook.settings import PROJECT_ROOT

    assert load_claim_roles(PROJECT_ROOT / "config" / "portal.yaml")[1] == []


def test_first_login_creates_an_account_keyed_by_issuer_and_subject(store):
    login = oidc_login(store, claims("anna", groups=["BU-Redaktører"]), ROLES)
    assert login.new and login.user == User("anna@kommune.dk", "Anna", "redaktør")
    assert identity_store.link(store, ISSUER, "anna")["user"] == "anna@kommune.dk"
    again = oidc_login(store, claims("anna", groups=["BU-Redaktører"]), ROLES)
    assert not again.new and again.marker == login.marker


def test_two_people_with_the_same_name_and_email_never_share_an_account(store):
    first = oidc_login(store, claims("p1", name="Jens Hansen", email="jens@kommune.dk"), None).user
    second = oidc_login(store, claims("p2", name="Jens Hansen", email="jens@kommune.dk"), None).user
    assert first.name != second.name and first.display_name == second.display_name == "Jens Hansen"
    # A same-named issuer elsewhere is another identity too.
    third = oidc_login(store, {**claims("p1", name="Jens Hansen"), "iss": "https://adfs.kommune.dk/adfs"}, None).user
    assert len({first.name, second.name, third.name}) == 3


def test_an_email_and_name_change_keeps_the_account_and_its_history(store):
    user = oidc_login(store, claims("kim", email="kim.a@kommune.dk", name="Kim Andersen"), None).user
    changed = oidc_login(store, claims("kim", iat=2000, email="kim.b@kommune.dk", name="Kim Bach"), None).user
    assert changed.name == user.name == "kim.a@kommune.dk"
    assert changed.display_name == "Kim Bach"
    assert identity_store.link(store, ISSUER, "kim")["email"] == "kim.b@kommune.dk"
    # A new person who now gets the old email gets a new account.
    newcomer = oidc_login(store, claims("kim2", email="kim.a@kommune.dk"), None).user
    assert newcomer.name != user.name


def test_claims_decide_the_role_at_every_login_and_each_change_is_audited(store):
    oidc_login(store, claims("lea", iat=1, groups=["BU-Admin"]), ROLES)
    assert store.user("lea@kommune.dk")["role"] == "admin"
    oidc_login(store, claims("lea", iat=2, groups=["Alle"]), ROLES)  # removed from the group
    assert store.user("lea@kommune.dk")["role"] == "medarbejder"
    entries = [e for e in store.audit_log() if e["action"] == "rolle fra claims"]
    assert [e["details"].split(" (")[0] for e in entries] == ["admin → medarbejder", "medarbejder → admin"]
    assert "groups: BU-Admin" in entries[1]["details"]


def test_a_role_set_by_hand_holds_until_the_next_login_when_claims_decide(store):
    oidc_login(store, claims("mo", iat=1, groups=[]), ROLES)
    admin = User("root", "Root", "admin")
    set_role(store, "mo@kommune.dk", "redaktør", admin)
    assert oidc_login(store, claims("mo", iat=1, groups=[]), ROLES).user.role == "redaktør"  # same login: kept
    assert oidc_login(store, claims("mo", iat=2, groups=[]), ROLES).user.role == "medarbejder"  # next login: claims


def test_without_a_mapping_roles_are_managed_by_hand(store):
    oidc_login(store, claims("ole", iat=1, groups=["BU-Admin"]), None)
    assert store.user("ole@kommune.dk")["role"] == "medarbejder"
    set_role(store, "ole@kommune.dk", "redaktør", User("root", "Root", "admin"))
    assert oidc_login(store, claims("ole", iat=2), None).user.role == "redaktør"


def test_logout_ends_the_login_for_every_tab_until_a_new_login(store):
    login = oidc_login(store, claims("pia", iat=1), None)
    identity.end_login(store, login.marker)
    assert oidc_login(store, claims("pia", iat=1), None) is None  # another tab with the same identity
    assert oidc_login(store, claims("pia", iat=2), None).user.name == "pia@kommune.dk"


def test_a_deactivated_account_cannot_log_in_and_an_identity_without_subject_is_refused(store):
    oidc_login(store, claims("rut"), None)
    row = store.user("rut@kommune.dk")
    with store.write() as db:
        store.upsert_user(db, {**row, "active": 0})
    with pytest.raises(AuthError, match="deaktiveret"):
        oidc_login(store, claims("rut", iat=5), None)
    with pytest.raises(AuthError, match="entydig identitet"):
        oidc_login(store, {"iss": ISSUER, "email": "x@y.dk"}, None)


def test_an_account_from_before_identity_linking_is_adopted_once(store):
    row = {"name": "sune@kommune.dk", "display_name": "Sune", "role": "redaktør", "password_hash": None, "source": "oidc", "created_at": "2025-01-01", "active": 1}
    with store.write() as db:
        store.upsert_user(db, row)
    assert oidc_login(store, claims("sune"), None).user == User("sune@kommune.dk", "Sune", "redaktør")
    # The same email from another subject is another person now.
    assert oidc_login(store, claims("sune-2", email="sune@kommune.dk"), None).user.name == "sune@kommune.dk-2"


def test_an_email_that_looks_like_a_cpr_number_is_not_stored(store):
    user = oidc_login(store, claims("tove", email="150588-4321@kommune.dk", name="Tove"), None).user
    assert "150588" not in user.name and identity_store.link(store, ISSUER, "tove")["email"] == ""


def test_display_names_are_cleaned_and_never_hold_a_cpr_number():
    assert identity.clean_display_name("Anna\u200b  Holm\n", "x") == "Anna Holm"
    assert identity.clean_display_name("Anna 150588-4321", "anna@kommune.dk") == "anna@kommune.dk"
    assert len(identity.clean_display_name("A" * 500, "x")) == identity.MAX_DISPLAY_NAME
    assert identity.login_name_candidate("", ISSUER, "abc").startswith("sso-")


def test_only_portal_pages_are_returned_to_after_login():
    assert safe_next("tjekliste?id=underretning") == ("tjekliste", {"id": "underretning"})
    assert safe_next("/retningslinje?id=ics&next=x") == ("retningslinje", {"id": "ics"})
    for bad in ("", "//evil.example", "https://evil.example/", "log-ind", "../x", "nyt/../../etc"):
        assert safe_next(bad) is None


class _Discovery(BaseHTTPRequestHandler):
    body = b"{}"

    def do_GET(self):  # noqa: N802
        self.send_response(200)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def discovery_server():
    servers = []

    def serve(body: bytes) -> str:
        handler = type("Handler", (_Discovery,), {"body": body})
        server = HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/.well-known/openid-configuration"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def auth_section(url: str, **changes) -> dict:
    return {"redirect_uri": "https://haandbog.kommune.dk/oauth2callback", "cookie_secret": "s", "client_id": "c", "client_secret": "k", "server_metadata_url": url, **changes}


def test_the_provider_check_names_what_is_wrong(discovery_server, tmp_path):
    good = json.dumps({"issuer": "i", "authorization_endpoint": "a", "token_endpoint": "t", "jwks_uri": "j"}).encode()
    assert check_provider(auth_section(discovery_server(good))).ok

    broken = check_provider(auth_section(discovery_server(b"<html>Sign in</html>")))
    assert not broken.ok and "svarer forkert" in broken.message and "ikke JSON" in broken.detail
    partial = check_provider(auth_section(discovery_server(b'{"issuer": "i"}')))
    assert "authorization_endpoint" in partial.detail

    server_url = discovery_server(good)
    port = int(server_url.split(":")[2].split("/")[0])
    stopped = check_provider(auth_section(f"http://127.0.0.1:{port + 1 if port < 65535 else port - 1}/x"))
    assert not stopped.ok and "svarer ikke" in stopped.message and "lokal bruger" in stopped.message

    missing = check_provider({"redirect_uri": "https://h/oauth2callback", "client_id": "c"})
    assert "cookie_secret" in missing.detail and "client_secret" in missing.detail and "ufuldstændig" in missing.message
    assert "oauth2callback" in check_provider(auth_section(discovery_server(good), redirect_uri="https://h/login")).detail
    named = check_provider({"redirect_uri": "https://h/oauth2callback", "cookie_secret": "s", "microsoft": {"client_id": "c"}}, provider="microsoft")
    assert "server_metadata_url" in named.detail


def test_validate_reports_a_broken_roles_from_claims_with_its_line(paths):
    from handbook.validate import validate_bundled

    config = paths.config_dir / "portal.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "roles_from_claims:\n  chef: [BU-Chefer]\n", encoding="utf-8")
    report = validate_bundled(paths)
    line = config.read_text(encoding="utf-8").splitlines().index("roles_from_claims:") + 1
    assert any(p.path == config and p.line == line and "Ukendt rolle 'chef'" in p.message for p in report.problems)
