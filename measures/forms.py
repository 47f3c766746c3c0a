import filetype
from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_portal import thai
from ita_portal.forms import BEDateField, CleanTextMixin, IdListField
from measures import rounds
from measures.models import Measure, MeasureStep, ProgressEntry
from measures.status import OitStatus, Status, entry_problems

ALLOWED_EVIDENCE_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# What the file chooser offers: the same types as ALLOWED_EVIDENCE_TYPES, by extension and media type.
EVIDENCE_ACCEPT = (
    ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx,application/pdf,image/jpeg,image/png,image/gif,"
    "image/webp,application/msword,application/vnd.ms-excel,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)


class VersionedForm(CleanTextMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class MeasureForm(VersionedForm):
    start = BEDateField(label=_("start"), required=False)
    end = BEDateField(label=_("end"), required=False)

    class Meta:
        model = Measure
        fields = [
            "number", "title", "issue", "indicators", "oit_items", "owners", "owner_text",
            "start", "end", "period_text", "expected_outcome", "follow_up",
        ]  # fmt: skip
        field_classes = {"indicators": IdListField, "oit_items": IdListField, "owners": IdListField}
        widgets = {
            "indicators": forms.CheckboxSelectMultiple,
            "owners": forms.CheckboxSelectMultiple,
            "oit_items": forms.SelectMultiple(attrs={"size": 8}),
            "title": forms.Textarea(attrs={"rows": 2}),
            "issue": forms.Textarea(attrs={"rows": 2}),
            "owner_text": forms.Textarea(attrs={"rows": 1}),
            "expected_outcome": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        # Only the plan year's framework and the unit's own departments can be chosen: anything else is
        # refused as "not one of the available choices", naming the field.
        self.fields["indicators"].queryset = plan.framework.indicators.order_by("number") if plan.framework else self.fields["indicators"].queryset.none()
        self.fields["oit_items"].queryset = plan.framework.oit_items.order_by("order") if plan.framework else self.fields["oit_items"].queryset.none()
        self.fields["owners"].queryset = plan.unit.departments.order_by("order", "name")
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput | forms.Textarea | forms.SelectMultiple) and not isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("End: the end date cannot be before the start date."))
        return data


StepFormSet = inlineformset_factory(
    Measure, MeasureStep, fields=["text"], extra=2, can_delete=True, can_order=True,
    widgets={"text": forms.Textarea(attrs={"rows": 2, "class": "form-control"})},
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files; each checked for size and for its type from its content, not its name."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        checked = []
        for upload in files:
            upload = super().clean(upload, initial)
            if upload.size > settings.EVIDENCE_MAX_BYTES:
                raise forms.ValidationError(
                    _("Evidence files: %(name)s is larger than %(limit)s MB.")
                    % {"name": upload.name, "limit": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
                )
            head = upload.read(8192)
            upload.seek(0)
            kind = filetype.guess(head)
            if kind is None or kind.mime not in ALLOWED_EVIDENCE_TYPES:
                raise forms.ValidationError(
                    _("Evidence files: %(name)s is not a PDF, image, Word or Excel file.") % {"name": upload.name}
                )
            upload.detected_type = kind.mime
            checked.append(upload)
        return checked


class ProgressEntryForm(VersionedForm):
    reported_on = BEDateField(label=_("reported on"), required=False)
    links = forms.CharField(
        label=_("Evidence links"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("One web address (http or https) per line."),
    )
    files = EvidenceField(label=_("Evidence files"), required=False)

    class Meta:
        model = ProgressEntry
        fields = ["status", "percent", "result", "outcome", "problems", "suggestions", "reported_on"]
        widgets = {name: forms.Textarea(attrs={"rows": 3, "class": "form-control"}) for name in ("result", "outcome", "problems", "suggestions")}

    def __init__(self, *args, plan=None, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.submitting = plan, submitting
        self.fields["status"].error_messages["required"] = _("Status: choose the measure's status.")
        if not self.instance.pk:  # a new entry's status is chosen, never assumed
            self.fields["status"].choices = [("", "—"), *Status.choices]
            self.initial["status"] = ""
        self.fields["status"].widget.attrs["class"] = "form-select"
        self.fields["percent"].widget.attrs.update({"class": "form-control", "min": 0, "max": 100})
        self.fields["percent"].error_messages["max_value"] = _("Percent done: enter a number from 0 to 100.")
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        files = self.fields["files"]
        files.help_text = _("PDF, images (JPEG, PNG, GIF, WebP), Word or Excel files, up to %(limit)s MB each.") % {"limit": limit}
        # The browser offers only these types and refuses a file over the limit before uploading it
        # (static/js/upload-limit.js); EvidenceField checks both again on the server.
        files.widget.attrs.update({
            "accept": EVIDENCE_ACCEPT, "class": "form-control", "data-max-bytes": settings.EVIDENCE_MAX_BYTES,
            "data-too-big": _("Evidence files: {name} is larger than %(limit)s MB: choose a smaller file.") % {"limit": limit},
        })  # fmt: skip
        self.fields["reported_on"].widget.attrs.setdefault("class", "form-control")
        if self.instance.pk:
            self.fields["links"].initial = "\n".join(link.url for link in self.instance.links.all())

    def clean_percent(self):
        percent = self.cleaned_data.get("percent")
        if percent is not None and not 0 <= percent <= 100:
            raise forms.ValidationError(_("Percent done: enter a number from 0 to 100."))
        return percent

    def clean(self):
        cleaned = super().clean()
        problems = entry_problems(
            cleaned.get("status"), cleaned.get("percent"), cleaned.get("result", ""), self.submitting,
            cleaned.get("reported_on"), self.plan.fiscal_year if self.plan else None, timezone.localdate(),
        )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def clean_links(self):
        validator = forms.URLField(assume_scheme="https")
        urls = []
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            if not line.startswith(("http://", "https://")):
                raise forms.ValidationError(_("Evidence links: line %(line)s is not a web address.") % {"line": number})
            try:
                urls.append(validator.clean(line))
            except forms.ValidationError as exc:
                raise forms.ValidationError(_("Evidence links: line %(line)s is not a web address.") % {"line": number}) from exc
        return urls


class ReviewForm(CleanTextMixin, forms.Form):
    """A review transition from the measure's page: the entry's version as the page showed it, and a
    comment (required for returning and reopening: the service says so in Thai)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class OitProgressForm(CleanTextMixin, forms.Form):
    """One OIT item's progress in the plan's OIT page."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    status = forms.ChoiceField(label=_("status"), choices=OitStatus.choices)
    owners = IdListField(label=_("responsible departments"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("progress note"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    url = forms.URLField(label=_("published at URL"), required=False, assume_scheme="https", widget=forms.URLInput(attrs={"class": "form-control"}))

    def __init__(self, *args, departments, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["owners"].queryset = departments
        self.fields["status"].widget.attrs["class"] = "form-select"


class RoundDueForm(forms.Form):
    """A unit's due dates for the year's reporting rounds; a blank date means the default one."""

    ROUNDS = ("H1", "FY")

    def __init__(self, *args, fiscal_year: int, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        for code in self.ROUNDS:
            default = rounds.default_due_date(fiscal_year, code)
            self.fields[code] = BEDateField(
                label=rounds.label(code),
                required=False,
                help_text=_("Leave blank for the default date, %(date)s.") % {"date": thai.format_date(default)},
            )
            self.fields[code].widget.attrs.update({"class": "form-control", "aria-describedby": f"id_{code}-help"})
            self.initial[code] = current.get(code)

    def clean(self):
        cleaned = super().clean()
        for code in self.ROUNDS:
            due = cleaned.get(code)
            round_end = rounds.period(self.fiscal_year, code)[1]
            if due is not None and due < round_end:
                self.add_error(
                    code,
                    _("The due date cannot be before the round ends (%(date)s).") % {"date": thai.format_date(round_end)},
                )
        return cleaned
