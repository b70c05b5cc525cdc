"""Logging in the way a real user would be logged in, so the pages take their real code paths.

Authority roles must use TOTP (`RequireTwoFactorMiddleware`): the demo gave these officers a TOTP
authenticator, and the session records a password and a TOTP step exactly as allauth's login flow
records them. The API uses a real personal token, created through the accounts service.
"""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.test import Client, RequestFactory

from amis.accounts.models import User
from amis.accounts.services import token_create
from amis.applications.models import Application
from amis.demo.programme import BELGIAN_CCI
from amis.programme.models import ProgrammeVersion
from bench.gen.context import BIG_CALL
from bench.scenarios.base import Fixture

OFFICER = "da.flanders@amis.example"
READER = "auditor@amis.example"
API_USER = "ra.officer@amis.example"


def logged_in(email: str) -> tuple[Client, User]:
    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    request.user = user
    record_authentication(request, user, "password", email=user.email)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
    session.save()
    return client, user


def prepare() -> Fixture:
    officer, officer_user = logged_in(OFFICER)
    reader, _ = logged_in(READER)
    _token, secret = token_create(user=User.objects.get(email=API_USER), name="bench", scope="read", days=1)
    application = (
        Application.objects.filter(call__code=BIG_CALL, status=Application.Status.ASSESSED)
        .order_by("reference")
        .values_list("reference", flat=True)
        .first()
    )
    version = ProgrammeVersion.objects.filter(programme__cci=BELGIAN_CCI, status="adopted").order_by(
        "-number"
    )
    number = version.values_list("number", flat=True).first() or 1
    return Fixture(
        officer=officer,
        reader=reader,
        officer_user=officer_user,
        token_header={"Authorization": f"Bearer {secret}"},
        big_call=BIG_CALL,
        application=application or "",
        programme_financing=f"/programmes/{BELGIAN_CCI}/v{number}/financing/",
    )
