"""The dossier of a village or a municipality, to hand to a mayor: an A4 PDF (reportlab platypus) in the page's
language with its people, its everyday services and their history, its access figures with a map and a chart, its
ideas, projects and events, the sources and licences — a table per section, page numbers, DejaVu Sans (from
matplotlib's fonts) so that accents print and the text can be searched."""
from __future__ import annotations

import datetime
import io
import os
from functools import lru_cache
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import drawing, maps, selectors

FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
INK = "#1b1b1f"
MUTED = "#4d5159"
BLUE = "#1d4f91"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, os.path.join(folder, "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles():
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    ink, muted = colors.HexColor(INK), colors.HexColor(MUTED)
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=22, leading=26, textColor=ink, spaceAfter=4),
        "sub": ParagraphStyle("sub", fontName=FONT, fontSize=11, leading=14, textColor=muted, spaceAfter=10),
        "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=14, leading=17, textColor=colors.HexColor(BLUE),
                             spaceBefore=12, spaceAfter=6),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=ink, spaceAfter=4),
        "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10, textColor=muted, spaceAfter=3),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10.5, textColor=ink),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=8.5, leading=10.5, textColor=ink),
        "warn": ParagraphStyle("warn", fontName=BOLD, fontSize=9.5, leading=12, textColor=colors.HexColor("#9a3412"),
                               spaceAfter=6),
    }


def _table(header: list[str], rows: list[list], widths: list[float], st) -> object:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    data = [[Paragraph(escape(str(h)), st["head"]) for h in header]]
    data += [[c if not isinstance(c, str) else Paragraph(escape(c), st["cell"]) for c in row] for row in rows]
    t = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(BLUE)),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return t


def _date(d) -> str:
    return formats.date_format(d, "DATE_FORMAT") if d else ""


def _minutes(fig, st, limit_min=None):
    """"12 min" (as the page writes it: "< 1 min", "≥ 45 min" beyond the search limit) and, for a village, the
    distance from its centre under it."""
    from reportlab.platypus import Paragraph

    from partons.analysis.templatetags.access import minutes

    if fig is None or fig.mean_time_s is None:
        return "—"
    text = escape(minutes(fig.mean_time_s, limit_min))
    if fig.centre_distance_m is not None:
        km = formats.number_format(fig.centre_distance_m / 1000, 1)
        text += f"<br/><font color='{MUTED}' size='7.5'>{km} km</font>"
    return Paragraph(text, st["cell"])


def _image(png: bytes, width: float):
    from reportlab.platypus import Image

    img = Image(io.BytesIO(png))
    img.drawWidth, img.drawHeight = width, width * img.imageHeight / img.imageWidth
    return img


def build(*, village=None, municipality=None) -> bytes:
    """The dossier's PDF bytes. Give a village or a municipality."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    register_fonts()
    st = _styles()

    def heading(text: str) -> list:
        """A section's title, on the next page when too little room is left for it and the start of its section."""
        return [CondPageBreak(40 * mm), Paragraph(escape(text), st["h2"])]
    place = village if village is not None else municipality
    muni = village.municipality if village is not None else municipality
    country = muni.country
    story: list = []
    synthetic = bool(place.synthetic)

    # --- who and where
    story.append(Paragraph(escape(place.name), st["title"]))
    other = place.other_name()
    where = (f"{_('Village')} · {muni.name} · {country.name}" if village is not None
             else f"{_('Municipality')} · {country.name} · {country.code_system} {muni.code}")
    if other:
        where = f"{other[1]} · {where}"
    story.append(Paragraph(escape(where), st["sub"]))
    people = place.population
    facts = [[_("Residents"), formats.number_format(people, force_grouping=True) if people else "—"]]
    if place.population_year:
        facts[0][1] += f" ({place.population_year}{', ' + place.population_source if place.population_source else ''})"
    if village is not None:
        facts.append([_("Municipality"), f"{muni.name} ({country.code_system} {muni.code})"])
    else:
        villages = selectors.municipality_villages(municipality)
        facts.append([_("Villages"), ", ".join(v.name for v in villages) or "—"])
        synthetic = synthetic or any(v.synthetic for v in villages)
    facts.append([_("Made on"), _date(datetime.date.today())])
    story.append(_table([_("Facts"), ""], facts, [45 * mm, 125 * mm], st))

    kw = {"village": village} if village is not None else {"municipality": municipality}
    services = selectors.place_services(**kw)
    history = selectors.facility_history(**kw)
    synthetic = synthetic or any(f.synthetic for f in services) or any(c.facility.synthetic for c in history)

    # --- access: table, map, chart
    story.extend(heading(_("Access to everyday services")))
    access = selectors.place_access(**kw)
    content = maps.place_map(village=village, municipality=municipality)
    chart = None
    if access is None:
        story.append(Paragraph(escape(_("No access figures have been computed yet.")), st["body"]))
    else:
        from partons.analysis.models import MODE_LABELS

        synthetic = synthetic or access.synthetic
        from partons.analysis.templatetags.access import minutes

        modes = list(access.modes)
        limit = access.settings.search_limit_min
        header = [_("Category")] + [capfirst(str(MODE_LABELS[m])) for m in modes]
        round_trip = any(fm.get("transit") is not None and fm["transit"].round_trip_share is not None
                         for _c, fm in access.categories)
        if round_trip:
            header.append(_("There and back by public transport"))
        rows, chart_rows = [], []
        for cat, fm in access.categories:
            if cat.pk in access.no_data:
                continue
            row = [cat.name] + [_minutes(fm.get(m), st, limit) for m in modes]
            if round_trip:
                t = fm.get("transit")
                row.append(f"{round(100 * t.round_trip_share)} %" if t is not None and t.round_trip_share is not None else "—")
            rows.append(row)
            chart_rows.append((cat.name, {m: fm[m].mean_min for m in modes if fm.get(m) is not None}))
        basket = [capfirst(_("everyday basket"))] + [
            minutes(60 * access.basket[m]["mean_min"], limit) if access.basket[m]["mean_min"] is not None else "—"
            for m in modes]
        if round_trip:
            rt = access.basket.get("transit", {}).get("round_trip")
            basket.append(f"{round(100 * rt)} %" if rt is not None else "—")
        rows.append(basket)
        first = 45 * mm
        widths = [first] + [(170 * mm - first) / (len(header) - 1)] * (len(header) - 1)
        explain = _("Mean time of the residents to the nearest service of each kind, across the border.")
        if village is not None:
            explain += " " + _("Under it: the distance from the village centre.")
        story.append(Paragraph(escape(explain), st["small"]))
        story.append(_table(header, rows, widths, st))
        if access.straight_line:
            story.append(Paragraph(escape(_("Straight-line estimates: no road network was loaded.")), st["small"]))
        if chart_rows:
            chart = drawing.access_chart_png(chart_rows, [(m, capfirst(str(MODE_LABELS[m]))) for m in modes])
    synthetic = synthetic or content.synthetic
    img = _image(drawing.map_png(content), 170 * mm)
    caption = _("Map: the everyday services of each village (circle size: their number; blue: Belgium, red: France), "
                "municipality boundaries and the national border (dashed).")
    story.append(KeepTogether([Spacer(1, 4 * mm), img, Paragraph(escape(caption), st["small"])]))
    if chart is not None:
        story.append(KeepTogether([Spacer(1, 4 * mm), _image(chart, 170 * mm)]))

    # --- services today and their history
    story.extend(heading(_("Everyday services")))
    if services:
        by_cat: dict = {}
        for f in services:
            by_cat.setdefault(f.category.pk, (f.category, []))[1].append(f)
        rows = []
        for cat, items in by_cat.values():
            names = [(f.name or "—") + (f" ({f.village.name})" if municipality is not None and f.village_id else "")
                     + (" *" if f.synthetic else "") for f in items]
            rows.append([cat.name, str(len(items)), ", ".join(names)])
        story.append(_table([_("Category"), _("Number"), _("Services")], rows, [40 * mm, 20 * mm, 110 * mm], st))
        if any(f.synthetic for f in services):
            story.append(Paragraph(escape("* " + _("synthetic demo data")), st["small"]))
    else:
        story.append(Paragraph(escape(_("No everyday service is known here today.")), st["body"]))
    story.extend(heading(_("Openings and closings")))
    recorded, since = selectors.first_inventory(**kw)
    if recorded:
        story.append(Paragraph(escape(ngettext(
            "%(n)s service was recorded by the first inventory of its source (%(dates)s): it is not listed here, as "
            "that date says when the source began, not when the service opened.",
            "%(n)s services were recorded by the first inventory of their source (%(dates)s): they are not listed "
            "here, as that date says when the source began, not when the services opened.", recorded)
            % {"n": recorded, "dates": ", ".join(_date(d) for d in since)}), st["small"]))
    if history:
        story.append(_table([_("Date"), _("What"), _("Service"), _("Category")],
                            [[_date(c.effective_on),
                              _("opened (or first recorded)") if c.kind == "created" else c.get_kind_display(),
                              (c.facility.name or "—") + (f" ({c.facility.village.name})" if municipality is not None
                                                          and c.facility.village_id else ""),
                              c.facility.category.name] for c in history],
                            [28 * mm, 30 * mm, 70 * mm, 42 * mm], st))
    else:
        story.append(Paragraph(escape(_("No opening or closing recorded since.") if recorded
                                      else _("No opening or closing recorded.")), st["body"]))

    # --- participation
    ideas = selectors.idea_rows(limit=30, **kw)
    synthetic = synthetic or any(i.synthetic for i in ideas)
    story.extend(heading(_("Ideas")))
    if ideas:
        story.append(_table([_("Idea"), _("Theme"), _("Status"), _("Supports")],
                            [[i.title, i.get_theme_display(), i.get_status_display(), str(i.supports_count)] for i in ideas],
                            [68 * mm, 34 * mm, 36 * mm, 32 * mm], st))  # room for "Steunbetuigingen"
    else:
        story.append(Paragraph(escape(_("No idea yet.")), st["body"]))
    projects = selectors.project_rows(**kw)
    synthetic = synthetic or any(p.synthetic for p in projects)
    story.extend(heading(_("Projects")))
    if projects:
        story.append(_table([_("Project"), _("Call"), _("Villages")],
                            [[p.title, p.call.title, ", ".join(v.name for v in p.village_list)] for p in projects],
                            [75 * mm, 55 * mm, 40 * mm], st))
    else:
        story.append(Paragraph(escape(_("No funded project yet.")), st["body"]))
    events = selectors.event_rows(**kw)
    synthetic = synthetic or any(e.synthetic for e in events)
    story.extend(heading(_("Events")))
    if events:
        story.append(_table([_("Date"), _("Event"), _("Type"), _("Village")],
                            [[_local_date(e.starts_at), e.title, e.get_type_display(), e.village.name] for e in events],
                            [30 * mm, 75 * mm, 35 * mm, 30 * mm], st))
    else:
        story.append(Paragraph(escape(_("No coming event.")), st["body"]))

    # --- sources
    sources = list(dict.fromkeys([*content.sources, maps.OSM, *maps.BASE_SOURCES]))
    story.append(KeepTogether([  # a few lines: kept whole, after the last section when they fit there
        Paragraph(escape(_("Sources and licences")), st["h2"]),
        Paragraph(escape(_("Data: %(sources)s") % {"sources": "; ".join(sources)}), st["body"]),
        Paragraph(escape(_("Ideas, projects and events: Partons. Distances and times computed in ETRS89-LAEA "
                           "(EPSG:3035).")), st["small"])]))
    if synthetic:
        story.insert(2, Paragraph(escape(drawing.synthetic_note()), st["warn"]))

    buf = io.BytesIO()
    title = place.name
    footer = f"Partons · {title} · {_date(datetime.date.today())}"

    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=title, author="Partons", subject=_("Dossier"))
    doc.build(story, canvasmaker=_numbered_canvas(footer))
    return buf.getvalue()


def _local_date(dt) -> str:
    from django.utils import timezone

    return formats.date_format(timezone.localtime(dt), "DATETIME_FORMAT")


def _numbered_canvas(footer: str):
    """A canvas that writes "page n of N" on every page once it knows N."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    label = _("Page %(page)s of %(pages)s")

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 8)
                self.setFillColorRGB(0.3, 0.32, 0.35)
                width, _h = self._pagesize
                self.drawString(20 * mm, 10 * mm, footer)
                self.drawRightString(width - 20 * mm, 10 * mm, label % {"page": self._pageNumber, "pages": total})
                super().showPage()
            super().save()

    return NumberedCanvas
