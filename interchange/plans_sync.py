"""Plans, measures and OIT rows of an import, matched to what exists and written in bulk.

Plans are matched by fiscal year, measures by (plan, number), OIT rows by (plan, code): a matched row is
updated in place only where the file differs (its id, and what the file does not carry, stay); a row
the file adds is created; a row of the file's years that the file no longer lists is removed. The
progress entries under the measures are left to `EntrySync`.
"""

from __future__ import annotations

from simple_history.utils import bulk_create_with_history

from interchange.entries_sync import EntrySync
from measures.bulk import delete_rows, delete_steps, update_rows
from measures.models import Measure, MeasureStep, OitProgress, Plan, number_sort_key

MEASURE_FIELDS = ["title", "issue", "owner_text", "start", "end", "period_text", "expected_outcome", "follow_up"]
# Many-to-many lists of a measure: relation → (through column, value read back, how a spec value is found)
LISTS = {"indicators": "indicator", "oit_items": "oititem", "owners": "department"}
LIST_VALUES = {"indicators": "indicator__number", "oit_items": "oititem__code", "owners": "department__name"}
OIT_FIELDS = ["status", "note", "url", "order"]


def ordered_lists(model, relation_values: dict[str, str], source: str, ids) -> dict[str, dict[int, list[str]]]:
    """Many-to-many lists in the order they were written (the through rows' ids), one query a relation."""
    lists = {}
    for name, value in relation_values.items():
        found: dict[int, list[str]] = {}
        through = getattr(model, name).through
        rows = through.objects.filter(**{f"{source}_id__in": ids}).order_by("id").values_list(f"{source}_id", value)
        for row_id, item in rows if ids else ():
            found.setdefault(row_id, []).append(str(item))  # indicator numbers are integers in the database
        lists[name] = found
    return lists


class PlanSync:
    def __init__(self, unit, frameworks, departments, opts, summary):
        self.unit, self.frameworks, self.departments = unit, frameworks, departments
        self.opts, self.summary, self.user = opts, summary, opts.user
        self.entries = EntrySync(opts, summary)
        self.new_measures, self.changed_measures = [], []
        # (measure, step texts, rewrite) for new measures and those whose steps change; the same for links.
        self.steps: list[tuple] = []
        self.lists: dict[str, list[tuple]] = {name: [] for name in LISTS}
        self.removed_measures: list[int] = []
        self.removed_oit: list[int] = []

    def run(self, specs, current: dict[int, Plan]) -> None:
        """`current`: the unit's plans of the file's years, by year."""
        self.current = current
        plans = self._plans(specs, current)
        ids = [plan.pk for plan in current.values()]
        measures = {(m.plan_id, m.number): m for m in Measure.objects.filter(plan_id__in=ids).order_by().select_for_update()} if ids else {}
        measure_ids = [m.pk for m in measures.values()]
        steps: dict[int, list[str]] = {}
        rows = MeasureStep.objects.filter(measure_id__in=measure_ids).order_by("order", "id").values_list("measure_id", "text")
        for measure_id, text in rows if measure_ids else ():
            steps.setdefault(measure_id, []).append(text)
        lists = ordered_lists(Measure, LIST_VALUES, "measure", measure_ids)
        self.entries.load(measure_ids)
        for i, (plan, spec) in enumerate(plans):
            for j, m in enumerate(spec.measures):
                self._measure(plan, f"plans[{i}].measures[{j}]", m, measures.pop((plan.pk, m.number), None), steps, lists)
        self._removed_measures(measures.values())
        self._write_measures()
        self.entries.write()
        self._oit(plans, ids)
        delete_rows(measure_ids=self.removed_measures, entry_ids=self.entries.removed, oit_ids=self.removed_oit, user=self.user)
        self.summary.changed |= bool(self.new_measures or self.changed_measures or self.removed_measures or self.entries.touched)

    def _plans(self, specs, current: dict[int, Plan]) -> list[tuple[Plan, object]]:
        new, changed, plans = [], [], []
        for spec in specs:
            framework = self.frameworks[spec.fiscal_year].framework
            plan = current.get(spec.fiscal_year)
            if plan is None:
                plan = Plan(unit=self.unit, fiscal_year=spec.fiscal_year, framework=framework, based_on_assessment=spec.based_on_assessment)
                new.append(plan)
            elif (plan.framework_id, plan.based_on_assessment) != (framework.pk, spec.based_on_assessment):
                plan.framework, plan.based_on_assessment, plan.version = framework, spec.based_on_assessment, plan.version + 1
                changed.append(plan)
            plans.append((plan, spec))
        bulk_create_with_history(new, Plan, default_user=self.user)
        if changed:
            update_rows(Plan, changed, ["framework", "based_on_assessment", "version"], user=self.user)
        self.summary.changed |= bool(new or changed)
        return plans

    def _targets(self, plan, m) -> dict[str, list]:
        year = self.frameworks[plan.fiscal_year]
        return {
            "indicators": [year.indicators[n] for n in m.indicators],
            "oit_items": [year.oit_items[c] for c in m.oit_items],
            "owners": [self.departments[n] for n in m.owners],
        }

    def _measure(self, plan, path, m, old, steps, lists) -> None:
        label = (plan.fiscal_year, m.number, m.title)
        self.summary.measures += 1
        targets = self._targets(plan, m)
        if old is None:
            measure = Measure(plan=plan, number=m.number, sort_key=number_sort_key(m.number),
                              **{name: getattr(m, name) for name in MEASURE_FIELDS})
            self.new_measures.append(measure)
            self.summary.measures_added.append(label)
            self.steps.append((measure, m.steps, False))
            for name in LISTS:
                self.lists[name].append((measure, targets[name], False))
            self.entries.add(measure, m.progress, label, path, new=True)
            return
        changed = [name for name in MEASURE_FIELDS if getattr(old, name) != getattr(m, name)]
        for name in changed:
            setattr(old, name, getattr(m, name))
        if steps.get(old.pk, []) != m.steps:
            changed.append("steps")
            self.steps.append((old, m.steps, True))
        for name in LISTS:
            if lists[name].get(old.pk, []) != list(getattr(m, name)):
                changed.append(name)
                self.lists[name].append((old, targets[name], True))
        if changed:
            old.version += 1
            self.changed_measures.append(old)
            self.summary.measures_changed.append(label)
        self.entries.add(old, m.progress, label, path, new=False)

    def _removed_measures(self, measures) -> None:
        measures = list(measures)
        if not measures:
            return
        self.removed_measures = [m.pk for m in measures]
        years = {plan.pk: year for year, plan in self.current.items()}
        for m in sorted(measures, key=lambda m: (m.plan_id, m.sort_key)):
            self.summary.measures_removed.append((years[m.plan_id], m.number, m.title))

    def _write_measures(self) -> None:
        bulk_create_with_history(self.new_measures, Measure, default_user=self.user)
        if self.changed_measures:
            update_rows(Measure, self.changed_measures, [*MEASURE_FIELDS, "version"], user=self.user)
        rewritten = [m.pk for m, _texts, rewrite in self.steps if rewrite]
        if rewritten:
            delete_steps(rewritten, self.user)
        steps = [MeasureStep(measure=m, order=i, text=t) for m, texts, _r in self.steps for i, t in enumerate(texts)]
        bulk_create_with_history(steps, MeasureStep, default_user=self.user)
        for name, target in LISTS.items():
            through = getattr(Measure, name).through
            rewritten = [m.pk for m, _targets, rewrite in self.lists[name] if rewrite]
            if rewritten:
                through.objects.filter(measure_id__in=rewritten).delete()
            through.objects.bulk_create(
                through(measure_id=m.pk, **{f"{target}_id": t.pk}) for m, targets, _r in self.lists[name] for t in targets
            )

    def _oit(self, plans, ids) -> None:
        """`ids`: the plans that existed before (new ones have no rows yet)."""
        rows = OitProgress.objects.filter(plan_id__in=ids).select_related("item").order_by() if ids else ()
        current = {(r.plan_id, r.item.code): r for r in rows}
        owners = ordered_lists(OitProgress, {"owners": "department__name"}, "oitprogress", [r.pk for r in current.values()])["owners"]
        new, changed, links = [], [], []
        for plan, spec in plans:
            year = self.frameworks[plan.fiscal_year]
            for order, item in enumerate(spec.oit_items):
                row = current.pop((plan.pk, item.code), None)
                values = {"status": item.status, "note": item.note, "url": item.url or "", "order": order}
                if row is None:
                    row = OitProgress(plan=plan, item=year.oit_items[item.code], **values)
                    new.append(row)
                    links.append((row, item.owners))
                    continue
                if any(getattr(row, k) != v for k, v in values.items()) or owners.get(row.pk, []) != item.owners:
                    for k, v in values.items():
                        setattr(row, k, v)
                    row.version += 1
                    changed.append(row)
                    links.append((row, item.owners))
        self.removed_oit = [r.pk for r in current.values()]
        self._write_oit(new, changed, links)

    def _write_oit(self, new, changed, links) -> None:
        bulk_create_with_history(new, OitProgress, default_user=self.user)
        if changed:
            update_rows(OitProgress, changed, [*OIT_FIELDS, "version"], user=self.user)
            OitProgress.owners.through.objects.filter(oitprogress_id__in=[r.pk for r in changed]).delete()
        OitProgress.owners.through.objects.bulk_create(
            OitProgress.owners.through(oitprogress_id=row.pk, department_id=self.departments[name].pk)
            for row, names in links for name in names
        )
        self.summary.changed |= bool(new or changed or self.removed_oit)
