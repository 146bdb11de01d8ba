"""Merging duplicate villages, as the admin's action calls it: outside any transaction of the caller, whole or not at
all (on PostgreSQL its row locks need the service's own transaction)."""
import pytest
from django.core.exceptions import ValidationError

from partons.territory.models import Village
from partons.territory.services import merge_villages


@pytest.mark.django_db(transaction=True)
def test_a_merge_runs_in_its_own_transaction_and_a_refused_one_changes_nothing(territory, coordinator):
    v = territory["villages"]
    with pytest.raises(ValidationError):  # Bergues lies in another municipality: nothing of the merge is kept
        merge_villages(sources=[v["loker"], v["bergues"]], target=v["kemmel"], by=coordinator)
    assert Village.objects.filter(merged_into__isnull=False).count() == 0
    merged = merge_villages(sources=[v["loker"]], target=v["kemmel"], by=coordinator)  # positive control
    assert [m.slug for m in merged] == ["loker"]
    assert Village.objects.get(slug="loker").merged_into == v["kemmel"]
