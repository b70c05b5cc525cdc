"""A page never shows a link its viewer may not follow: each demo person opens the main pages of
the selection path and follows every link found on them, a few of each kind (URL pattern), and
none answers 403, 404 or 405 (issue 12, "Links that lead to 'You may not do this'").

The data is the demo's: the Belgian programme, its people, an open call with a draft and a
submitted application, a decided call with its held meeting, a call in assessment, and a planned
meeting on a ranked call."""

from __future__ import annotations

import html
import re
from collections import Counter, deque
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from amis.accounts.models import User
from amis.accounts.roles import Role
from amis.demo.calls import (
    CODE,
    IN_ASSESSMENT_CODE,
    PAST_CODE,
    load_call_in_assessment,
    load_calls,
    load_decided_call,
)
from amis.demo.people import PEOPLE, load_people
from amis.selection.models import CommitteeMeeting
from amis.selection.tests.test_committee import planned  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
HREF = re.compile(r"<a\b[^>]*\bhref=\"([^\"]+)\"")
PER_PATTERN = 2  # follow at most this many links of each URL pattern (keeps the walk fast)
# who reads a meeting page (committee.view); the others are not sent to it, only to what links to it
WITH_MEETINGS = {Role.MC_MEMBER, Role.RA_MANAGER, Role.RA_OFFICER, Role.DA_OFFICER, Role.AUDITOR}
SKIP = ("/static/", "/media/", "/admin/", "/accounts/logout/", "/api/")


@pytest.fixture
def demo(belgian: Any) -> dict[str, Any]:
    load_people(log=lambda m: None)
    load_calls(log=lambda m: None)
    load_decided_call(log=lambda m: None)
    load_call_in_assessment(log=lambda m: None)
    held = CommitteeMeeting.objects.get(call__code=PAST_CODE)
    return {"held": held}


def _links(page: str) -> list[str]:
    found = []
    for href in HREF.findall(page):
        url = html.unescape(href)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, mailto:, an anchor on the page
        if parts.path.startswith(SKIP):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _pattern(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return url  # a link to nowhere: followed, and it answers 404


def _walk(client: Client, starts: list[str]) -> list[str]:
    """Follow the links breadth-first from the start pages; return the broken ones with the page
    that showed them."""
    queue = deque((url, "(start)") for url in starts)
    seen: set[str] = set()
    per_pattern: Counter[str] = Counter()
    broken = []
    while queue:
        url, shown_on = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.status_code in (403, 404, 405):
            broken.append(f"{url} ({response.status_code}), linked from {shown_on}")
            continue
        assert response.status_code < 500, url
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(response.content.decode()):
            pattern = _pattern(link)
            if link in seen or per_pattern[pattern] >= PER_PATTERN:
                continue
            per_pattern[pattern] += 1
            queue.append((link, url))
    return broken


def test_every_link_each_role_is_shown_opens(demo: dict[str, Any]) -> None:
    starts = [
        "/",
        "/calls/",
        f"/calls/{CODE}/",
        f"/calls/{PAST_CODE}/",
        f"/calls/{IN_ASSESSMENT_CODE}/",
        "/applications/",
        "/organisations/mine/",
        "/people/me/",
    ]
    failures = {}
    for person in PEOPLE:
        client = Client()
        client.force_login(User.objects.get(email=person.email))
        broken = _walk(client, starts)
        if broken:
            failures[f"{person.role} ({person.email})"] = broken
    anonymous = _walk(Client(), ["/", "/calls/", f"/calls/{CODE}/", f"/calls/{PAST_CODE}/"])
    if anonymous:
        failures["anonymous"] = anonymous
    assert not failures, failures


def test_every_link_around_a_planned_meeting_opens(planned: dict[str, Any]) -> None:  # noqa: F811
    """A ranked call with a meeting planned (by the delegated officer, who lands on it): the call
    page and the meeting page, as the people who see them, with every link followed."""
    meeting = planned["meeting"]
    starts = [f"/calls/{CODE}/", f"/meetings/{meeting.pk}/", "/applications/"]
    failures = {}
    for person in PEOPLE:
        client = Client()
        client.force_login(User.objects.get(email=person.email))
        broken = _walk(client, starts if person.role in WITH_MEETINGS else starts[::2])
        if broken:
            failures[f"{person.role} ({person.email})"] = broken
    assert not failures, failures
