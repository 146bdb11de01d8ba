"""Writes on the territory: each in one transaction, permission checked here."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partons.core.roles import Role, require_role

from .models import Village


@transaction.atomic
def merge_villages(*, sources: list[Village], target: Village, by, add_population: bool = False) -> int:
    """Merge villages into `target`: whatever points at them is moved to the target, and they are kept
    (marked merged, hidden from lists, their page redirects) so that nothing is lost."""
    require_role(by, Role.COORDINATOR)
    target = Village.objects.select_for_update().get(pk=target.pk)
    if target.merged_into_id:
        raise ValidationError(_("%(name)s has itself been merged into another village.") % {"name": target.name})
    sources = [s for s in Village.objects.select_for_update().filter(pk__in=[s.pk for s in sources]) if s.pk != target.pk]
    if not sources:
        raise ValidationError(_("Choose at least one village other than the one to merge into."))
    # Move every reference to the merged villages (from any app) to the target.
    for rel in Village._meta.related_objects:
        if rel.related_model is Village:
            continue  # merged_into, handled below
        if rel.many_to_many:
            raise NotImplementedError(f"merge_villages does not yet move many-to-many links ({rel.related_model.__name__})")
        rel.related_model._base_manager.filter(**{rel.field.name + "__in": sources}).update(**{rel.field.name: target})
    Village.objects.filter(merged_into__in=sources).update(merged_into=target)
    if add_population:
        extra = sum(s.population or 0 for s in sources)
        if extra:
            target.population = (target.population or 0) + extra
            target.population_source = (target.population_source + " + " if target.population_source else "") + _("merged villages")
            target.save(update_fields=["population", "population_source"])
    Village.objects.filter(pk__in=[s.pk for s in sources]).update(merged_into=target)
    return len(sources)
