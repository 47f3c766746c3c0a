"""Who may see and do what: the one place that decides (like pretix's has_event_permission).

Every staff view goes through `unit_view` (or calls `get_unit_access` directly). A unit the user may not
read answers 404, so its existence is not revealed; a write the user's role does not allow answers 403.

Roles, strongest first:
- superuser: everything, everywhere;
- unit admin: reads and writes everything of the unit, reviews entries, publishes reports, imports;
- editor (ผู้รายงาน): reads the unit, writes measures and progress; when the membership names departments,
  writes only measures those departments own;
- executive (ผู้บริหาร) of the unit, or province viewer over every unit of a province: read only.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class UnitAccess:
    unit: Unit
    role: str  # "superuser", a Membership.Role value, or "province"
    department_ids: frozenset[int] | None = None  # None: not limited to departments

    @property
    def role_label(self) -> str:
        labels = {"superuser": _("System administrator"), "province": _("Province viewer (read-only)")}
        return labels.get(self.role) or Membership.Role(self.role).label

    @property
    def can_read(self) -> bool:
        return True

    @property
    def can_edit(self) -> bool:
        return self.role in ("superuser", Membership.Role.ADMIN, Membership.Role.EDITOR)

    @property
    def can_admin(self) -> bool:
        return self.role in ("superuser", Membership.Role.ADMIN)

    @property
    def is_limited(self) -> bool:
        return self.department_ids is not None

    def allows(self, level: str) -> bool:
        return {READ: self.can_read, EDIT: self.can_edit, ADMIN: self.can_admin}[level]

    def can_edit_owned_by(self, department_ids: Iterable[int]) -> bool:
        """May this user write something owned by these departments (a measure, an OIT item)?"""
        if not self.can_edit:
            return False
        if self.department_ids is None:
            return True
        return bool(self.department_ids.intersection(department_ids))


def get_unit_access(user, unit: Unit) -> UnitAccess | None:
    """The user's access to one unit, or None when the user may not even read it."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return UnitAccess(unit, "superuser")
    membership = (
        Membership.objects.filter(user=user, unit=unit).prefetch_related("departments").first()
    )
    if membership is not None:
        department_ids = None
        if membership.role == Membership.Role.EDITOR:
            limited = frozenset(d.id for d in membership.departments.all())
            department_ids = limited or None
        return UnitAccess(unit, membership.role, department_ids)
    if unit.province and ProvinceGrant.objects.filter(user=user, province=unit.province).exists():
        return UnitAccess(unit, "province")
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


def require_edit_owned_by(access: UnitAccess, department_ids: Iterable[int]) -> None:
    if not access.can_edit_owned_by(department_ids):
        raise PermissionDenied
