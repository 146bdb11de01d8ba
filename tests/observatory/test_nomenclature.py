"""The bilingual nomenclature of everyday services and its mapping to OSM tags and INSEE BPE codes."""
from partons.observatory.models import CategoryGroup, ServiceCategory
from partons.observatory.nomenclature import match_osm, osm_rules

REQUIRED = {"bakery", "butcher", "grocery", "supermarket", "cafe", "restaurant", "post", "bank", "gp", "dentist", "nurse",
            "pharmacy", "childcare", "primary_school", "secondary_school", "library", "meeting_place", "sports_hall",
            "town_hall", "market", "petrol_station", "bus_stop", "rail_station"}


def test_every_required_category_exists_in_nl_and_fr(db):
    cats = {c.code: c for c in ServiceCategory.objects.all()}
    assert REQUIRED <= set(cats)
    for c in cats.values():
        assert c.name_nl and c.name_fr and c.osm_tags, c.code
    assert (cats["bakery"].name_nl, cats["bakery"].name_fr) == ("Bakker", "Boulangerie")
    assert "B203" in cats["bakery"].bpe_codes


def test_named_groups(db):
    flemish = CategoryGroup.objects.get(code="flemish_basic")
    assert set(flemish.categories.values_list("code", flat=True)) == {"bakery", "butcher", "grocery", "gp", "pharmacy",
                                                                      "primary_school"}
    assert CategoryGroup.objects.get(code="insee_basket").categories.count() >= 15


def test_osm_tags_map_to_categories_most_specific_first(db):
    rules = osm_rules(ServiceCategory.objects.all())
    assert match_osm({"shop": "bakery", "name": "X"}, rules).code == "bakery"
    assert match_osm({"amenity": "school", "isced:level": "2"}, rules).code == "secondary_school"
    assert match_osm({"amenity": "school"}, rules).code == "primary_school"
    assert match_osm({"public_transport": "platform", "bus": "yes"}, rules).code == "bus_stop"
    assert match_osm({"public_transport": "platform"}, rules) is None
    assert match_osm({"shop": "shoes"}, rules) is None


def test_coordinators_can_add_categories(client, coordinator):
    client.force_login(coordinator)
    r = client.post("/nl/admin/observatory/servicecategory/add/", {
        "code": "laundrette", "name_nl": "Wassalon", "name_fr": "Laverie", "osm_tags": '["shop=laundry"]',
        "bpe_codes": "[]", "icon": "La", "order": 300})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert ServiceCategory.objects.get(code="laundrette").name_fr == "Laverie"
