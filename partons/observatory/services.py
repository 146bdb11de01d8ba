"""Every write on facilities goes through here: one transaction, history recorded, permissions checked."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from partons.core.roles import Role, require_role

from .models import Facility, FacilityChange, ImportRun, ServiceCategory
from .signals import facility_changed
from .spatial import VillageLocator

COMPARED = ("category_id", "name", "lon", "lat", "address", "opening_hours")
MOVE_TOLERANCE_DEG = 1e-6


@dataclass
class FacilityRecord:
    """One facility as read from a file, before it is written."""

    line: int
    source_id: str
    category: ServiceCategory
    lon: float
    lat: float
    name: str = ""
    address: str = ""
    opening_hours: str = ""


@dataclass
class ImportSummary:
    source: str
    snapshot_date: datetime.date
    dry_run: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    unchanged: int = 0
    outside: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    skipped: dict[str, int] = field(default_factory=dict)  # rows of a type outside the nomenclature, per type code
    set_aside: list[str] = field(default_factory=list)  # moves that would put a service outside the region
    reattached: list[str] = field(default_factory=list)  # services moved to another village
    warnings: list[str] = field(default_factory=list)
    run_id: int | None = None

    def lines(self, limit: int = 20) -> list[str]:
        out = [
            f"{self.source}, snapshot of {self.snapshot_date}" + (" — dry run, nothing written" if self.dry_run else ""),
            f"added {len(self.added)}, changed {len(self.changed)}, closed {len(self.closed)}, reopened {len(self.reopened)}, "
            f"unchanged {self.unchanged}, outside the region {self.outside}, rejected {len(self.rejected)}",
        ]
        if self.outside and not (self.added or self.changed or self.unchanged or self.reopened):
            out.append(f"WARNING: every one of the {self.outside} located rows lies outside the region — are longitude and "
                       "latitude swapped, or is --srid wrong?")
        out.extend(f"WARNING: {w}" for w in self.warnings)
        if self.skipped:
            codes = sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0]))
            shown = ", ".join(f"{code} ×{n}" for code, n in codes[:limit]) + (f" … (+{len(codes) - limit} types)"
                                                                              if len(codes) > limit else "")
            out.append(f"skipped {sum(self.skipped.values())} rows of a type the nomenclature does not hold: {shown}")
            out.append("  (a code that is an everyday service can be added to its category's BPE codes in the admin, "
                       "Service categories, before importing again)")
        for line in self.set_aside[:limit]:
            out.append(f"  set aside (not applied): {line}")
        for line in self.reattached[:limit]:
            out.append(f"  moved to another village: {line}")
        if self.closed:
            shown = ", ".join(self.closed[:limit]) + (f" … (+{len(self.closed) - limit})" if len(self.closed) > limit else "")
            out.append(f"  closed: {shown}")
        for row, reason in self.rejected[:limit]:
            out.append(f"  rejected line {row}: {reason}")
        if len(self.rejected) > limit:
            out.append(f"  … and {len(self.rejected) - limit} more rejected lines")
        return out


def _diff(facility: Facility, rec: FacilityRecord) -> dict:
    changes = {}
    new = {"category_id": rec.category.pk, "name": rec.name, "lon": rec.lon, "lat": rec.lat, "address": rec.address,
           "opening_hours": rec.opening_hours}
    for f in COMPARED:
        old = getattr(facility, f)
        if f in ("lon", "lat"):
            if abs(old - new[f]) > MOVE_TOLERANCE_DEG:
                changes[f] = [old, new[f]]
        elif old != new[f]:
            changes[f] = [old, new[f]]
    return changes


def _label(name: str, source_id: str) -> str:
    return f"{name} ({source_id})" if name else source_id


class TooManyClosures(Exception):
    """A snapshot would close a larger share of its source's open services than allowed (the message gives the
    numbers): a truncated or wrong file, unless the person importing confirms it."""


def apply_snapshot(records: list[FacilityRecord], *, kind: str, source: str, licence: str, file_name: str,
                   snapshot_date: datetime.date, scope: Q | None = None, rejected=(), skipped=None,
                   dry_run: bool = False, by=None, progress=None, confirm_closures: bool = False,
                   max_close_share: float | None = None) -> ImportSummary:
    """Bring the facilities of `source` (within `scope`) in line with a snapshot: add what is new, update what
    changed, reopen what came back, and close — never delete — what is no longer there, dated at the snapshot.

    Safe by default: a snapshot that would close more than `max_close_share` (IMPORT_MAX_CLOSE_SHARE, 20 %) of the
    open services it covers is refused (TooManyClosures) unless `confirm_closures`, and the dry run warns of it; a
    service whose new position lies outside the region is set aside (reported, not moved), one that moved to another
    village is re-attached to it and reported."""
    from django.conf import settings

    summary = ImportSummary(source=source, snapshot_date=snapshot_date, dry_run=dry_run, rejected=list(rejected),
                            skipped=dict(skipped or {}))
    seen: dict[str, FacilityRecord] = {}
    for rec in records:
        if rec.source_id in seen:
            summary.rejected.append((rec.line, f"same id {rec.source_id!r} as line {seen[rec.source_id].line}"))
            continue
        seen[rec.source_id] = rec
    existing_qs = Facility.objects.filter(source=source)
    if scope is not None:
        existing_qs = existing_qs.filter(scope)
    existing = {f.source_id: f for f in existing_qs}
    # The first snapshot of an area cannot tell when its facilities opened; later ones can.
    first_import = not existing
    locator = VillageLocator()
    ids = list(seen)
    villages = locator.locate_many([seen[i].lon for i in ids], [seen[i].lat for i in ids])
    village_of = dict(zip(ids, villages))

    plan_add, plan_change, plan_reopen, moves = [], [], [], []
    for sid in ids:
        rec = seen[sid]
        fac = existing.get(sid)
        if fac is None:
            if village_of[sid] is None:
                summary.outside += 1
                continue
            plan_add.append(rec)
            summary.added.append(sid)
            continue
        changes = _diff(fac, rec)
        moved = "lon" in changes or "lat" in changes
        if moved and village_of[sid] is None:
            summary.set_aside.append(f"{_label(fac.name, sid)}: its new position {rec.lon:.5f}, {rec.lat:.5f} lies outside "
                                     f"the region; it stays where it was")
            continue
        if moved and village_of[sid] != fac.village_id:
            moves.append((fac, sid))
        if fac.closed_on is not None and fac.closed_on <= snapshot_date:
            plan_reopen.append((fac, rec, changes))
            summary.reopened.append(sid)
        elif changes:
            plan_change.append((fac, rec, changes))
            summary.changed.append(sid)
        else:
            summary.unchanged += 1
    plan_close = [f for sid, f in existing.items() if sid not in seen and f.closed_on is None
                  and (f.opened_on is None or f.opened_on <= snapshot_date)]
    summary.closed = [f.source_id for f in plan_close]
    if moves:
        from partons.territory.models import Village

        names = {v.pk: v.name for v in Village.objects.filter(
            pk__in={f.village_id for f, _s in moves if f.village_id} | {village_of[s] for _f, s in moves})
            .only("name_nl", "name_fr", "name_en")}
        summary.reattached = [f"{_label(f.name, sid)}: {names.get(f.village_id or 0, '—')} → {names.get(village_of[sid] or 0, '—')}"
                              for f, sid in moves]
    share = settings.IMPORT_MAX_CLOSE_SHARE if max_close_share is None else max_close_share
    open_before = sum(1 for f in existing.values() if f.closed_on is None)
    if plan_close and len(plan_close) > share * open_before:
        warning = (f"this snapshot would close {len(plan_close)} of the {open_before} open services of {source} in the "
                   f"area it covers ({100 * len(plan_close) / open_before:.0f} %, more than {100 * share:.0f} %): "
                   f"is the file complete?")
        if not dry_run and not confirm_closures:
            raise TooManyClosures(f"Refused: {warning} Nothing was written. If the closures are real, import again "
                                  f"with --confirm-closures.")
        summary.warnings.append(warning + ("" if confirm_closures else " (a real import needs --confirm-closures)"))
    if dry_run:
        return summary

    now = timezone.now()
    with transaction.atomic():
        run = ImportRun.objects.create(kind=kind, source=source, file_name=file_name, snapshot_date=snapshot_date, by=by,
                                       added=len(plan_add), changed=len(plan_change) + len(plan_reopen),
                                       closed=len(plan_close), rejected=len(summary.rejected))
        summary.run_id = run.pk
        for rec in plan_add:
            fac = Facility.objects.create(
                category=rec.category, name=rec.name, lon=rec.lon, lat=rec.lat, address=rec.address,
                opening_hours=rec.opening_hours, village_id=village_of[rec.source_id],
                opened_on=None if first_import else snapshot_date, known_since=snapshot_date if first_import else None,
                source=source, source_id=rec.source_id,
                licence=licence, imported_at=now)
            record_change(fac, {"source_id": [None, rec.source_id]}, by=by, import_run=run, effective_on=snapshot_date,
                          kind=FacilityChange.Kind.CREATED)
            if progress:
                progress()
        for fac, rec, changes in plan_change + plan_reopen:
            if fac.closed_on is not None:  # reopening
                changes["closed_on"] = [fac.closed_on.isoformat(), None]
                fac.closed_on = None
            for f, (_old, new) in changes.items():
                if f != "closed_on":
                    setattr(fac, f, new)
            if "lon" in changes or "lat" in changes:
                fac.village_id = village_of[rec.source_id] or fac.village_id
            fac.imported_at = now
            fac.save()
            record_change(fac, changes, by=by, import_run=run, effective_on=snapshot_date)
            if progress:
                progress()
        for fac in plan_close:
            fac.closed_on = snapshot_date
            fac.save(update_fields=["closed_on", "updated_at"])
            record_change(fac, {"closed_on": [None, snapshot_date]}, by=by, import_run=run, effective_on=snapshot_date)
    return summary


def _jsonable(changes: dict) -> dict:
    """{field: [old, new]} as JSON: dates in ISO form, related objects by their code (a category) or id, so the
    history does not depend on the language it was recorded in."""
    def plain(v):
        if isinstance(v, datetime.date):
            return v.isoformat()
        if isinstance(v, models.Model):
            return getattr(v, "code", None) or v.pk
        return v

    return {k: [plain(old), plain(new)] for k, (old, new) in changes.items()}


def tracked_changes(old: Facility, new: Facility) -> dict:
    """{field: [old, new]} of the tracked fields that differ between two states of a facility."""
    out = {}
    for f in Facility.TRACKED:
        if getattr(old, f) != getattr(new, f):
            name = f.removesuffix("_id")  # a relation: recorded by its object (code or id), under the field's name
            out[name] = [getattr(old, name), getattr(new, name)]
    return out


def record_change(facility: Facility, changes: dict, *, by=None, report=None, import_run=None,
                  effective_on: datetime.date | None = None, kind: str | None = None) -> FacilityChange | None:
    """One history entry: closed / reopened when the closing date changed, else details changed."""
    if not changes:
        return None
    if kind is None:
        kind = FacilityChange.Kind.UPDATED
        if "closed_on" in changes:
            kind = FacilityChange.Kind.CLOSED if facility.closed_on else FacilityChange.Kind.REOPENED
    entry = FacilityChange.objects.create(
        facility=facility, kind=kind, by=by, report=report, import_run=import_run, changes=_jsonable(changes),
        effective_on=effective_on or facility.closed_on or timezone.localdate())
    facility_changed.send(sender=Facility, facility=facility, changes=changes)  # the history entry is there to read
    return entry


@transaction.atomic
def change_facility(facility: Facility, *, by, effective_on: datetime.date | None = None, report=None, **values) -> Facility:
    """Change details, close (closed_on=…) or reopen (closed_on=None) a facility, with its history entry."""
    require_role(by, Role.COORDINATOR, Role.MODERATOR)
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    changes = {}
    for f, new in values.items():
        old = getattr(facility, f)
        if old != new:
            changes[f] = [old, new]
            setattr(facility, f, new)
    if not changes:
        return facility
    if "lon" in changes or "lat" in changes:
        facility.village_id = VillageLocator().locate(facility.lon, facility.lat) or facility.village_id
    facility.full_clean(exclude=["village"])
    facility.save()
    record_change(facility, changes, by=by, report=report, effective_on=effective_on)
    return facility


@transaction.atomic
def create_facility(*, by, category: ServiceCategory, lon: float, lat: float, name: str = "", address: str = "",
                    opened_on: datetime.date | None = None, report=None, source: str = "Partons", licence: str = "") -> Facility:
    require_role(by, Role.COORDINATOR, Role.MODERATOR)
    facility = Facility(category=category, lon=lon, lat=lat, name=name, address=address, opened_on=opened_on,
                        source=source, licence=licence, village_id=VillageLocator().locate(lon, lat))
    facility.full_clean(exclude=["village"])
    facility.save()
    facility.source_id = facility.source_id or f"partons-{facility.pk}"
    facility.save(update_fields=["source_id"])
    record_change(facility, {"name": [None, name]}, by=by, report=report, kind=FacilityChange.Kind.CREATED,
                  effective_on=opened_on or timezone.localdate())
    return facility
