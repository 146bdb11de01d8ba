"""Maps drawn for paper with matplotlib's object API (a `Figure` of its own per print, the Agg and PDF backends,
never pyplot's global state): the municipalities coloured by country with the national border, the villages, the
map's marks, a legend beside (landscape) or under (portrait) the map so that it never covers it, a scale bar measured
on the ground, a north arrow pointing to true north, the sources and licences, the date and the synthetic note.

Everything is drawn in ETRS89-LAEA (EPSG:3035) metres, as `partons.core.geo` measures distances."""
from __future__ import annotations

import io
import math
import textwrap

import matplotlib
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
import matplotlib.patheffects as pe
from pyproj import Geod

from django.utils.translation import gettext as _

from partons.core.geo import LAEA, WGS84, transformer

from .maps import MapContent

matplotlib.rcParams["pdf.fonttype"] = 42  # TrueType in the PDF: its text can be searched and copied (set once)
matplotlib.rcParams["font.family"] = "DejaVu Sans"

PAGE_MM = {"a4": (210, 297), "a3": (297, 420)}  # portrait (width, height)
PNG_DPI = 200
FILL = {"BE": "#dde6f3", "FR": "#f7e0de"}
EDGE = "#8c8c8c"
BORDER = "#3a3a3a"
INK = "#1b1b1f"
MUTED = "#4d5159"
SYNTHETIC = "#9a3412"
NICE_KM = (0.5, 1, 2, 5, 10, 20, 25, 50, 100)
GEOD = Geod(ellps="GRS80")


def orientation_for(content: MapContent, wanted: str | None) -> str:
    if wanted:
        return wanted
    xmin, ymin, xmax, ymax = content.extent or content.base.extent
    return "landscape" if (xmax - xmin) >= (ymax - ymin) else "portrait"


def page_inches(size: str, orientation: str) -> tuple[float, float]:
    w, h = PAGE_MM[size]
    if orientation == "landscape":
        w, h = h, w
    return w / 25.4, h / 25.4


def pixel_size(size: str, orientation: str) -> tuple[int, int]:
    """The PNG's width and height in pixels (matplotlib drops the fraction of a pixel)."""
    w, h = page_inches(size, orientation)
    return int(w * PNG_DPI), int(h * PNG_DPI)


def render(content: MapContent, *, size: str = "a4", orientation: str | None = None, fmt: str = "pdf") -> bytes:
    fig = draw(content, size=size, orientation=orientation_for(content, orientation))
    buf = io.BytesIO()
    if fmt == "png":
        fig.savefig(buf, format="png", dpi=PNG_DPI, metadata={"Title": content.title, "Software": "Partons"})
    else:
        fig.savefig(buf, format="pdf", metadata={"Title": content.title, "Creator": "Partons",
                                                 "Subject": content.subtitle})
    return buf.getvalue()


def draw(c: MapContent, *, size: str, orientation: str) -> Figure:
    w_in, h_in = page_inches(size, orientation)
    fig = Figure(figsize=(w_in, h_in))
    k = w_in / (210 / 25.4) if orientation == "portrait" else h_in / (210 / 25.4)  # type sizes grow with the paper
    k = max(1.0, min(k, 1.42))
    landscape = orientation == "landscape"
    # Title block
    fig.text(0.04, 1 - 0.35 * k / h_in, c.title, fontsize=20 * k, fontweight="bold", color=INK, va="top")
    fig.text(0.04, 1 - 0.82 * k / h_in, c.subtitle, fontsize=11 * k, color=MUTED, va="top")
    footer_h = (0.95 if not c.synthetic else 1.2) * k / h_in
    top = 1 - 1.2 * k / h_in
    if landscape:
        map_box = [0.04, footer_h + 0.02, 0.66, top - footer_h - 0.03]
        legend_box = [0.72, footer_h + 0.02, 0.25, top - footer_h - 0.03]
    else:
        rows = math.ceil((len(c.legend) + 4) / 2) + (1 if c.notes else 0)
        legend_h = (0.45 + 0.25 * rows) * k / h_in
        map_box = [0.05, footer_h + legend_h + 0.02, 0.90, top - footer_h - legend_h - 0.03]
        legend_box = [0.05, footer_h + 0.01, 0.90, legend_h]
    ax = fig.add_axes(map_box)
    _draw_map(ax, c, k)
    lg = fig.add_axes(legend_box)
    _draw_legend(lg, c, k, columns=1 if landscape else 2)
    _draw_footer(fig, c, k, width_in=w_in, footer_h=footer_h)
    return fig


def _ring_path(rings) -> Path:
    verts, codes = [], []
    for ring in rings:
        verts += ring
        codes += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 2) + [Path.CLOSEPOLY]
    return Path(verts, codes)


def _draw_map(ax, c: MapContent, k: float) -> None:
    base = c.base
    ax.set_facecolor("#ffffff")
    for area in base.areas:
        for rings in area.polygons:
            if len(rings[0]) < 4:
                continue
            lw = 2.0 if area.pk == c.highlight_area else 0.5
            fill = _tint(c.area_fills[area.pk]) if area.pk in c.area_fills else FILL.get(area.country, "#eeeeee")
            ax.add_patch(PathPatch(_ring_path(rings), facecolor=fill,
                                   edgecolor=INK if area.pk == c.highlight_area else EDGE, linewidth=lw, zorder=1))
    if c.area_fills:  # the areas show figures, not countries: each side is named beyond its edge (sea, outside)
        for country, name, north in (("BE", _("Belgium"), True), ("FR", _("France"), False)):
            points = [(v.x, v.y) for v in base.villages if v.country == country]
            if points:
                xs, ys = sorted(p[0] for p in points), [p[1] for p in points]
                span = base.extent[3] - base.extent[1]
                ax.text(xs[len(xs) // 2], max(ys) + 0.05 * span if north else min(ys) - 0.05 * span, name,
                        fontsize=14 * k, fontweight="bold", color=MUTED, ha="center",
                        va="bottom" if north else "top", zorder=5)
    for line in base.border:
        xs, ys = zip(*line)
        ax.plot(xs, ys, color=BORDER, linewidth=2.2 * k, linestyle=(0, (4, 2)), zorder=6, solid_capstyle="butt",
                path_effects=[pe.Stroke(linewidth=4 * k, foreground="#ffffff"), pe.Normal()])
    xmin, ymin, xmax, ymax = c.extent or base.extent
    padx, pady = 0.04 * (xmax - xmin) + 500, 0.04 * (ymax - ymin) + 500
    xmin, xmax, ymin, ymax = xmin - padx, xmax + padx, ymin - pady, ymax + pady
    # the extent grown to the box's shape, so that a metre is as long across as up
    fig_w, fig_h = ax.figure.get_size_inches()
    pos = ax.get_position()
    box = (pos.width * fig_w) / (pos.height * fig_h)
    if (xmax - xmin) / (ymax - ymin) < box:
        grow = (ymax - ymin) * box - (xmax - xmin)
        xmin, xmax = xmin - grow / 2, xmax + grow / 2
    else:
        grow = (xmax - xmin) / box - (ymax - ymin)
        ymin, ymax = ymin - grow / 2, ymax + grow / 2
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(MUTED)
        spine.set_linewidth(0.8)
    # villages under the marks, the marks, then the labels over everything
    vx = [v.x for v in base.villages]
    vy = [v.y for v in base.villages]
    ax.scatter(vx, vy, s=5 * k, c="#333333", zorder=4, linewidths=0)
    by_marker: dict[str, list] = {}
    for m in c.marks:
        by_marker.setdefault(m.marker, []).append(m)
    for marker, marks in by_marker.items():
        ax.scatter([m.x for m in marks], [m.y for m in marks], s=[m.size * k for m in marks], c=[m.colour for m in marks],
                   marker=marker, alpha=0.85, edgecolors=[m.edge for m in marks], linewidths=0.5, zorder=5)
    if c.highlight is not None:
        v = next((v for v in base.villages if v.pk == c.highlight), None)
        if v is not None:
            ax.scatter([v.x], [v.y], s=160 * k, facecolors="none", edgecolors=INK, linewidths=2, zorder=6)
    _label_villages(ax, c, k)
    _scale_bar(ax, k)
    _north_arrow(ax, k)


def _label_villages(ax, c: MapContent, k: float) -> None:
    """The largest villages first, each only where its label overlaps no other one (nor the scale bar and the north
    arrow): at print size every label shown can be read."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    bbox = ax.get_window_extent()  # pixels at the figure's dpi
    dpi = ax.figure.dpi
    m_per_pt = (x1 - x0) / (bbox.width * 72 / dpi)
    size = 6.5 * k
    taken = [(x0, y0, x0 + 0.32 * (x1 - x0), y0 + 0.09 * (y1 - y0)),  # the scale bar
             (x1 - 0.09 * (x1 - x0), y1 - 0.16 * (y1 - y0), x1, y1)]  # the north arrow
    placed = 0
    limit = 45 if k < 1.2 else 70
    radius_pt = {m.pk: math.sqrt(m.size * k) / 2 for m in c.marks if m.pk is not None}  # a mark's radius, points
    marked = set(radius_pt) if len(radius_pt) < len(c.base.villages) / 2 else set()
    # the highlighted village, then those the map's marks stand for (a project's village), then the largest
    villages = sorted(c.base.villages, key=lambda v: (v.pk != c.highlight, v.pk not in marked, -v.population))
    for v in villages:
        if placed >= limit:
            break
        gap = (max(2.5, radius_pt.get(v.pk, 0) + 1) + (6 if v.pk == c.highlight else 0)) * m_per_pt
        w = (len(v.name) * 0.56 * size * (1.3 if v.pk == c.highlight else 1) + 3) * m_per_pt
        h = 1.25 * size * m_per_pt
        box = (v.x + gap, v.y - h / 2, v.x + gap + w, v.y + h / 2)
        if box[2] > x1:  # no room on the right: to the left of the point
            box = (v.x - gap - w, box[1], v.x - gap, box[3])
        if box[0] < x0 or box[2] > x1 or box[1] < y0 or box[3] > y1:
            continue  # a label is shown whole or not at all
        if any(not (box[2] < t[0] or box[0] > t[2] or box[3] < t[1] or box[1] > t[3]) for t in taken):
            if v.pk != c.highlight:
                continue
        taken.append(box)
        placed += 1
        bold = v.pk == c.highlight
        _halo_text(ax, box[0] + 1.5 * m_per_pt, v.y, v.name, halo=2.2, fontsize=size * (1.3 if bold else 1),
                   va="center", ha="left", color=INK, fontweight="bold" if bold else "normal", zorder=7)


def _halo_text(ax, x, y, text: str, *, halo: float, zorder: float, **kwargs) -> None:
    """Text with a white halo that keeps it readable over lines and fills. The halo is a stroked copy drawn
    underneath (a path effect turns what it draws into outlines); the text itself stays text, so that the PDF's
    names can be searched, copied and read aloud."""
    ax.text(x, y, text, zorder=zorder, **{**kwargs, "color": "#ffffff"},
            path_effects=[pe.Stroke(linewidth=halo, foreground="#ffffff")])
    ax.text(x, y, text, zorder=zorder + 0.01, **kwargs)


def _ground_factor(x: float, y: float) -> float:
    """Metres on the ground per metre of the map, along x at (x, y) (the projection's scale there)."""
    inv = transformer(LAEA, WGS84)
    lon1, lat1 = inv.transform(x - 5000, y)
    lon2, lat2 = inv.transform(x + 5000, y)
    _az1, _az2, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    return dist / 10000


def _scale_bar(ax, k: float) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    factor = _ground_factor((x0 + x1) / 2, (y0 + y1) / 2)
    target_km = (x1 - x0) * factor / 1000 / 5
    length_km = max([n for n in NICE_KM if n <= target_km] or [NICE_KM[0]])
    length = length_km * 1000 / factor  # in map metres
    left = x0 + 0.03 * (x1 - x0)
    bottom = y0 + 0.035 * (y1 - y0)
    height = 0.012 * (y1 - y0)
    ax.add_patch(Rectangle((left - 0.01 * (x1 - x0), bottom - 0.015 * (y1 - y0)), length + 0.05 * (x1 - x0),
                           height + 0.055 * (y1 - y0), facecolor="#ffffff", alpha=0.8, edgecolor="none", zorder=8))
    for i in range(4):
        ax.add_patch(Rectangle((left + i * length / 4, bottom), length / 4, height, facecolor=INK if i % 2 == 0 else "#ffffff",
                               edgecolor=INK, linewidth=0.6, zorder=9))
    label = f"{length_km:g} km"
    ax.text(left, bottom + height * 1.6, "0", fontsize=7 * k, ha="center", va="bottom", color=INK, zorder=9)
    ax.text(left + length, bottom + height * 1.6, label, fontsize=7 * k, ha="center", va="bottom", color=INK, zorder=9)


def _north_arrow(ax, k: float) -> None:
    """An arrow to true north at the map's centre (LAEA's grid north differs from it away from 10° E)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    inv = transformer(LAEA, WGS84)
    fwd = transformer(WGS84, LAEA)
    lon, lat = inv.transform((x0 + x1) / 2, (y0 + y1) / 2)
    nx, ny = fwd.transform(lon, lat + 0.05)
    angle = math.atan2(nx - (x0 + x1) / 2, ny - (y0 + y1) / 2)  # radians clockwise from grid north
    cx, cy, length = 0.95, 0.89, 0.07
    dx, dy = length * math.sin(angle), length * math.cos(angle)
    ax.annotate("", xy=(cx + dx / 2, cy + dy / 2), xytext=(cx - dx / 2, cy - dy / 2), xycoords="axes fraction",
                arrowprops={"arrowstyle": "-|>,head_width=0.45,head_length=0.9", "color": INK, "linewidth": 1.8 * k},
                zorder=9)
    _halo_text(ax, cx + dx * 0.85, cy + dy * 0.85, _("N"), halo=2.5, transform=ax.transAxes, ha="center",
               va="bottom", fontsize=10 * k, fontweight="bold", color=INK, zorder=9)


def _tint(colour: str, opacity: float = 0.55) -> tuple:
    """A colour laid over white paper at the page's opacity (areas are lighter than the circles over them)."""
    r, g, b = to_rgb(colour)
    return (1 - opacity + opacity * r, 1 - opacity + opacity * g, 1 - opacity + opacity * b)


def _legend_items(c: MapContent) -> list:
    from .maps import LegendItem

    countries = [] if c.area_fills else [LegendItem(_("Belgium"), FILL["BE"], "patch"),
                                         LegendItem(_("France"), FILL["FR"], "patch")]
    return [*countries, LegendItem(_("National border"), BORDER, "line"), LegendItem(_("Village"), "#333333", "village"),
            *c.legend]


def _draw_legend(lg, c: MapContent, k: float, columns: int) -> None:
    lg.set_axis_off()
    lg.set_xlim(0, 1)
    lg.set_ylim(0, 1)
    fig_w, fig_h = lg.figure.get_size_inches()
    box_w_in = lg.get_position().width * fig_w
    box_h_in = lg.get_position().height * fig_h
    line = 0.16 * k / box_h_in  # one line of legend text, in axes units
    inch_x = 1 / box_w_in  # an inch across, in axes units
    lg.text(0, 1, _("Legend"), fontsize=11 * k, fontweight="bold", va="top", color=INK)
    items = _legend_items(c)
    col_w = 1 / columns
    chars = max(18, int((box_w_in / columns - 0.5 * k) * 72 / (8 * k * 0.56)))
    per_col = math.ceil(len(items) / columns)
    y_start = 1 - 0.34 * k / box_h_in
    for col in range(columns):
        y = y_start
        for item in items[col * per_col:(col + 1) * per_col]:
            x = col * col_w
            text = textwrap.fill(item.label, chars)
            _legend_symbol(lg, item, x + 0.17 * k * inch_x, y - 0.5 * line, k, inch_x)
            lg.text(x + 0.42 * k * inch_x, y, text, fontsize=8 * k, va="top", color=INK, linespacing=1.15)
            y -= (text.count("\n") + 1) * line + 0.09 * k / box_h_in
    if c.notes:
        width = max(18, int((box_w_in - 0.1 * k) * 72 / (8 * k * 0.56)))
        lg.text(0, 0.0, "\n".join(textwrap.fill(note, width) for note in c.notes), fontsize=8 * k, va="bottom",
                color=MUTED, linespacing=1.15)


def _legend_symbol(lg, item, x: float, cy: float, k: float, inch_x: float) -> None:
    fig_h = lg.figure.get_size_inches()[1]
    inch_y = 1 / (lg.get_position().height * fig_h)
    if item.kind == "patch":
        lg.add_patch(Rectangle((x - 0.1 * k * inch_x, cy - 0.065 * k * inch_y), 0.2 * k * inch_x, 0.13 * k * inch_y,
                               facecolor=item.colour, edgecolor=EDGE, linewidth=0.5))
    elif item.kind == "line":
        lg.plot([x - 0.13 * k * inch_x, x + 0.13 * k * inch_x], [cy, cy], color=item.colour, linewidth=2.2 * k,
                linestyle=(0, (4, 2)))
    elif item.kind == "village":
        lg.scatter([x], [cy], s=5 * k, c=item.colour, linewidths=0)
    elif item.kind.startswith("size"):  # "size" (circles) or "size-square": growing symbols, as on the map
        marker = "s" if item.kind == "size-square" else "o"
        for i, s in enumerate((6, 24, 60)):
            lg.scatter([x + (i - 1) * 0.1 * k * inch_x], [cy], s=s * k, marker=marker, facecolors="none",
                       edgecolors=item.colour, linewidths=0.8)
    else:
        marker = {"dot": "o", "square": "s", "diamond": "D"}.get(item.kind, "o")
        lg.scatter([x], [cy], s=45 * k, c=item.colour, marker=marker, edgecolors="#5a5a5a", linewidths=0.4)


def synthetic_note() -> str:
    return "⚠ " + _("Synthetic demo data: some records shown are made up for the demo, not real.")


def _draw_footer(fig, c: MapContent, k: float, *, width_in: float, footer_h: float) -> None:
    chars = int(width_in * 72 / (7 * k * 0.55)) - 8
    sources = textwrap.fill(_("Data: %(sources)s") % {"sources": "; ".join(c.sources)}, chars)
    made = _("Made with Partons on %(date)s. Municipality boundaries and village points: see the sources; "
             "projection ETRS89-LAEA (EPSG:3035).") % {"date": c.made_on}
    y = footer_h - 0.12 / fig.get_size_inches()[1]
    fig.text(0.04, y, sources, fontsize=7 * k, va="top", color=INK, linespacing=1.2)
    lines = sources.count("\n") + 1
    y -= (lines * 0.135 * k + 0.05) / fig.get_size_inches()[1]
    fig.text(0.04, y, made, fontsize=7 * k, va="top", color=MUTED)
    if c.synthetic:
        y -= 0.17 * k / fig.get_size_inches()[1]
        fig.text(0.04, y, synthetic_note(),
                 fontsize=8 * k, va="top", color=SYNTHETIC, fontweight="bold")


def map_png(content: MapContent, *, width_in: float = 6.7, height_in: float = 4.6, dpi: int = 170) -> bytes:
    """The map alone (with its scale bar and north arrow), for a dossier page that carries its own legend text."""
    fig = Figure(figsize=(width_in, height_in))
    ax = fig.add_axes([0.005, 0.005, 0.99, 0.99])
    _draw_map(ax, content, 1.0)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def access_chart_png(rows: list[tuple[str, dict]], modes: list[tuple[str, str]], *, width_in: float = 6.7,
                     dpi: int = 170) -> bytes:
    """A dot per mode on each category's line: the mean minutes to the nearest service of that kind (rows:
    [(name, {mode: minutes})]), readable for twenty categories and four modes."""
    height_in = 1.2 + 0.2 * len(rows)
    fig = Figure(figsize=(width_in, height_in))
    ax = fig.add_axes([0.34, 0.75 / height_in, 0.62, 1 - 1.1 / height_in])
    colours = {"walk": "#1a9850", "bike": "#e08214", "car": "#1d4f91", "transit": "#7b3294"}
    markers = {"walk": "o", "bike": "s", "car": "D", "transit": "^"}
    ys = list(range(len(rows)))
    for y, (_name, values) in zip(ys, rows):
        known = [v for v in values.values() if v is not None]
        if known:
            ax.plot([min(known), max(known)], [y, y], color="#d5d5d5", linewidth=4, zorder=1, solid_capstyle="round")
    n = max(1, len(modes))
    for i, (mode, label) in enumerate(modes):
        dodge = (i - (n - 1) / 2) * 0.17  # each mode on a line of its own: equal times stay visible
        points = [(r[1][mode], y + dodge) for y, r in zip(ys, rows) if r[1].get(mode) is not None]
        if points:
            marker = markers.get(mode, "o")
            ax.scatter([p[0] for p in points], [p[1] for p in points], s=20, c=colours.get(mode, "#777777"),
                       marker=marker, label=label, zorder=2, edgecolors="#ffffff", linewidths=0.3)
    ax.set_yticks(ys)
    ax.set_yticklabels([textwrap.shorten(r[0], 34) for r in rows], fontsize=7.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.set_xlabel(_("minutes to the nearest (mean of the residents)"), fontsize=8)
    ax.tick_params(axis="x", labelsize=7.5)
    ax.grid(axis="x", color="#e3e3e3", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, 1.0), ncol=max(1, len(modes)), frameon=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
