from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from ita_portal.text import normalise_text


class ScoreField(forms.CharField):
    """A score from 0 to 100 with at most two decimals; errors name the field (the label)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 6}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        if value == "":
            return None
        message = _("%(field)s: enter a score from 0 to 100 with at most two decimals.") % {"field": self.label}
        try:
            number = Decimal(value)
        except InvalidOperation as exc:
            raise forms.ValidationError(message, code="invalid") from exc
        if not number.is_finite() or number < 0 or number > 100 or -number.as_tuple().exponent > 2:
            raise forms.ValidationError(message, code="invalid")
        return number


class RecommendationForm(forms.Form):
    """A recommendation per tool and per indicator of an assessment's analysis."""

    def __init__(self, *args, analysis=None, **kwargs):
        super().__init__(*args, **kwargs)
        for tool in analysis.tools:
            self.fields[f"tool_{tool.code}"] = forms.CharField(
                label=_("Recommendation for %(tool)s") % {"tool": tool.code},
                required=False, widget=forms.Textarea(attrs={"rows": 2}), initial=tool.recommendation,
            )
        for line in analysis.indicators:
            self.fields[f"indicator_{line.number}"] = forms.CharField(
                label=_("Recommendation for indicator %(number)s") % {"number": line.number},
                required=False, widget=forms.Textarea(attrs={"rows": 2}),
                initial=analysis.recommendations.get(line.number, ""),
            )

    def clean(self):
        cleaned = super().clean()
        return {name: normalise_text(value) for name, value in cleaned.items()}


class AssessmentForm(forms.Form):
    """One form for a year's ten scores and the official figures."""

    fiscal_year = forms.IntegerField(label=_("Fiscal year (B.E.)"), min_value=2500, max_value=2700)
    official_total = ScoreField(label=_("Official total"))
    official_level = forms.CharField(label=_("Official level"), required=False, max_length=50)

    def __init__(self, *args, framework=None, year_fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        if year_fixed:
            self.fields["fiscal_year"].disabled = True
        if framework is not None:
            for indicator in framework.indicators.order_by("number"):
                self.fields[f"score_{indicator.number}"] = ScoreField(
                    label=_("Indicator %(number)s %(name)s") % {"number": indicator.number, "name": indicator.name}
                )
            for tool in framework.tools.order_by("order"):
                self.fields[f"tool_{tool.code}"] = ScoreField(
                    label=_("%(tool)s total as announced") % {"tool": tool.code}
                )

    def clean_official_level(self):
        return normalise_text(self.cleaned_data["official_level"]).strip()

    def score_fields(self):
        return [self[name] for name in self.fields if name.startswith("score_")]

    def tool_fields(self):
        return [self[name] for name in self.fields if name.startswith("tool_")]

    def scores(self) -> dict[int, Decimal | None]:
        return {int(k[6:]): v for k, v in self.cleaned_data.items() if k.startswith("score_")}

    def tool_totals(self) -> dict[str, Decimal | None]:
        return {k[5:]: v for k, v in self.cleaned_data.items() if k.startswith("tool_")}


def initial_for(assessment: Assessment) -> dict:
    initial = {
        "fiscal_year": assessment.fiscal_year,
        "official_total": assessment.official_total,
        "official_level": assessment.official_level,
    }
    for score in assessment.scores.select_related("indicator"):
        initial[f"score_{score.indicator.number}"] = score.score
    for total in assessment.tool_totals.select_related("tool"):
        initial[f"tool_{total.tool.code}"] = total.score
    return initial
