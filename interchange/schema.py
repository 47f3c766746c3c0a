"""The `ita-portal/unit-year` format as pydantic models: versions 1 and 1.1 (docs/unit-year-v1.1.md).

The models are the contract: extra keys are refused, every database limit is a constraint (lengths,
integer sizes; NUL and other control characters are cleaned from free text by
`ita_portal.text.normalise_text` before the limits are checked), and the published JSON Schema
(`docs/unit-year.schema.json`) is generated from them (`json_schema()`). Pydantic's errors are turned into
one `DocumentError` naming the JSON path, in Thai and in English (`interchange.messages`).

Rules that need the database (the year's framework) are checked by interchange.importer with the same
error type; rules across the document (owners among the unit's departments) by `cross_check` below.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import models_json_schema
from pydantic_core import PydanticCustomError

from assessments.models import Tool
from interchange.messages import DocumentError, error_from_pydantic
from ita_portal.text import normalise_text
from measures.forms import ALLOWED_EVIDENCE_TYPES
from measures.models import OitProgress, ProgressEntry, ReviewEvent, Round, Status
from units.models import Unit

FORMAT = "ita-portal/unit-year"
INT_MAX = 2_147_483_647  # PostgreSQL integer (PositiveIntegerField)
SCHEMA_ID = "https://ita-portal.example/schemas/unit-year.schema.json"


def _choices(values) -> Any:
    return Literal[tuple(values)]  # type: ignore[valid-type]


def _text(value):
    # Fast path: normalise_text only changes control, format and line/paragraph separator characters,
    # none of which is printable; most values are plain text and pass untouched.
    if isinstance(value, str) and not value.isprintable():
        return normalise_text(value)
    return value


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("ita_date", "expected an ISO date YYYY-MM-DD") from None


def _datetime(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise PydanticCustomError("ita_datetime", "expected an ISO 8601 date and time with offset")
    return parsed


def _score(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise PydanticCustomError("ita_number", "expected a number")
    try:
        value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise PydanticCustomError("ita_number", "expected a number") from None
    if not value.is_finite() or value < 0 or value > 100:
        raise PydanticCustomError("ita_score", "expected a score from 0 to 100")
    if value.as_tuple().exponent < -2:
        raise PydanticCustomError("ita_score_places", "expected at most two decimals")
    return value


def _distinct(values: list) -> list:
    """Lists the database keeps as links (indicators, OIT items, owners) name each thing once."""
    seen = set()
    for index, value in enumerate(values):
        if value in seen:
            raise PydanticCustomError("ita_duplicate", "duplicate of an earlier entry", {"index": index})
        seen.add(value)
    return values


def _unique(key: str):
    """A list of objects where `key` names each object once (one plan per year, one entry per round)."""

    def check(items: list) -> list:
        seen = set()
        for index, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                raise PydanticCustomError("ita_duplicate_" + key, "one per " + key, {"index": index, "key": key})
            seen.add(value)
        return items

    return AfterValidator(check)


NOT_BLANK = r"\S"  # searched (not anchored): at least one character that is not white space


def Text(max_length: int | None = None, *, blank: bool = True, pattern: str | None = None) -> Any:
    """Free text: cleaned (Word's line breaks, NUL), then held to the database column's length."""
    pattern = pattern if blank else NOT_BLANK
    constraints = StringConstraints(max_length=max_length, pattern=pattern)
    if pattern is None:
        return Annotated[str, BeforeValidator(_text), constraints]
    # pydantic leaves a pattern checked after a validator out of the JSON Schema: it is said here.
    return Annotated[str, BeforeValidator(_text), constraints, Field(json_schema_extra={"pattern": pattern})]


DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
IsoDate = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_date),
                    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN})]
IsoDateTime = Annotated[str, StringConstraints(max_length=40), AfterValidator(_datetime),
                        WithJsonSchema({"type": "string", "format": "date-time"})]
Url = Annotated[str, StringConstraints(max_length=500, pattern=URL_PATTERN)]
Score = Annotated[Decimal, PlainValidator(_score), WithJsonSchema(
    {"type": "number", "minimum": 0, "maximum": 100, "description": "at most two decimals"})]
FiscalYear = Annotated[int, Field(ge=2400, le=2800, description="Buddhist Era fiscal year")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{2,50}$")]
Department = Text(200, blank=False)
Owners = Annotated[list[Department], AfterValidator(_distinct), Field(json_schema_extra={"uniqueItems": True})]
IndicatorNumber = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]?$")]
OitCode = Annotated[str, StringConstraints(min_length=1, max_length=10, pattern=r"^\S+$")]


class Model(BaseModel):
    """Strict (no coercion: "85" is not a number, 1 is not a string), closed (unknown keys refused).
    Optional numbers and dates default to None when absent but are never null in a file (`x: T = None`):
    the format has no null."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class UnitSpec(Model):
    slug: Slug
    name: Text(200, blank=False)
    kind: _choices(Unit.Kind.values)
    district: Text(100) = ""
    province: Text(100) = ""
    departments: Annotated[list[Department], AfterValidator(_distinct), Field(json_schema_extra={"uniqueItems": True})] = Field(default_factory=list)


class AssessmentSpec(Model):
    fiscal_year: FiscalYear
    scores: Annotated[dict[IndicatorNumber, Score], Field(json_schema_extra={"additionalProperties": False})] = Field(default_factory=dict)
    official_total: Score = None
    official_level: Text(50) = ""
    tool_totals: dict[_choices(Tool.Code.values), Score] = Field(default_factory=dict)


class EntrySpec(Model):
    round: _choices(Round.values)
    status: _choices(Status.values)
    percent: Annotated[int, Field(ge=0, le=100)] = None
    result: Text() = ""
    outcome: Text() = ""
    problems: Text() = ""
    suggestions: Text() = ""
    evidence: list[Url] = Field(default_factory=list)
    reported_on: IsoDate = None


class MeasureSpec(Model):
    number: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.\-]{1,20}$")]
    title: Text(blank=False)
    issue: Text() = ""
    indicators: Annotated[list[IndicatorNumber], AfterValidator(_distinct), Field(json_schema_extra={"uniqueItems": True})] = Field(default_factory=list)
    oit_items: Annotated[list[OitCode], AfterValidator(_distinct), Field(json_schema_extra={"uniqueItems": True})] = Field(default_factory=list)
    steps: list[Text()] = Field(default_factory=list)
    owners: Owners = Field(default_factory=list)
    owner_text: Text() = ""
    start: IsoDate = None
    end: IsoDate = None
    period_text: Text(200) = ""
    expected_outcome: Text() = ""
    follow_up: Text() = ""
    progress: Annotated[list[EntrySpec], _unique("round")] = Field(default_factory=list)

    @model_validator(mode="after")
    def _period(self):
        if self.start and self.end and self.end < self.start:
            raise PydanticCustomError("ita_end_before_start", "end must not be before start", {"key": "end"})
        return self


class OitItemSpec(Model):
    code: OitCode
    owners: Owners = Field(default_factory=list)
    status: _choices(OitProgress.ItemStatus.values)
    note: Text() = ""
    url: Url = None


class PlanSpec(Model):
    fiscal_year: FiscalYear
    based_on_assessment: FiscalYear = None
    measures: list[MeasureSpec]
    oit_items: Annotated[list[OitItemSpec], _unique("code")] = Field(default_factory=list)


class DocumentSpec(Model):
    """Version 1 (../shared/formats/unit-year-v1.md)."""

    model_config = ConfigDict(title="unit-year version 1")
    format: Literal["ita-portal/unit-year"]
    version: Annotated[int, PlainValidator(lambda v: v), WithJsonSchema({"const": 1})]
    unit: UnitSpec
    assessments: Annotated[list[AssessmentSpec], _unique("fiscal_year")] = Field(default_factory=list)
    plans: Annotated[list[PlanSpec], _unique("fiscal_year")] = Field(default_factory=list)


# Version 1.1: the review and the evidence files of each entry.


def _legacy_action(value):
    # This portal's exports of 2026-11-26/27 wrote "edit" for an edit that sent a submitted entry back to
    # draft; the contract calls that a reopen (measures.review.record_withdrawal), so such files still read.
    return ReviewEvent.Action.REOPEN.value if value == "edit" else value


class HistorySpec(Model):
    action: Annotated[_choices(ReviewEvent.Action.values), BeforeValidator(_legacy_action)]
    by: Text(150)
    at: IsoDateTime
    comment: Text() = ""
    version: Annotated[int, Field(ge=1, le=INT_MAX)] = None


class ReviewSpec(Model):
    state: _choices(ProgressEntry.Review.values)
    comment: Text() = ""
    history: list[HistorySpec] = Field(default_factory=list)


class EvidenceFileSpec(Model):
    name: Text(255, blank=False)
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[int, Field(ge=0, le=INT_MAX)]
    content_type: _choices(sorted(ALLOWED_EVIDENCE_TYPES))


class EntrySpec11(EntrySpec):
    review: ReviewSpec = None
    evidence_files: Annotated[list[EvidenceFileSpec], _unique("sha256")] = Field(default_factory=list)


class MeasureSpec11(MeasureSpec):
    progress: Annotated[list[EntrySpec11], _unique("round")] = Field(default_factory=list)


class PlanSpec11(PlanSpec):
    measures: list[MeasureSpec11]


class DocumentSpec11(DocumentSpec):
    """Version 1.1 (docs/unit-year-v1.1.md)."""

    model_config = ConfigDict(title="unit-year version 1.1")
    version: Annotated[Decimal, PlainValidator(lambda v: v), WithJsonSchema({"const": 1.1})]
    plans: Annotated[list[PlanSpec11], _unique("fiscal_year")] = Field(default_factory=list)


VERSIONS = {Decimal(1): DocumentSpec, Decimal("1.1"): DocumentSpec11}


def _version(doc) -> Decimal:
    value = doc.get("version")
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        number = Decimal(str(value))
        if number in VERSIONS:
            return number
    if "version" not in doc:
        raise DocumentError("version", "ต้องมีคีย์นี้", "required key is missing")
    raise DocumentError("version", "ต้องเป็น 1 หรือ 1.1", "expected 1 or 1.1")


def validate(doc) -> DocumentSpec:
    """The document as models (text cleaned, dates parsed); DocumentError on the first rule it breaks."""
    if not isinstance(doc, dict):
        raise DocumentError("", "ต้องเป็นออบเจกต์", "expected an object")
    if doc.get("format") != FORMAT:
        path_error = "format" if "format" in doc else None
        if path_error is None:
            raise DocumentError("format", "ต้องมีคีย์นี้", "required key is missing")
        raise DocumentError("format", f'ต้องเป็น "{FORMAT}"', f'expected "{FORMAT}"')
    model = VERSIONS[_version(doc)]
    try:
        spec = model.model_validate(doc)
    except ValidationError as exc:
        raise error_from_pydantic(exc.errors(include_url=False)) from None
    cross_check(spec)
    return spec


def cross_check(spec: DocumentSpec) -> None:
    """Owners name departments of the file's unit."""
    departments = set(spec.unit.departments)
    for i, plan in enumerate(spec.plans):
        for j, measure in enumerate(plan.measures):
            _owners(f"plans[{i}].measures[{j}].owners", measure.owners, departments)
        for j, item in enumerate(plan.oit_items):
            _owners(f"plans[{i}].oit_items[{j}].owners", item.owners, departments)


def _owners(path: str, owners, departments) -> None:
    for k, name in enumerate(owners):
        if name not in departments:
            raise DocumentError(f"{path}[{k}]", "ต้องเป็นชื่อใน unit.departments", "expected a name from unit.departments")


def json_schema() -> dict:
    """The published JSON Schema (docs/unit-year.schema.json): a document is version 1 or 1.1."""
    _, top = models_json_schema([(DocumentSpec11, "validation"), (DocumentSpec, "validation")],
                                ref_template="#/$defs/{model}")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ita-portal/unit-year",
        "description": "One unit's ITA results and measure plans with their progress; see docs/unit-year-v1.1.md.",
        "oneOf": [{"$ref": "#/$defs/DocumentSpec11"}, {"$ref": "#/$defs/DocumentSpec"}],
        "$defs": top["$defs"],
    }
