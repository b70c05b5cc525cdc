"""Forms read and render the fields; the rules live in `services`.

No field is validated here (all are optional text), so the service is the one place a rule is written
and every problem it finds is shown beside its field via `show_errors`. Fields the service will
require carry the HTML `required` attribute, for browsers and screen readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.errors import ApplicationError
from amis.organisations.models import AUTHORITY_KINDS, BENEFICIARY_KINDS, Organisation

REQUIRED = {"required": True}


def _text(label: Any, help_text: Any = "", required: bool = False, **attrs: Any) -> forms.CharField:
    widget_attrs = {**(REQUIRED if required else {}), **attrs}
    return forms.CharField(
        label=label, help_text=help_text, required=False, widget=forms.TextInput(widget_attrs)
    )


def kind_choices(kinds: Iterable[str]) -> list[tuple[str, Any]]:
    allowed = set(kinds)
    return [("", _("Choose…"))] + [(k.value, k.label) for k in Organisation.Kind if k in allowed]


class OrganisationForm(forms.Form):
    kind = forms.CharField(
        label=_("Type of organisation"), required=False, widget=forms.Select(attrs=REQUIRED)
    )
    name = _text(_("Name"), required=True, autocomplete="organization")
    short_name = _text(_("Short name"), _("An acronym or the name used in daily work, if any."))
    enterprise_number = _text(
        _("Enterprise number (KBO/BCE)"),
        _(
            "10 digits, e.g. 0308.357.159. Required for Belgian organisations, "
            "except international organisations."
        ),
        inputmode="numeric",
    )
    vat_number = _text(
        _("VAT number"),
        _("Only for organisations outside Belgium, with the country code, e.g. NL004495445B01."),
    )
    street = _text(_("Street and number"), autocomplete="street-address")
    postcode = _text(_("Postcode"), autocomplete="postal-code")
    city = _text(_("City"), autocomplete="address-level2")
    country = _text(
        _("Country"), _("Two-letter code, e.g. BE, NL, FR."), required=True, autocomplete="country"
    )
    email = forms.CharField(
        label=_("E-mail address"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    iban = _text(_("IBAN"), _("The account the grant is paid into, e.g. BE71 0961 2345 6769."))
    bic = _text(_("BIC"), _("Needed for accounts outside Belgium, e.g. GKCCBEBB."))

    groups: tuple[tuple[Any, tuple[str, ...]], ...] = (
        (_("Identity"), ("kind", "name", "short_name", "enterprise_number", "vat_number")),
        (_("Address"), ("street", "postcode", "city", "country", "email")),
        (_("Bank account"), ("iban", "bic")),
    )

    def __init__(
        self, *args: Any, kinds: Iterable[str] = tuple(Organisation.Kind.values), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.choices = kind_choices(kinds)  # type: ignore[attr-defined]

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.groups]

    def data_for_service(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.fields}

    @classmethod
    def for_organisation(cls, organisation: Organisation, *args: Any, **kwargs: Any) -> OrganisationForm:
        """The kinds offered never cross from beneficiary to authority (the service refuses it anyway)."""
        kinds = AUTHORITY_KINDS if organisation.is_authority else BENEFICIARY_KINDS
        return cls(*args, kinds=kinds, **kwargs)


class RegistrationForm(OrganisationForm):
    contact_name = _text(_("Your name"), autocomplete="name")
    contact_function = _text(_("Your function"), autocomplete="organization-title")
    contact_phone = forms.CharField(
        label=_("Your phone number"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    groups = (
        *OrganisationForm.groups,
        (_("You, as the first contact person"), ("contact_name", "contact_function", "contact_phone")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, kinds=BENEFICIARY_KINDS, **kwargs)


class ContactForm(forms.Form):
    name = _text(_("Name"), required=True, autocomplete="off")
    function = _text(_("Function"))
    email = forms.CharField(
        label=_("E-mail address"), required=False, widget=forms.EmailInput(attrs=REQUIRED)
    )
    phone = forms.CharField(
        label=_("Phone number"), required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )

    def data_for_service(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.fields}


def show_errors(form: forms.Form, error: ApplicationError) -> None:
    """Put each field problem the service found beside its field; the rest above the form."""
    fields = error.extra.get("fields") or {}
    for name, message in fields.items():
        form.add_error(name if name in form.fields else None, message)
    if not fields:
        form.add_error(None, error.message)
