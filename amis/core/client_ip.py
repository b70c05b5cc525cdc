"""The client's address as AMIS records and rate-limits it, also behind reverse proxies.

Behind a proxy REMOTE_ADDR is the proxy's address, and X-Forwarded-For is what the proxies say the
client was. The header is only believed as far as the operator says proxies of their own wrote it
(`AMIS_TRUSTED_PROXIES`, or `AMIS_TRUSTED_CLIENT_IP_HEADER` for a proxy that writes the address
into a header of its own): a client can send any X-Forwarded-For, and reading it without a trusted
proxy would let anyone escape the login rate limits or write another address into the audit trail.

The login rate limits (allauth, through `amis.accounts.adapters.AccountAdapter.get_client_ip`) and
the audit trail (`amis.core.audit`) both ask this function, so they always agree on who the client was.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, or None when what is found is not an address."""
    return _valid(_claimed(request) or request.META.get("REMOTE_ADDR", ""))


def _claimed(request: HttpRequest) -> str | None:
    """What the trusted proxies say, if any is configured and the request went through them.

    With n proxies, each appends the address it was reached from: the client as the outermost proxy
    saw it is the n-th entry from the end; anything before it is what the client wrote itself. A
    request with fewer entries did not pass through all proxies: its REMOTE_ADDR is the client.
    """
    header = getattr(settings, "AMIS_TRUSTED_CLIENT_IP_HEADER", "")
    if header:
        return request.headers.get(header)
    proxies = getattr(settings, "AMIS_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return None
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    return hops[-proxies] if len(hops) >= proxies else None


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
