"""Every page and API endpoint with the permission it needs: the other half of the permission table.

`test_permission_matrix.py` checks that every URL pattern of the project appears here and walks each
route for every role; `docs/permissions.md` lists them. Placeholders are filled by the test's fixture:
{cci}, {own_org}, {other_org}, {pending_org}, {person}, {assignment}, {call}, {own_application},
{other_application}, {meeting}, {call_document}, {own_attachment}.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    action: str
    # the organisation whose data the answer shows: a refused request must not contain its name
    shows: str = ""


PROGRAMME = "/programmes/{cci}"
ROUTES: list[Route] = [
    # the home page (tasks and figures by role; a welcome for visitors) and the footer's pages
    Route("GET", "/", "home.view"),
    Route("GET", "/privacy/", "home.view"),
    Route("GET", "/accessibility/", "home.view"),
    # programme pages (public information, Reg. 514/2014 Art. 53)
    Route("GET", "/programmes/", "programme.view"),
    Route("GET", PROGRAMME + "/", "programme.view"),
    Route("GET", PROGRAMME + "/select/?version=2", "programme.view"),
    Route("GET", PROGRAMME + "/versions/", "programme.view"),
    Route("GET", PROGRAMME + "/v2/", "programme.view"),
    Route("GET", PROGRAMME + "/v3/", "programme.view_drafts"),  # a draft: not for the public
    Route("GET", PROGRAMME + "/v3/financing/", "programme.view_drafts"),
    Route("GET", PROGRAMME + "/v2/financing/", "programme.view"),
    Route("GET", PROGRAMME + "/v2/indicators/", "programme.view"),
    Route("GET", PROGRAMME + "/v2/special-cases/", "programme.view"),
    Route("GET", PROGRAMME + "/v2/texts/", "programme.view"),
    Route("GET", PROGRAMME + "/v2/validation/", "programme.view"),
    Route("GET", PROGRAMME + "/v2/export.xlsx", "programme.export"),
    Route("GET", PROGRAMME + "/v3/financing/edit/", "programme.edit"),
    Route("POST", PROGRAMME + "/v3/new-draft/", "programme.new_draft"),
    Route("POST", PROGRAMME + "/v3/status/", "programme.change_status"),
    Route("POST", PROGRAMME + "/v3/ready-for-review/", "programme.edit"),
    # organisations
    Route("GET", "/organisations/", "organisation.list", shows="other_org"),
    Route("GET", "/organisations/new/", "organisation.create"),
    Route("GET", "/organisations/register/", "organisation.register"),
    Route("GET", "/organisations/register/{pending_org}/submitted/", "organisation.register"),
    Route("GET", "/organisations/registrations/", "organisation.decide", shows="pending_org"),
    Route("POST", "/organisations/registrations/{pending_org}/decide/", "organisation.decide"),
    Route("POST", "/organisations/registrations/{own_org}/bank-account/", "organisation.decide"),
    Route("POST", "/organisations/registrations/{own_org}/name/", "organisation.decide"),
    Route("GET", "/organisations/mine/", "organisation.mine"),
    Route("GET", "/organisations/{own_org}/", "organisation.view", shows="own_org"),
    Route("GET", "/organisations/{other_org}/", "organisation.view", shows="other_org"),
    Route("GET", "/organisations/{own_org}/edit/", "organisation.update", shows="own_org"),
    Route("GET", "/organisations/{other_org}/edit/", "organisation.update", shows="other_org"),
    Route("POST", "/organisations/{own_org}/contacts/add/", "organisation.update"),
    Route("POST", "/organisations/{own_org}/contacts/{contact}/remove/", "organisation.update"),
    # people
    Route("GET", "/people/", "user.list"),
    Route("GET", "/people/new/", "user.create"),
    Route("GET", "/people/{person}/", "user.list"),
    Route("POST", "/people/roles/{assignment}/revoke/", "role.assign"),
    Route("GET", "/people/me/", "token.manage"),
    Route("POST", "/people/tokens/{token}/revoke/", "token.manage"),
    # audit trail
    Route("GET", "/audit/", "audit.view"),
    Route("GET", "/audit/export.csv", "audit.export"),
    Route("GET", "/audit/person/{person}/", "audit.view"),
    Route("GET", "/audit/object/accounts.User/{person}/", "audit.view"),
    Route("GET", "/audit/object/organisations.Organisation/{own_org}/", "organisation.view"),
    Route("GET", "/audit/object/organisations.Organisation/{other_org}/", "organisation.view"),
    # calls and applications
    Route("GET", "/calls/", "call.view"),
    Route("GET", "/calls/{call}/", "call.view"),
    Route("GET", "/calls/new/", "call.manage"),
    Route("GET", "/calls/new/objectives/?programme={cci}&specific_objective=SO2", "call.manage"),
    Route("GET", "/calls/{call}/edit/", "call.manage"),
    Route("POST", "/calls/{call}/documents/", "call.manage"),
    Route("GET", "/calls/{call}/documents/{call_document}/", "call.view"),
    Route("POST", "/calls/{call}/documents/{call_document}/remove/", "call.manage"),
    Route("GET", "/calls/{call}/double-funding/", "selection.manage"),
    Route("POST", "/applications/{own_application}/attachments/", "application.edit"),
    Route("GET", "/applications/{own_application}/attachments/{own_attachment}/", "application.view"),
    Route("POST", "/applications/{other_application}/attachments/", "application.edit"),
    Route("GET", "/applications/", "organisation.mine"),
    Route("GET", "/applications/{own_application}/", "application.view", shows="own_org"),
    Route("GET", "/applications/{other_application}/", "application.view", shows="other_org"),
    Route("POST", "/calls/{call}/apply/", "application.edit"),
    Route("POST", "/calls/{call}/transition/", "call.manage"),
    Route("POST", "/calls/{call}/ranking/", "selection.manage"),
    Route("POST", "/calls/{call}/meetings/", "selection.manage"),
    Route("GET", "/applications/{own_application}/edit/", "application.edit", shows="own_org"),
    Route("GET", "/applications/{other_application}/edit/", "application.edit", shows="other_org"),
    Route("POST", "/applications/{own_application}/edit/", "application.edit"),
    Route("GET", "/applications/{own_application}/edit/rows/partner/?index=3", "application.edit"),
    Route("GET", "/applications/{other_application}/edit/rows/activity/?index=3", "application.edit"),
    Route("POST", "/applications/{own_application}/edit/preview/", "application.edit"),
    Route("POST", "/applications/{other_application}/edit/preview/", "application.edit"),
    Route("POST", "/applications/{own_application}/submit/", "application.edit"),
    Route("POST", "/applications/{other_application}/submit/", "application.edit"),
    Route("POST", "/applications/{own_application}/withdraw/", "application.edit"),
    Route("POST", "/applications/{own_application}/eligibility/", "application.check"),
    Route("GET", "/applications/{own_application}/assess/", "application.assess"),
    Route("POST", "/applications/{own_application}/assess/", "application.assess"),
    Route("POST", "/applications/{own_application}/consolidation/", "selection.manage"),
    # a meeting page answers a POST without an action before looking the meeting up (id 0: none)
    Route("GET", "/meetings/{meeting}/", "committee.view"),
    Route("POST", "/meetings/{meeting}/", "committee.decide"),
    # REST API
    Route("GET", "/api/v1/programmes", "programme.view"),
    Route("GET", "/api/v1/programmes/{cci}", "programme.view"),
    Route("GET", "/api/v1/programmes/{cci}/versions", "programme.view"),
    Route("GET", "/api/v1/programmes/{cci}/versions/2", "programme.view"),
    Route("GET", "/api/v1/programmes/{cci}/versions/2/financing-plan", "programme.view"),
    Route("GET", "/api/v1/programmes/{cci}/versions/2/indicators", "programme.view"),
    Route("GET", "/api/v1/programmes/{cci}/versions/2/validation", "programme.view"),
    Route("GET", "/api/v1/programmes/{cci}/versions/2/tables.xlsx", "programme.export"),
    Route("GET", "/api/v1/programmes/{cci}/diff?v1=2&v2=2", "programme.view"),
    Route("GET", "/api/v1/programmes/{cci}/diff?v1=2&v2=3", "programme.view_drafts"),  # v3: a draft
    Route("GET", "/api/v1/programmes/{cci}/versions/3", "programme.view_drafts"),
    Route("GET", "/api/v1/organisations", "organisation.list", shows="other_org"),
    Route("GET", "/api/v1/organisations/{own_org}", "organisation.view", shows="own_org"),
    Route("GET", "/api/v1/organisations/{other_org}", "organisation.view", shows="other_org"),
    Route("POST", "/api/v1/organisations", "organisation.create"),
    Route("PATCH", "/api/v1/organisations/{own_org}", "organisation.update"),
    Route("PATCH", "/api/v1/organisations/{other_org}", "organisation.update"),
    Route("POST", "/api/v1/organisations/{pending_org}/decision", "organisation.decide"),
    Route("POST", "/api/v1/organisations/{own_org}/bank-account/decision", "organisation.decide"),
    Route("POST", "/api/v1/organisations/{own_org}/name/decision", "organisation.decide"),
    Route("GET", "/api/v1/calls", "call.view"),
    Route("GET", "/api/v1/calls/{call}", "call.view"),
    Route("POST", "/api/v1/calls", "call.manage"),
    Route("POST", "/api/v1/calls/{call}/transition", "call.manage"),
    Route("PATCH", "/api/v1/calls/{call}", "call.manage"),
    Route("GET", "/api/v1/calls/{call}/documents", "call.view"),
    Route("POST", "/api/v1/calls/{call}/documents", "call.manage"),
    Route("GET", "/api/v1/applications", "organisation.mine"),
    Route("POST", "/api/v1/calls/{call}/applications", "token.manage"),
    Route("GET", "/api/v1/applications/{own_application}", "application.view", shows="own_org"),
    Route("GET", "/api/v1/applications/{other_application}", "application.view", shows="other_org"),
    Route("GET", "/api/v1/applications/{own_application}/problems", "application.view"),
    Route("PATCH", "/api/v1/applications/{own_application}", "application.edit"),
    Route("PATCH", "/api/v1/applications/{other_application}", "application.edit"),
    Route("POST", "/api/v1/applications/{own_application}/submit", "application.edit"),
    Route("POST", "/api/v1/applications/{own_application}/withdraw", "application.edit"),
    Route("GET", "/api/v1/applications/{own_application}/attachments", "application.view"),
    Route("GET", "/api/v1/applications/{other_application}/attachments", "application.view"),
    Route("POST", "/api/v1/applications/{own_application}/attachments", "application.edit"),
    Route("POST", "/api/v1/applications/{own_application}/eligibility", "application.check"),
    Route("POST", "/api/v1/applications/{own_application}/assessments", "application.assess"),
    Route("GET", "/api/v1/applications/{own_application}/assessment-state", "selection.manage"),
    Route("POST", "/api/v1/applications/{own_application}/consolidation", "selection.manage"),
    Route("POST", "/api/v1/other-fund-projects", "selection.manage"),
    Route("POST", "/api/v1/calls/{call}/double-funding-check", "selection.manage"),
    Route("GET", "/api/v1/calls/{call}/double-funding-flags", "selection.manage"),
    Route("POST", "/api/v1/double-funding-flags/0/clear", "selection.manage"),
    Route("POST", "/api/v1/calls/{call}/ranking", "selection.manage"),
    Route("GET", "/api/v1/calls/{call}/ranking", "application.list"),
    Route("POST", "/api/v1/calls/{call}/meetings", "selection.manage"),
    Route("POST", "/api/v1/meetings/0/decisions", "committee.decide"),
    Route("POST", "/api/v1/meetings/0/close", "committee.decide"),
]
