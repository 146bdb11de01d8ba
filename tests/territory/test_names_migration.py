"""Place and category names moved to one way of translating (a field per language, read by TranslatedField): the
migration that drops the single column django-modeltranslation kept loses nothing, and goes back."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("territory", "0002_place_name_keys"), ("observatory", "0007_report_synthetic")]
AFTER = [("territory", "0003_translated_fields_without_base_column"),
         ("observatory", "0008_translated_fields_without_base_column")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_name_only_the_single_column_held_moves_into_a_language_field_and_back():
    old = migrate(BEFORE)
    Country = old.get_model("territory", "Country")
    be = Country.objects.create(code="BE", name="België", name_nl="België", name_fr="Belgique", code_system="NIS")
    lost = Country.objects.create(code="LU", name="Luxemburg", name_nl=None, name_fr="Luxembourg", code_system="X")
    Group = old.get_model("observatory", "CategoryGroup")
    group = Group.objects.create(code="g", name="Groep", description="Alleen hier", name_nl="Groep",
                                 description_nl="", description_fr="Ici seulement")
    try:
        new = migrate(AFTER)
        Country = new.get_model("territory", "Country")
        assert Country.objects.get(pk=be.pk).name_nl == "België"  # already held: unchanged
        moved = Country.objects.get(pk=lost.pk)
        assert (moved.name_nl, moved.name_fr) == ("Luxemburg", "Luxembourg")  # only the single column held it
        g = new.get_model("observatory", "CategoryGroup").objects.get(pk=group.pk)
        assert (g.description_nl, g.description_fr) == ("Alleen hier", "Ici seulement")
        back = migrate(BEFORE)
        assert back.get_model("territory", "Country").objects.get(pk=lost.pk).name == "Luxemburg"
    finally:
        migrate(executor_leaf())


def executor_leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
