"""Forms of the payment pages: dates typed as the reader's language writes them (core.formfields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amis.core.formfields import AmountField, DateField
from amis.payments.models import Payment
from amis.projects.models import Project
from amis.reporting.models import Report
from amis.verification.models import Finding, Irregularity


class ReportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(_("Report %(number)s (%(kind)s)") % {"number": obj.number, "kind": obj.get_kind_display()})


class PaymentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.project.reference} · {obj.get_kind_display()} · {obj.amount} EUR · {obj.creditor_name}"


class ProposeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of payment"),
        choices=[
            (Payment.Kind.PREFINANCING, _("pre-financing")),
            (Payment.Kind.INTERIM, _("interim payment")),
            (Payment.Kind.BALANCE, _("balance")),
        ],
    )
    report = ReportChoiceField(
        label=_("Report paid (interim payment or balance)"), queryset=Report.objects.none(), required=False
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["report"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Report.objects.filter(project=project, status=Report.Status.ACCEPTED).order_by(
            "number"
        )


class LockForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RejectForm(LockForm):
    reason = forms.CharField(
        label=_("Why is the payment rejected?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PaidForm(LockForm):
    paid_on = DateField(label=_("Date of the payment at the bank"))


class ReturnForm(LockForm):
    paid_on = DateField(label=_("Date of the return at the bank"))


class BatchForm(forms.Form):
    execution_date = DateField(label=_("Execution date at the bank"))
    payments = PaymentChoiceField(
        label=_("Approved payments to put in the batch"),
        queryset=Payment.objects.filter(status=Payment.Status.APPROVED, batch__isnull=True, amount__gt=0),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["payments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = field.queryset.select_related("project")  # type: ignore[union-attr]


class CancelForm(LockForm):
    reason = forms.CharField(
        label=_("Why is the payment cancelled?"),
        help_text=_("For instance: returned by the bank, paid to the wrong account, paid twice."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FindingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(_("Finding %(pk)s: %(text)s") % {"pk": obj.pk, "text": obj.text[:80]})


class IrregularityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(
            _("Irregularity %(pk)s: %(type)s, %(amount)s EUR")
            % {"pk": obj.pk, "type": obj.get_type_display(), "amount": obj.amount}
        )


class RecoveryOrderForm(forms.Form):
    """Amounts and dates typed as the reader's language writes them. Prefixed: the project page has
    other forms with an amount and a reason (budget transfers), and ids must be unique."""

    prefix = "recovery"

    amount = AmountField(label=_("Amount to recover (EUR)"))
    due_date = DateField(label=_("To be paid back by"))
    reason = forms.CharField(label=_("Why is it recovered?"), widget=forms.Textarea(attrs={"rows": 3}))
    finding = FindingChoiceField(
        label=_("Finding it comes from"), queryset=Finding.objects.none(), required=False
    )
    irregularity = IrregularityChoiceField(
        label=_("Irregularity it comes from"), queryset=Irregularity.objects.none(), required=False
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, model in (("finding", Finding), ("irregularity", Irregularity)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = model.objects.filter(project=project).order_by("pk")  # type: ignore[attr-defined]


class ReceiveForm(LockForm):
    amount = AmountField(label=_("Amount received (EUR)"))
    received_on = DateField(label=_("Date of the receipt at the bank"))


class WriteOffForm(LockForm):
    reason = forms.CharField(
        label=_("Why is the recovery written off?"), widget=forms.Textarea(attrs={"rows": 3})
    )
