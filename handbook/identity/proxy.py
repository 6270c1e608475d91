"""Identity from a trusted reverse-proxy header, believed only from the proxy.

`HANDBOOK_TRUSTED_HEADER` names the header the proxy sets (e.g. `X-Remote-User`);
`HANDBOOK_TRUSTED_PROXIES` lists the addresses the proxy connects from (IPs or CIDR networks,
comma-separated). The header is honoured only on a connection from such an address; otherwise
it is ignored and logged. With no proxies listed the header is never honoured.

What Streamlit 1.67 reports as the peer (`st.context.ip_address`), found by reading its server
and checked in tests/security/test_proxy_header.py:
- it runs on uvicorn, whose proxy-header support replaces the connecting address with one taken
  from `X-Forwarded-For` when the connection comes from an address in `FORWARDED_ALLOW_IPS`
  (default `127.0.0.1,::1`);
- `st.context.ip_address` is `None` for `127.0.0.1` and `::1`; otherwise the (possibly replaced)
  address.
Hence the rules:
1. Streamlit listens on a loopback address only (`--server.address 127.0.0.1`, the recommended
   set-up) and this host is listed: every connection comes from this host, so the header is
   believed whatever `X-Forwarded-For` says (nginx may send it; the security throttle then sees
   the client's address).
2. Otherwise the reported address must be a listed proxy, and when the request carries
   `X-Forwarded-For` (so the reported address may have come from that header) every address
   uvicorn takes the header from must be a listed proxy too. Otherwise anyone on such a host
   could name a trusted proxy in `X-Forwarded-For`. A proxy on another host should therefore
   not send `X-Forwarded-For`, or Streamlit should run with `FORWARDED_ALLOW_IPS=""`.
See docs/security.md ("Proxy identity").
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from handbook.privacy.cpr import contains_cpr

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

LOOPBACK = "127.0.0.1"  # what Streamlit's None address stands for
UVICORN_DEFAULT_FORWARDED_ALLOW = "127.0.0.1,::1"
MAX_NAME_LENGTH = 128
# Login names as directories hand them out: letters (any script), digits and . _ @ - + ' \
# (DOMÆNE\bruger, kari.hansen@kommune.dk). No spaces, brackets or other Markdown syntax.
NAME_PATTERN = re.compile(r"^[\w.@+'\\-]+$")


@dataclass(frozen=True)
class ProxySettings:
    header: str = ""
    proxies: tuple[Network, ...] = ()
    invalid: tuple[str, ...] = ()  # entries of HANDBOOK_TRUSTED_PROXIES that are not addresses
    # Where uvicorn takes X-Forwarded-For from; None means from everyone ("*").
    forwarded_allow: tuple[Network, ...] | None = ()
    # Streamlit's server.address: when it is a loopback address, only this host can connect.
    listen: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.header)


@dataclass(frozen=True)
class ProxyIdentity:
    """The outcome for one request: a name to log in, or why the header was not used."""

    name: str | None = None
    ignored: str = ""  # for the log
    message: str = ""  # for the user (Danish), when the proxy sent something unusable


def parse_networks(text: str) -> tuple[tuple[Network, ...], tuple[str, ...]]:
    """IPs and CIDR networks from a comma-separated list; entries that are neither are returned
    separately (so they can be reported)."""
    networks, invalid = [], []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            invalid.append(entry)
    return tuple(networks), tuple(invalid)


def proxy_settings(environ: Mapping[str, str] | None = None, listen: str = "") -> ProxySettings:
    """The settings from the environment; listen is Streamlit's server.address ('' = every
    interface)."""
    env = os.environ if environ is None else environ
    proxies, invalid = parse_networks(env.get("HANDBOOK_TRUSTED_PROXIES", ""))
    allow_text = env.get("FORWARDED_ALLOW_IPS", UVICORN_DEFAULT_FORWARDED_ALLOW)
    if "*" in [part.strip() for part in allow_text.split(",")]:
        forwarded_allow = None
    else:
        forwarded_allow, unparsed = parse_networks(allow_text)
        if unparsed:  # names uvicorn would match literally: assume the worst
            forwarded_allow = None
    return ProxySettings(env.get("HANDBOOK_TRUSTED_HEADER", "").strip(), proxies, invalid, forwarded_allow, listen.strip())


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address((text or LOOPBACK).strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # "::ffff:10.0.0.2" when Streamlit listens on "::"
    return address


def _covered(network: Network, proxies: Sequence[Network]) -> bool:
    return any(_subnet_of(network, p) for p in proxies)


def _subnet_of(network: Network, other: Network) -> bool:
    """Whether network lies inside other; never across IPv4 and IPv6."""
    if isinstance(network, ipaddress.IPv4Network) and isinstance(other, ipaddress.IPv4Network):
        return network.subnet_of(other)
    if isinstance(network, ipaddress.IPv6Network) and isinstance(other, ipaddress.IPv6Network):
        return network.subnet_of(other)
    return False


def only_this_host_connects(settings: ProxySettings) -> bool:
    """Streamlit listens on a loopback address only and this host is a trusted proxy: then every
    connection comes from the proxy on this host (or another local process, which could run
    the proxy's requests anyway), whatever X-Forwarded-For made of the reported address."""
    listen = "127.0.0.1" if settings.listen == "localhost" else settings.listen
    address = _address(listen) if listen else None
    if address is None or not address.is_loopback:
        return False
    local = _address("::1" if address.version == 6 else LOOPBACK)
    return any(local in network for network in settings.proxies)


def from_trusted_proxy(settings: ProxySettings, peer: str | None, forwarded_for: bool) -> bool:
    """Whether a connection reported as coming from peer (Streamlit's `ip_address`; None is
    loopback) is certainly from a trusted proxy. forwarded_for: the request has X-Forwarded-For."""
    if only_this_host_connects(settings):
        return True
    address = _address(peer)
    if address is None or not any(address in network for network in settings.proxies):
        return False
    if forwarded_for:
        # uvicorn may have replaced the real peer with a value from X-Forwarded-For; the real
        # peer was then one of forwarded_allow, which must be trusted too.
        if settings.forwarded_allow is None:
            return False
        return all(_covered(network, settings.proxies) for network in settings.forwarded_allow)
    return True


def validate_name(value: str) -> str | None:
    """The login name from the header, or None when it is not a plausible login name."""
    name = value.strip()
    if not name or len(name) > MAX_NAME_LENGTH or not NAME_PATTERN.match(name):
        return None
    return name


def proxy_identity(settings: ProxySettings, peer: str | None, header_values: Sequence[str], forwarded_for: bool) -> ProxyIdentity:
    """Decide whether the header's value logs someone in. header_values: every value of the
    configured header in the request (a repeated header is refused)."""
    values = [v for v in header_values if v.strip()]
    if not settings.enabled or not values:
        return ProxyIdentity()
    where = peer or f"{LOOPBACK} (loopback)"
    if not from_trusted_proxy(settings, peer, forwarded_for):
        why = "not in HANDBOOK_TRUSTED_PROXIES" if not forwarded_for else "not certainly a trusted proxy (X-Forwarded-For present)"
        return ProxyIdentity(ignored=f"header {settings.header} ignored from {where}: {why}")
    if len(values) > 1:
        return ProxyIdentity(ignored=f"header {settings.header} sent {len(values)} times from {where}", message=UNUSABLE)
    if contains_cpr(values[0]):  # never repeated in the log
        return ProxyIdentity(ignored=f"header {settings.header} from {where} looks like a CPR number", message=UNUSABLE)
    name = validate_name(values[0])
    if name is None:
        shown = values[0][:40].encode("unicode_escape").decode("ascii")
        return ProxyIdentity(ignored=f"header {settings.header} from {where} has an invalid name: {shown!r}", message=UNUSABLE)
    return ProxyIdentity(name=name)


UNUSABLE = "Brugernavnet fra organisationens log-ind-tjeneste kunne ikke bruges. Kontakt IT. Du kan læse håndbogen uden at være logget ind."
