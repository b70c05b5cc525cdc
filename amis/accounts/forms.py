from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.accounts.models import ApiToken
from amis.accounts.roles import Role
from amis.accounts.selectors import organisations


class UserCreateForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), required=False)
    last_name = forms.CharField(label=_("Last name"), required=False)
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput, help_text=_("At least 12 characters.")
    )


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=organisations().filter(status="approved"), required=False
    )
    specific_objective = forms.CharField(
        label=_("Specific objective (e.g. SO2)"), required=False, max_length=10
    )
    national_objective = forms.CharField(
        label=_("National objective (e.g. NO2)"), required=False, max_length=10
    )
    action_scope = forms.CharField(label=_("Part of the programme (e.g. FL)"), required=False, max_length=40)


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("What will use this token?"), max_length=100)
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class ConflictForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=organisations().all())
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))
