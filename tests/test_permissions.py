import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from units.permissions import ADMIN, EDIT, READ, require_unit_access, visible_units


def test_roles_grant_levels(alice, bob, charlie, frank, erin, root, unit_a):
    assert require_unit_access(alice, "unit-a", ADMIN).can_admin
    assert require_unit_access(bob, "unit-a", EDIT).can_edit
    assert require_unit_access(root, "unit-a", ADMIN).role == "superuser"
    for user in (charlie, erin):
        assert require_unit_access(user, "unit-a", READ)
        with pytest.raises(PermissionDenied):
            require_unit_access(user, "unit-a", EDIT)
    with pytest.raises(PermissionDenied):
        require_unit_access(bob, "unit-a", ADMIN)


def test_other_units_are_not_found(bob, dave, erin, unit_b):
    with pytest.raises(Http404):
        require_unit_access(bob, "unit-b", READ)
    with pytest.raises(Http404):
        require_unit_access(erin, "unit-b", READ)  # erin's grant is for สุพรรณบุรี only
    with pytest.raises(Http404):
        require_unit_access(dave, "no-such-unit", READ)


def test_department_limited_editor(frank, bob, unit_a):
    works = unit_a.departments.get(name="กองช่าง").id
    finance = unit_a.departments.get(name="กองคลัง").id
    limited = require_unit_access(frank, "unit-a", EDIT)
    assert limited.can_edit_owned_by([works, finance])
    assert not limited.can_edit_owned_by([finance])
    assert not limited.can_edit_owned_by([])
    assert require_unit_access(bob, "unit-a", EDIT).can_edit_owned_by([])


def test_visible_units(bob, erin, root, unit_a, unit_b):
    assert list(visible_units(bob)) == [unit_a]
    assert list(visible_units(erin)) == [unit_a]
    assert set(visible_units(root)) == {unit_a, unit_b}
