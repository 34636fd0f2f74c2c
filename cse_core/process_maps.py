"""Process-map pictures for the case statuses of section 2.2, drawn from ``knowledge/pathways.yml``.

The guidance's own process maps (section 4) are pictures that are not in its text, so these are
not copies of them: each picture says under its title that it is drawn from the text of section
2.2 and is not the guidance's own map (messages.yml ``map_subtitle``).

Nothing in a picture is typed here: the title is the pathway's label, the start box names the
Children's Access Point and its phone number from ``contacts.yml``, and every box below it is
one of the pathway's steps, grouped as ``answers.describe_pathway`` groups them (steps for
every risk level first, then one column per group of levels). Edit the YAML, run

    python -m cse_core.process_maps [out_dir]

and the pictures follow. Each map is written as ``map-<N>.svg`` (text kept as real, searchable
SVG text) and ``map-<N>.png``. Output is byte-for-byte the same for the same knowledge.

Pure Python and matplotlib (Agg canvas, no pyplot, no network); it must not import rasa.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.textpath import TextToPath

from cse_core import answers, knowledge
from cse_core.answers import source_line
from cse_core.knowledge import Knowledge, Pathway

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = ROOT / "var" / "maps"
DEFAULT_PUBLIC_URL = "http://localhost:8080"
LEVELS = ("low", "medium", "high")  # as answers.describe_pathway

# ---------------------------------------------------------------------------------------------
# Look. All sizes are in points (1/72 inch); the figure is FIG_WIDTH wide and as tall as its
# content. 4.5 in wide with 11 pt text: shown at a phone's ~360-400 px width, body text comes
# out at roughly 12-13 px, the title a little larger.
# ---------------------------------------------------------------------------------------------
FONT = "DejaVu Sans"  # bundled with matplotlib, so measurements are the same everywhere
FIG_WIDTH = 324.0
PNG_DPI = 200  # 900 px wide
MARGIN = 12.0
PAD_X = 9.0
PAD_Y = 7.0
LINE_SPACING = 1.28
COLUMN_GAP = 10.0
ARROW_GAP = 18.0
TITLE_SIZE = 13.0
NOTE_SIZE = 10.0
BODY_SIZE = 11.0
COLUMN_SIZE = 10.5
FOOTER_SIZE = 9.5
# Measured widths use the font's own metrics; hinting and the SVG viewer's font can differ a
# little, so lines are wrapped to slightly less than the box allows.
WRAP_SLACK = 0.94

TEXT = "#1f2933"  # near-black, used for all text in boxes
MUTED = "#4a5560"  # footer text on white
BACKGROUND = "#ffffff"
ARROW = "#3e4c59"


@dataclass(frozen=True)
class Style:
    fill: str
    edge: str
    heading_fill: str


START = Style(fill="#dcebf7", edge="#2b5c8a", heading_fill="#dcebf7")
COMMON = Style(fill="#eef2f6", edge="#52606d", heading_fill="#eef2f6")
NOTE = Style(fill="#fbeaea", edge="#9b2c2c", heading_fill="#fbeaea")
# A branch column is coloured by the lowest risk level it covers.
LEVEL_STYLES = {
    "low": Style(fill="#e7f4ea", edge="#2f6b3a", heading_fill="#cfe8d5"),
    "medium": Style(fill="#fdf1dc", edge="#8a5a00", heading_fill="#f8dfb0"),
    "high": Style(fill="#fbe9e9", edge="#9b2c2c", heading_fill="#f3cfcf"),
}
NO_EXTRA_STEPS = "No extra steps: the steps above apply."
SAME_AT_EVERY_LEVEL = "These steps apply at every risk level."


# ---------------------------------------------------------------------------------------------
# What a map shows, from the knowledge
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Branch:
    levels: tuple[str, ...]
    label: str  # "Low risk", "Medium or high risk"
    steps: tuple[str, ...]  # empty: no steps beyond the common ones for these levels


@dataclass(frozen=True)
class MapContent:
    number: int
    status_id: str
    title: str
    subtitle: str
    note: str | None
    start: str
    keep: tuple[str, ...]  # phrases not to split across lines: the phone numbers
    common: tuple[str, ...]
    branches: tuple[Branch, ...]
    footer: str


def _label(levels: Sequence[str]) -> str:
    text = f"{' or '.join(levels)} risk"
    return text[:1].upper() + text[1:]


def group_steps(k: Knowledge, pathway: Pathway) -> tuple[list[str], list[Branch]]:
    """Steps for every level, then the level groups, exactly as ``describe_pathway`` groups them.

    Groups are ordered by their lowest level (low on the left). When some levels have a group
    and others none, the levels without one get a column saying no extra steps apply, so each
    level can be followed to its end.
    """
    every = set(LEVELS)
    common = [answers.step_text(k, s) for s in pathway.steps if set(s.levels) == every]
    groups: dict[tuple[str, ...], list[str]] = {}
    for step in pathway.steps:
        if set(step.levels) != every:
            groups.setdefault(step.levels, []).append(answers.step_text(k, step))
    branches = [Branch(levels, _label(levels), tuple(texts)) for levels, texts in groups.items()]
    if branches:
        covered = {level for b in branches for level in b.levels}
        rest = tuple(level for level in LEVELS if level not in covered)
        if rest:
            branches.append(Branch(rest, _label(rest), ()))
    branches.sort(key=lambda b: min(LEVELS.index(level) for level in b.levels))
    return common, branches


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def map_content(k: Knowledge, pathway: Pathway) -> MapContent:
    if pathway.process_map is None:
        raise ValueError(f"status '{pathway.id}' has no process map")
    cap = k.contacts["cap"]
    police = k.contacts.get("police_emergency")
    common, branches = group_steps(k, pathway)
    footer = source_line(k, pathway.section)
    if not branches:
        footer = f"{SAME_AT_EVERY_LEVEL} {footer}"
    return MapContent(
        number=int(pathway.process_map),
        status_id=pathway.id,
        title=_sentence(pathway.label),
        subtitle=k.message("map_subtitle").format(section=pathway.section, number=pathway.process_map),
        note=_sentence(str(police["use"]).rstrip(".")) + "." if police and police.get("use") else None,
        start=f"Concern about a child → contact the {cap['name']} on {cap['phone']}",
        keep=tuple(sorted({str(c["phone"]) for c in k.contacts.values() if c.get("phone")}, key=lambda s: (-len(s), s))),
        common=tuple(common),
        branches=tuple(branches),
        footer=footer,
    )


def mapped_pathways(k: Knowledge) -> list[Pathway]:
    """The statuses that have a process map, by map number (a number used twice is an error)."""
    seen: dict[int, str] = {}
    for pathway in k.pathways.values():
        if pathway.process_map is not None:
            number = int(pathway.process_map)
            if number in seen:
                raise ValueError(f"process map {number} is used by both '{seen[number]}' and '{pathway.id}'")
            seen[number] = pathway.id
    return [k.pathways[seen[n]] for n in sorted(seen)]


def map_for_status(status_id: str, k: Knowledge | None = None) -> int | None:
    """The process-map number for a case status, or None (no map, or unknown status)."""
    k = k or knowledge.get()
    pathway = k.pathways.get(status_id)
    return int(pathway.process_map) if pathway and pathway.process_map is not None else None


def public_url(number: int) -> str | None:
    """Where the chat can link map ``number``'s PNG, or None if it has not been rendered."""
    if not (DEFAULT_OUT_DIR / f"map-{number}.png").is_file():
        return None
    base = os.environ.get("CSE_PUBLIC_URL", DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}/maps/map-{number}.png"


# ---------------------------------------------------------------------------------------------
# Measuring and wrapping text
# ---------------------------------------------------------------------------------------------
_TEXT_TO_PATH = TextToPath()


def _font(size: float, bold: bool = False) -> FontProperties:
    return FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")


def _width(text: str, font: FontProperties) -> float:
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, font, ismath=False)
    return float(width)


NBSP = "\u00a0"
BREAK_AFTER = "@/"  # where a word too long for a line is best split (after these, or before a dot)


def _split_long(word: str, limit: float, font: FontProperties) -> tuple[str, str]:
    """The longest head of ``word`` that fits, preferring a cut after @ or / or before a dot."""
    fits = [i for i in range(1, len(word)) if _width(word[:i], font) <= limit] or [1]
    nice = [i for i in fits if word[i - 1] in BREAK_AFTER or word[i] == "."]
    cut = max(nice or fits)
    return word[:cut], word[cut:]


def wrap(text: str, max_width: float, font: FontProperties, keep: Sequence[str] = ()) -> list[str]:
    """Greedy word wrap to ``max_width`` points.

    Phrases in ``keep`` (a phone number) are never split across lines; a single word too long
    for a line is split, at @, / or a dot where possible.
    """
    limit = max_width * WRAP_SLACK
    text = " ".join(text.split())
    for phrase in keep:
        text = text.replace(phrase, phrase.replace(" ", NBSP))
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if _width(candidate, font) <= limit:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while len(line) > 1 and _width(line, font) > limit:
            head, line = _split_long(line, limit, font)
            lines.append(head)
    if line:
        lines.append(line)
    return [ln.replace(NBSP, " ") for ln in lines]


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------
@dataclass
class _Box:
    x: float
    y: float  # top; y grows downwards
    w: float
    lines: list[str]
    font: FontProperties
    fill: str
    edge: str
    align: str = "center"
    style: str = "normal"

    @property
    def line_step(self) -> float:
        return float(self.font.get_size_in_points()) * LINE_SPACING

    @property
    def h(self) -> float:
        return 2 * PAD_Y + len(self.lines) * self.line_step

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


def _box(x: float, y: float, w: float, text: str, size: float, style: Style, *, bold: bool = False,
         heading: bool = False, italic: bool = False, keep: Sequence[str] = ()) -> _Box:
    font = _font(size, bold)
    return _Box(x, y, w, wrap(text, w - 2 * PAD_X, font, keep), font,
                style.heading_fill if heading else style.fill, style.edge,
                style="italic" if italic else "normal")


@dataclass
class _Layout:
    width: float
    height: float
    texts: list[tuple[float, float, str, FontProperties, str, str]]  # x, y, text, font, colour, ha
    boxes: list[_Box]
    arrows: list[tuple[tuple[float, float], tuple[float, float]]]
    lines: list[tuple[tuple[float, float], tuple[float, float]]]


def layout(content: MapContent) -> _Layout:
    """Place every box, line of text and arrow, top to bottom, in points."""
    inner = FIG_WIDTH - 2 * MARGIN
    out = _Layout(FIG_WIDTH, 0.0, [], [], [], [])
    y = MARGIN

    title_font = _font(TITLE_SIZE, bold=True)
    for line in wrap(content.title, inner, title_font):
        step = TITLE_SIZE * 1.25
        out.texts.append((FIG_WIDTH / 2, y + step / 2, line, title_font, TEXT, "center"))
        y += step
    y += 2
    subtitle_font = _font(NOTE_SIZE)
    for line in wrap(content.subtitle, inner, subtitle_font):
        step = NOTE_SIZE * LINE_SPACING
        out.texts.append((FIG_WIDTH / 2, y + step / 2, line, subtitle_font, MUTED, "center"))
        y += step
    y += 6

    if content.note:
        note = _box(MARGIN, y, inner, content.note, NOTE_SIZE, NOTE, keep=content.keep)
        out.boxes.append(note)
        y = note.bottom + 10

    previous = _box(MARGIN, y, inner, content.start, BODY_SIZE, START, bold=True, keep=content.keep)
    out.boxes.append(previous)
    for text in content.common:
        box = _box(MARGIN, previous.bottom + ARROW_GAP, inner, text, BODY_SIZE, COMMON, keep=content.keep)
        out.arrows.append(((previous.cx, previous.bottom), (box.cx, box.y)))
        out.boxes.append(box)
        previous = box
    bottom = previous.bottom

    if content.branches:
        n = len(content.branches)
        col_w = (inner - COLUMN_GAP * (n - 1)) / n
        split_y = previous.bottom + ARROW_GAP * 0.6
        head_y = split_y + ARROW_GAP * 0.9
        centres = [MARGIN + i * (col_w + COLUMN_GAP) + col_w / 2 for i in range(n)]
        out.lines.append(((previous.cx, previous.bottom), (previous.cx, split_y)))
        if n > 1:
            out.lines.append(((centres[0], split_y), (centres[-1], split_y)))
        for i, branch in enumerate(content.branches):
            style = LEVEL_STYLES[min(branch.levels, key=LEVELS.index)]
            x = MARGIN + i * (col_w + COLUMN_GAP)
            head = _box(x, head_y, col_w, branch.label, COLUMN_SIZE, style, bold=True, heading=True)
            out.arrows.append(((head.cx, split_y), (head.cx, head.y)))
            out.boxes.append(head)
            last = head
            steps = branch.steps or (NO_EXTRA_STEPS,)
            for text in steps:
                box = _box(x, last.bottom + ARROW_GAP * 0.8, col_w, text, COLUMN_SIZE, style,
                           italic=not branch.steps, keep=content.keep)
                out.arrows.append(((last.cx, last.bottom), (box.cx, box.y)))
                out.boxes.append(box)
                last = box
            bottom = max(bottom, last.bottom)

    y = bottom + 12
    footer_font = _font(FOOTER_SIZE)
    for line in wrap(content.footer, inner, footer_font):
        step = FOOTER_SIZE * LINE_SPACING
        out.texts.append((FIG_WIDTH / 2, y + step / 2, line, footer_font, MUTED, "center"))
        y += step
    out.height = float(round(y + MARGIN))
    return out


def draw(content: MapContent) -> Figure:
    """A matplotlib figure of one process map (Agg canvas; no pyplot, no global state)."""
    plan = layout(content)
    fig = Figure(figsize=(plan.width / 72, plan.height / 72), dpi=72, facecolor=BACKGROUND)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, plan.width)
    ax.set_ylim(plan.height, 0)
    ax.set_axis_off()

    def text(x: float, y: float, s: str, font: FontProperties, colour: str, ha: str, style: str = "normal"):
        font = font.copy()
        font.set_style(style)
        ax.text(x, y, s, fontproperties=font, color=colour, ha=ha, va="center", parse_math=False)

    for (x0, y0), (x1, y1) in plan.lines:
        ax.add_line(Line2D([x0, x1], [y0, y1], color=ARROW, linewidth=1.4, solid_capstyle="butt"))
    for start, end in plan.arrows:
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=11, color=ARROW,
                                     linewidth=1.4, shrinkA=0, shrinkB=0))
    for box in plan.boxes:
        ax.add_patch(FancyBboxPatch((box.x, box.y), box.w, box.h, boxstyle="round,pad=0,rounding_size=6",
                                    facecolor=box.fill, edgecolor=box.edge, linewidth=1.2))
        for i, line in enumerate(box.lines):
            ly = box.y + PAD_Y + (i + 0.5) * box.line_step
            text(box.cx, ly, line, box.font, TEXT, "center", box.style)
    for x, y, s, font, colour, ha in plan.texts:
        text(x, y, s, font, colour, ha)
    return fig


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------
RC = {
    "svg.fonttype": "none",  # text stays text: searchable, and testable against the data
    "svg.hashsalt": "cse-process-maps",  # fixed ids, so the same input gives the same bytes
    "font.family": FONT,
    "path.simplify": False,
}


# matplotlib names one font family in the SVG; a viewer without DejaVu Sans would fall back to
# its default (often a serif). These are of similar width or narrower, so text still fits its boxes.
FONT_FALLBACKS = "Verdana, 'Bitstream Vera Sans', Arial, Helvetica, sans-serif"
_SVG_FONT = re.compile(r"(font: [^;\"]*)'" + re.escape(FONT) + "'")


def _with_font_fallbacks(svg: str) -> str:
    return _SVG_FONT.sub(lambda m: f"{m[1]}'{FONT}', {FONT_FALLBACKS}", svg)


def render_map(k: Knowledge, pathway: Pathway, out_dir: Path) -> list[Path]:
    content = map_content(k, pathway)
    out_dir.mkdir(parents=True, exist_ok=True)
    svg = out_dir / f"map-{content.number}.svg"
    png = out_dir / f"map-{content.number}.png"
    with matplotlib.rc_context(RC):
        fig = draw(content)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Title": content.title})
        svg.write_text(_with_font_fallbacks(buffer.getvalue()), encoding="utf-8")
        fig.savefig(png, format="png", dpi=PNG_DPI, metadata={"Software": None, "Title": content.title})
    return [svg, png]


def render_all(out_dir: Path = DEFAULT_OUT_DIR, k: Knowledge | None = None) -> list[Path]:
    """Render every process map to ``out_dir`` as ``map-<N>.svg`` and ``map-<N>.png``."""
    k = k or knowledge.get()
    out_dir = Path(out_dir)
    written: list[Path] = []
    for pathway in mapped_pathways(k):
        written += render_map(k, pathway, out_dir)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or (args and args[0] in {"-h", "--help"}):
        print("usage: python -m cse_core.process_maps [out_dir]")
        return 0 if args and args[0] in {"-h", "--help"} else 2
    out_dir = Path(args[0]) if args else DEFAULT_OUT_DIR
    for path in render_all(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
