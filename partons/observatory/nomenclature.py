"""The nomenclature of everyday services: categories in NL/FR/EN, their OpenStreetMap tags and INSEE BPE codes.

OSM rules are "key=value" (or "key" for any value); several conditions joined by ";" must all hold.
BPE codes follow INSEE's nomenclature (TYPEQU). Where INSEE renumbered a type between editions, every code is
listed, so a file of any edition since 2018 lands in the same category: nursery and primary schools were
C101/C102 (nursery, of which in a dispersed RPI) and C104/C105 (elementary) and are C107 (nursery), C108 (primary)
and C109 (elementary) in recent editions; general practitioners were D201 and are D265; supermarkets B101/B102
became B104/B105, bakeries B203 became B207 and pharmacies D301 became D307. A code the list does not hold is
counted per code in the import summary; a coordinator can add it to a category's BPE codes (admin) and import again.
"""
from __future__ import annotations

# code, (nl, fr, en), osm rules, BPE TYPEQU codes, map symbol
CATEGORIES: list[tuple[str, tuple[str, str, str], list[str], list[str], str]] = [
    ("bakery", ("Bakker", "Boulangerie", "Bakery"), ["shop=bakery"], ["B203", "B207"], "Ba"),
    ("butcher", ("Slager", "Boucherie", "Butcher"), ["shop=butcher"], ["B204"], "Bu"),
    ("grocery", ("Buurtwinkel", "Épicerie / petit commerce", "Grocery / small shop"),
     ["shop=convenience", "shop=general", "shop=greengrocer", "shop=deli"], ["B201", "B202"], "Gr"),
    ("supermarket", ("Supermarkt", "Supermarché", "Supermarket"), ["shop=supermarket"], ["B101", "B102", "B104", "B105"], "Su"),
    ("cafe", ("Café", "Café / bar", "Café / bar"), ["amenity=cafe", "amenity=bar", "amenity=pub"], [], "Ca"),
    ("restaurant", ("Restaurant", "Restaurant", "Restaurant"), ["amenity=restaurant", "amenity=fast_food"], ["A504"], "Re"),
    ("post", ("Postkantoor / postpunt", "Bureau de poste / point poste", "Post office / postal point"),
     ["amenity=post_office", "post_office=post_partner"], ["A206", "A207", "A208"], "Po"),
    ("bank", ("Bank / geldautomaat", "Banque / distributeur de billets", "Bank / ATM"), ["amenity=bank", "amenity=atm"],
     ["A203"], "€"),
    ("gp", ("Huisarts", "Médecin généraliste", "GP"), ["amenity=doctors", "healthcare=doctor"], ["D201", "D265"], "GP"),
    ("dentist", ("Tandarts", "Dentiste", "Dentist"), ["amenity=dentist", "healthcare=dentist"], ["D221"], "De"),
    ("nurse", ("Thuisverpleging", "Infirmier / soins à domicile", "Nurse / home care"),
     ["healthcare=nurse", "healthcare=home_care"], ["D232"], "Nu"),
    ("pharmacy", ("Apotheek", "Pharmacie", "Pharmacy"), ["amenity=pharmacy", "healthcare=pharmacy"], ["D301", "D307"], "Ph"),
    ("childcare", ("Kinderopvang", "Accueil de la petite enfance", "Childcare"), ["amenity=childcare"], ["D502"], "Ch"),
    ("secondary_school", ("Secundaire school", "Collège / lycée", "Secondary school"),
     ["amenity=school;isced:level=2", "amenity=school;isced:level=3", "amenity=school;school=secondary"],
     ["C201", "C301", "C302"], "SS"),
    ("primary_school", ("Kleuter- en basisschool", "École maternelle et primaire", "Nursery and primary school"),
     ["amenity=kindergarten", "amenity=school"], ["C101", "C102", "C104", "C105", "C107", "C108", "C109"], "PS"),
    ("library", ("Bibliotheek", "Bibliothèque", "Library"), ["amenity=library"], ["F307"], "Li"),
    ("meeting_place", ("Ontmoetingsplaats / gemeenschapscentrum", "Lieu de rencontre / salle des fêtes",
                       "Meeting place / community centre"), ["amenity=community_centre", "amenity=social_centre"], [], "MP"),
    ("sports_hall", ("Sporthal", "Salle de sport", "Sports hall"), ["leisure=sports_hall", "leisure=sports_centre"],
     ["F120", "F121"], "Sp"),
    ("town_hall", ("Gemeentehuis / loket", "Mairie / guichet communal", "Town hall / municipal desk"),
     ["amenity=townhall"], [], "TH"),
    ("market", ("Markt", "Marché", "Market"), ["amenity=marketplace"], [], "Ma"),
    ("petrol_station", ("Tankstation", "Station-service", "Petrol station"), ["amenity=fuel"], ["B316"], "Fu"),
    ("bus_stop", ("Bushalte", "Arrêt de bus", "Bus stop"), ["highway=bus_stop", "public_transport=platform;bus=yes"], [], "Bs"),
    ("rail_station", ("Treinstation", "Gare", "Rail station"),
     ["railway=station", "railway=halt", "public_transport=station;train=yes"], ["E107", "E108", "E109"], "Tr"),
]

EVERYDAY_BASKET = "insee_basket"  # the group the access summaries and the village viability are measured on

GROUPS = [
    (EVERYDAY_BASKET, ("INSEE-mand van het dagelijks leven", "Panier de la vie courante (INSEE)", "INSEE everyday basket"),
     ("Diensten die INSEE gebruikt om de nabijheid van het dagelijks leven te meten (reistijd met de auto).",
      "Services retenus par l'INSEE pour mesurer l'accès à la vie courante (temps de trajet en voiture).",
      "Services INSEE uses to measure access to everyday life (travel time by car)."),
     ["bakery", "butcher", "grocery", "supermarket", "post", "bank", "gp", "dentist", "nurse", "pharmacy", "childcare",
      "primary_school", "secondary_school", "library", "sports_hall", "petrol_station", "restaurant"]),
    ("flemish_basic", ("Vlaamse basisvoorzieningen", "Services de base flamands", "Flemish basic set"),
     ("De basisvoorzieningen van de Vlaamse indicator: bakker/slager/buurtwinkel, huisarts, apotheek, basisschool.",
      "Les services de base de l'indicateur flamand : boulangerie/boucherie/épicerie, médecin, pharmacie, école primaire.",
      "The basic services of the Flemish indicator: bakery/butcher/grocery, GP, pharmacy, primary school."),
     ["bakery", "butcher", "grocery", "gp", "pharmacy", "primary_school"]),
]


def sync_nomenclature(ServiceCategory, CategoryGroup) -> None:
    """Create the standard categories and groups (idempotent; names edited by coordinators are kept). Also run by an
    early migration, whose models still have the single `name` and `description` columns of before: they are filled
    there too."""
    def single(model, **values) -> dict:
        concrete = {f.name for f in model._meta.concrete_fields}
        return {k: v for k, v in values.items() if k in concrete}

    for order, (code, (nl, fr, en), osm, bpe, icon) in enumerate(CATEGORIES):
        obj, created = ServiceCategory.objects.get_or_create(
            code=code, defaults={"name_nl": nl, "name_fr": fr, "name_en": en, "osm_tags": osm, "bpe_codes": bpe,
                                 "icon": icon, "order": order * 10, **single(ServiceCategory, name=nl)})
        missing = [c for c in bpe if c not in (obj.bpe_codes or [])]
        if not created and missing:  # codes of a newer edition reach existing databases; codes added by hand stay
            obj.bpe_codes = [*(obj.bpe_codes or []), *missing]
            obj.save(update_fields=["bpe_codes"])
    for code, (nl, fr, en), (dnl, dfr, den), members in GROUPS:
        group, _created = CategoryGroup.objects.get_or_create(
            code=code, defaults={"name_nl": nl, "name_fr": fr, "name_en": en, "description_nl": dnl,
                                 "description_fr": dfr, "description_en": den,
                                 **single(CategoryGroup, name=nl, description=dnl)})
        group.categories.add(*ServiceCategory.objects.filter(code__in=members))


def osm_rules(categories) -> list[tuple[list[tuple[str, str | None]], object]]:
    """(conditions, category) pairs, the most specific first, for matching OSM tags."""
    rules = []
    for cat in categories:
        for rule in cat.osm_tags or []:
            conditions = []
            for part in rule.split(";"):
                key, sep, value = part.strip().partition("=")
                conditions.append((key.strip(), value.strip() if sep else None))
            rules.append((conditions, cat))
    rules.sort(key=lambda r: -len(r[0]))
    return rules


def match_osm(tags, rules):
    for conditions, cat in rules:
        if all((tags.get(k) is not None) if v is None else tags.get(k) == v for k, v in conditions):
            return cat
    return None
