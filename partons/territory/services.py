"""Writes on the territory: each in one transaction, permission checked here."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partons.core.roles import Role, require_role
from partons.core.versions import bump_reference

from .models import Village


@transaction.atomic
def _move_m2m(rel, sources, target) -> None:
    """Links through a many-to-many table (e.g. an application's villages) move to the target, once."""
    through = rel.through
    village_field = next(f for f in through._meta.fields if f.is_relation and f.related_model is Village)
    other = next(f for f in through._meta.fields if f.is_relation and f.related_model is not Village)
    for row in through.objects.filter(**{village_field.name + "__in": sources}):
        owner = getattr(row, other.attname)
        if through.objects.filter(**{other.attname: owner, village_field.attname: target.pk}).exists():
            row.delete()
        else:
            setattr(row, village_field.attname, target.pk)
            row.save()


@transaction.atomic  # one merge, whole or not at all (and the rows it locks stay locked until it is done)
def merge_villages(*, sources: list[Village], target: Village, by) -> list[Village]:
    """Merge duplicate villages of one municipality into `target`: whatever points at them is moved to the
    target, and they are kept (marked merged, hidden from lists, their page redirects) so nothing is lost.
    Populations are not added up: a coordinator corrects the target's figure by hand if need be."""
    require_role(by, Role.COORDINATOR)
    target = Village.objects.select_for_update().get(pk=target.pk)
    if target.merged_into_id:
        raise ValidationError(_("%(name)s has itself been merged into another village.") % {"name": target.name})
    sources = [s for s in Village.objects.select_for_update().filter(pk__in=[s.pk for s in sources]) if s.pk != target.pk]
    if not sources:
        raise ValidationError(_("Choose at least one village other than the one to merge into."))
    elsewhere = [s.name for s in sources if s.municipality_id != target.municipality_id]
    if elsewhere:
        raise ValidationError(_("Only villages of the same municipality can be merged: %(names)s lie outside "
                                "%(municipality)s.") % {"names": ", ".join(elsewhere), "municipality": target.municipality.name})
    # Move every reference to the merged villages (from any app) to the target.
    for rel in Village._meta.related_objects:
        if rel.related_model is Village:
            continue  # merged_into, handled below
        if rel.many_to_many:
            _move_m2m(rel, sources, target)
            continue
        rel.related_model._base_manager.filter(**{rel.field.name + "__in": sources}).update(**{rel.field.name: target})
    Village.objects.filter(merged_into__in=sources).update(merged_into=target)
    Village.objects.filter(pk__in=[s.pk for s in sources]).update(merged_into=target)
    # Services and ideas moved village without being saved one by one: every answer naming places is built again.
    transaction.on_commit(bump_reference)
    return sources
