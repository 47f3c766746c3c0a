"""Who may see and do what: the one place that decides (like pretix's has_event_permission).

Every staff view goes through `unit_view` (or calls `get_unit_access` directly). A unit the user may not
read answers 404, so its existence is not revealed; a write the user's role does not allow answers 403.

Roles, strongest first (what each may do is the table `ALLOWED` below, asked through `UnitAccess.may`):
- superuser: everything, everywhere;
- unit admin (ผู้ดูแลระบบของหน่วยงาน): edits the plan, its measures (and their owners), ITA results and
  recommendations, due dates; imports; reviews entries (approve, return, reopen); publishes reports;
- editor (ผู้รายงาน): reports progress (entries, OIT items) on what the departments of the membership own
  (every department when it names none) and submits it; edits those measures' text and steps, and may add
  owners to them but never remove one;
- executive (ผู้บริหาร) of the unit, or province viewer over every unit of a province: read only.

A deactivated unit (Unit.is_active false) can be read by its people but not written (superusers excepted).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from units.models import Membership, ProvinceGrant, Unit

READ = "read"
EDIT = "edit"
ADMIN = "admin"
_LEVELS = (READ, EDIT, ADMIN)


class Action(StrEnum):
    """What someone may want to do inside a unit."""

    READ = "read"
    REPORT = "report"  # write a progress entry or an OIT item's progress (owned by departments)
    SUBMIT = "submit"  # send an entry for approval (owned by departments)
    EDIT_MEASURE = "edit_measure"  # a measure's text, period and steps (owned by departments)
    EDIT_PLAN = "edit_plan"  # create or copy a plan, create measures, take owners away from a measure
    ASSESS = "assess"  # ITA results and recommendations
    DUE_DATES = "due_dates"
    IMPORT = "import"
    REVIEW = "review"  # approve, return, reopen an entry
    PUBLISH = "publish"


_ADMIN, _EDITOR, _EXECUTIVE = Membership.Role.ADMIN, Membership.Role.EDITOR, Membership.Role.EXECUTIVE
_ADMINS = frozenset({"superuser", _ADMIN})
_WRITERS = frozenset({"superuser", _ADMIN, _EDITOR})
# Action → roles allowed. Actions on things owned by departments (OWNED) also need the department.
ALLOWED: dict[Action, frozenset[str]] = {
    Action.READ: frozenset({"superuser", _ADMIN, _EDITOR, _EXECUTIVE, "province"}),
    Action.REPORT: _WRITERS,
    Action.SUBMIT: _WRITERS,
    Action.EDIT_MEASURE: _WRITERS,
    Action.EDIT_PLAN: _ADMINS,
    Action.ASSESS: _ADMINS,
    Action.DUE_DATES: _ADMINS,
    Action.IMPORT: _ADMINS,
    Action.REVIEW: _ADMINS,
    Action.PUBLISH: _ADMINS,
}
OWNED = frozenset({Action.REPORT, Action.SUBMIT, Action.EDIT_MEASURE})


@dataclass(frozen=True)
class UnitAccess:
    unit: Unit
    role: str  # "superuser", a Membership.Role value, or "province"
    department_ids: frozenset[int] | None = None  # None: not limited to departments
    unit_active: bool = True  # a deactivated unit's people may only read
    user: object = field(default=None, compare=False, repr=False)  # who acts (recorded by the services)

    @property
    def role_label(self) -> str:
        labels = {"superuser": _("System administrator"), "province": _("Province viewer (read-only)")}
        return labels.get(self.role) or Membership.Role(self.role).label

    @property
    def can_read(self) -> bool:
        return True

    @property
    def read_only(self) -> bool:
        """Executives, province viewers, and everyone but superusers in a deactivated unit."""
        return self.role not in _WRITERS or (not self.unit_active and self.role != "superuser")

    @property
    def can_edit(self) -> bool:
        return not self.read_only

    @property
    def can_admin(self) -> bool:
        return self.role in _ADMINS and not self.read_only

    def may(self, action: Action | str, department_ids: Iterable[int] | None = None) -> bool:
        """The one answer to "may this person do this here?". For actions on something departments own
        (a measure, an OIT item), pass its owners' ids."""
        action = Action(action)
        if self.role not in ALLOWED[action]:
            return False
        if action is Action.READ:
            return True
        if self.read_only:
            return False
        if action in OWNED and self.department_ids is not None:
            return bool(self.department_ids.intersection(department_ids or ()))
        return True

    def may_set_owners(self, before: Iterable[int], after: Iterable[int]) -> bool:
        """Editing a measure's owners never takes a department's access away, except by an administrator:
        others may add departments (keeping one of their own) but not remove any."""
        if self.may(Action.EDIT_PLAN):
            return True
        before, after = set(before), set(after)
        return before <= after and self.may(Action.EDIT_MEASURE, after)

    @property
    def is_limited(self) -> bool:
        return self.department_ids is not None

    def allows(self, level: str) -> bool:
        return {READ: self.can_read, EDIT: self.can_edit, ADMIN: self.can_admin}[level]

    def can_edit_owned_by(self, department_ids: Iterable[int]) -> bool:
        """May this user report on something owned by these departments (a measure, an OIT item)?"""
        return self.may(Action.REPORT, department_ids)


def get_unit_access(user, unit: Unit) -> UnitAccess | None:
    """The user's access to one unit, or None when the user may not even read it."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return UnitAccess(unit, "superuser", user=user)
    membership = (
        Membership.objects.filter(user=user, unit=unit).prefetch_related("departments").first()
    )
    if membership is not None:
        department_ids = None
        if membership.role == Membership.Role.EDITOR:
            limited = frozenset(d.id for d in membership.departments.all())
            department_ids = limited or None
        return UnitAccess(unit, membership.role, department_ids, unit.is_active, user)
    if unit.province and ProvinceGrant.objects.filter(user=user, province=unit.province).exists():
        return UnitAccess(unit, "province", unit_active=unit.is_active, user=user)
    return None


def visible_units(user) -> QuerySet[Unit]:
    """Every unit the user may read."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    provinces = ProvinceGrant.objects.filter(user=user).values("province")
    return Unit.objects.filter(Q(memberships__user=user) | Q(province__in=provinces)).distinct()


def visible_provinces(user) -> list[str] | None:
    """Provinces whose overview the user may see; None means all (superusers)."""
    if user.is_superuser:
        return None
    return list(ProvinceGrant.objects.filter(user=user).values_list("province", flat=True))


def require_unit_access(user, slug: str, level: str = READ) -> UnitAccess:
    """Resolve a unit slug for a user: 404 when unreadable, 403 when the level is not allowed."""
    assert level in _LEVELS
    unit = get_object_or_404(Unit, slug=slug)
    access = get_unit_access(user, unit)
    if access is None:
        raise Http404("No unit matches the given query.")
    if not access.allows(level):
        raise PermissionDenied
    return access


def unit_view(level: str = READ):
    """Decorator for staff views taking a `slug` URL argument.

    The view receives the `UnitAccess` as `access` (with `access.unit`) instead of the slug, and the
    request carries it as `request.access` for templates.
    """

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            access = require_unit_access(request.user, slug, level)
            request.access = access
            return view(request, *args, access=access, **kwargs)

        return wrapped

    return decorator


def require(access: UnitAccess, action: Action | str, department_ids: Iterable[int] | None = None) -> None:
    """403 unless `access.may(action, department_ids)`."""
    if not access.may(action, department_ids):
        raise PermissionDenied
