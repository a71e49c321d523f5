"""Tables rebuilt from word positions, ruling lines used as evidence, never required.

A table region (the words between a table's title block and the narrative after it) is read in a
chain of small steps over plain data:

1. `cell_blocks`: words on one line with small gaps are a phrase; phrases stacked closely with
   overlapping x ranges (and no rule between them) are one cell's text — a wrapped label is one block.
2. `split_header`: the body begins with the row of the first figure or subject code; the blocks above
   it are the header.
3. `find_columns`: header leaves (blocks with no header block below them) anchor the columns; body
   blocks that fall under no leaf add columns of their own (a header merged over 编码 + 名称); right-
   aligned figures land in the column whose extent they overlap most.
4. `header_rows`: each header block goes to the row given by how many header blocks stand above it in
   its columns, at its first column — the merged-cell grid `index.tables` reads as a header tree.
5. `body_rows`: body blocks grouped into rows by vertical overlap, one string per column.

Every cell keeps its printed box (column extent × row extent) for the UI.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.readers.pdf_words import Line, Rules, Word, join_words

AMOUNT = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
Box = tuple[float, float, float, float]


@dataclass
class Block:
    """The text of one cell as printed: its lines top to bottom."""

    lines: list[list[Word]] = field(default_factory=list)

    @property
    def words(self) -> list[Word]:
        return [w for ln in self.lines for w in ln]

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.lines[0])

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.lines[-1])

    @property
    def size(self) -> float:
        return self.lines[0][0].size

    @property
    def text(self) -> str:
        return "".join(join_words(ln) for ln in self.lines)

    def is_anchor(self) -> bool:
        """A figure or a subject code: what body rows carry and header rows do not."""
        first = self.lines[0][0].text if len(self.lines) == 1 else self.text
        text = self.text.replace(" ", "")
        if AMOUNT.match(text):
            return True
        return bool(CODE.match(first)) or bool(re.match(r"^\d{3}(?:\d{2}){0,2}\s", join_words(self.lines[0])))


def _column_numbers(blocks: list[Block]) -> set[int]:
    """Blocks of printed column numbers (1 2 3 … on one line, or 栏次 beside them): header, not body."""
    small = sorted((b for b in blocks if re.fullmatch(r"\d{1,2}", b.text.strip())), key=lambda b: (b.top, b.x0))
    found: set[int] = set()
    for b in small:
        line = [o for o in small if abs(o.top - b.top) < 0.5 * b.size]
        values = [int(o.text) for o in sorted(line, key=lambda o: o.x0)]
        if len(values) >= 2 and values == list(range(values[0], values[0] + len(values))) and values[0] <= 1:
            found.update(id(o) for o in line)
    return found


@dataclass
class WordTable:
    """A table read from words: rows of cell strings (header rows first) and each cell's box."""

    rows: list[list[str]]
    boxes: list[list[Box | None]]
    header_count: int
    columns: list[tuple[float, float]]
    top: float
    bottom: float


# ---- 1. blocks ---------------------------------------------------------------------------------


def phrases(line: Line) -> list[list[Word]]:
    """Split a line where the gap between words is wider than about half a character."""
    out: list[list[Word]] = []
    for w in line.words:
        if out and w.x0 - out[-1][-1].x1 <= 0.6 * min(w.size, out[-1][-1].size):
            out[-1].append(w)
        else:
            out.append([w])
    return out


def cell_blocks(lines: list[Line], rules: Rules, ruled: bool = False) -> list[Block]:
    """Phrases stacked into cells: a phrase continues the block it overlaps in x, close above it.

    `ruled`: the region's cells are boxed, so rules part the cells and wrapped lines may stand wider apart."""
    reach = 0.8 if ruled else 0.5
    blocks: list[Block] = []
    for line in lines:
        recent = [b for b in blocks[-60:] if b.bottom > line.top - 1.5 * line.size]
        for ph in phrases(line):
            x0, x1 = ph[0].x0, max(w.x1 for w in ph)
            size = ph[0].size
            top = min(w.top for w in ph)
            host = None
            for b in recent:
                last = b.lines[-1]
                lx0, lx1 = last[0].x0, max(w.x1 for w in last)
                last_bottom = max(w.bottom for w in last)
                gap = top - last_bottom
                if _overlap(x0, x1, lx0, lx1) > -0.5 and -0.3 * size < gap < reach * size \
                        and not rules.between(last_bottom - 0.5, top + 0.5, max(x0, lx0), min(x1, lx1)):
                    host = b
                    break
            if host is not None:
                host.lines.append(ph)
            else:
                blocks.append(Block([ph]))
    return blocks


# ---- 2. header and body ------------------------------------------------------------------------


def split_header(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """The header is every block above the row of the first figure or subject code."""
    numbers = _column_numbers(blocks)
    anchors = [b for b in blocks if b.is_anchor() and id(b) not in numbers]
    if not anchors:
        return blocks, []
    first = min(anchors, key=lambda b: b.top)
    row_top = first.top
    # the first body row also holds blocks beside the anchor that start higher (a wrapped label)
    for b in blocks:
        if b.top < row_top and b.bottom > first.top + 0.2 * first.size:
            row_top = min(row_top, b.top)
    header = [b for b in blocks if b.bottom <= row_top + 0.1]
    body = [b for b in blocks if b.bottom > row_top + 0.1]
    return header, body


# ---- 3. columns --------------------------------------------------------------------------------


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _merge_spans(spans: list[tuple[float, float]], slack: float = 1.0) -> list[list[float]]:
    merged: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1] + slack:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return merged


def is_group(b: Block, header: list[Block]) -> bool:
    """A header block standing over others: a block below overlaps it, or (set in the upper part of the
    header) one stands below it close beside — a group title centred over the border of its leaves."""
    mid = (min(o.top for o in header) + max(o.bottom for o in header)) / 2
    reach = 1.5 * b.size
    for o in header:
        if o is b or o.top < b.bottom - 0.1:
            continue
        if _overlap(o.x0, o.x1, b.x0, b.x1) > 0:
            return True
        if (b.top + b.bottom) / 2 < mid - 0.5 * b.size and _overlap(o.x0, o.x1, b.x0 - reach, b.x1 + reach) > 0:
            return True
    return False


def header_leaves(header: list[Block]) -> list[Block]:
    """Header blocks with no header block below them: each stands over one column."""
    return [b for b in header if not is_group(b, header)]


def find_columns(header: list[Block], body: list[Block], carried: list[tuple[float, float]] | None = None,
                 vertical_cuts: list[float] | None = None) -> list[tuple[float, float]]:
    """Column extents (x0, x1), left to right, from header leaves and body clusters (or ruled cuts).

    `carried`: the columns of the table this region continues (next page); kept when the region has no
    header or its header leaves stand one to a carried column (a repeated header)."""
    if vertical_cuts and len(vertical_cuts) >= 3:
        return list(zip(vertical_cuts, vertical_cuts[1:]))
    leaves = sorted(header_leaves(header), key=lambda b: b.x0)
    if carried and _fits(leaves, carried):
        return carried
    clusters = _merge_spans([(b.x0, b.x1) for b in body])
    numeric = {i: _mostly_figures([b for b in body if c0 <= b.x0 and b.x1 <= c1]) for i, (c0, c1) in enumerate(clusters)}
    spans: list[list[float]] = [[leaf.x0, leaf.x1] for leaf in leaves]
    owned = [False] * len(spans)
    texty = [False] * len(spans)  # the span holds label text (not figures)
    lonely = []
    for i, (c0, c1) in enumerate(clusters):
        hits = [k for k, s in enumerate(spans) if _overlap(s[0], s[1], c0, c1) > 0]
        if hits:
            k = max(hits, key=lambda k: _overlap(spans[k][0], spans[k][1], c0, c1))
            spans[k][0], spans[k][1] = min(spans[k][0], c0), max(spans[k][1], c1)
            owned[k] = True
            texty[k] = texty[k] or not numeric[i]
        else:
            lonely.append(i)
    for i in lonely:
        # text set left under a centred leaf, figures set right: the free leaf beside them owns them;
        # label text indented otherwise than its column's first labels goes with the labels beside it
        c0, c1 = clusters[i]
        right = [k for k, s in enumerate(spans) if s[0] >= c1]
        left = [k for k, s in enumerate(spans) if s[1] <= c0]
        right.sort(key=lambda k: spans[k][0])
        left.sort(key=lambda k: -spans[k][1])
        free = [k for k in (left[:1] + right[:1] if numeric[i] else right[:1] + left[:1]) if not owned[k]]
        labels = [] if numeric[i] else [k for k in right[:1] + left[:1] if texty[k]]
        between = lambda k: any(o0 < max(spans[k][0], c0) and o1 > min(spans[k][1], c1) for j, (o0, o1)  # noqa: E731
                                in enumerate(clusters) if j != i)
        k = next((k for k in free + labels if not between(k)), None)
        if k is None:
            spans.append([c0, c1])
            owned.append(True)
            texty.append(not numeric[i])
        else:
            spans[k][0], spans[k][1] = min(spans[k][0], c0), max(spans[k][1], c1)
            owned[k] = True
            texty[k] = texty[k] or not numeric[i]
    spans.sort()
    if not spans:
        return []
    cuts = [(a[1] + b[0]) / 2 for a, b in zip(spans, spans[1:])]
    edges = [spans[0][0] - 2] + cuts + [spans[-1][1] + 2]
    return list(zip(edges, edges[1:]))


def _mostly_figures(blocks: list[Block]) -> bool:
    return bool(blocks) and sum(b.is_anchor() for b in blocks) >= len(blocks) / 2


def _fits(leaves: list[Block], columns: list[tuple[float, float]]) -> bool:
    """Each leaf's middle inside its own one of `columns`, one leaf to a column (or no leaves at all)."""
    if leaves and len(leaves) != len(columns):
        return False
    seen = set()
    for leaf in leaves:
        mid = (leaf.x0 + leaf.x1) / 2
        hit = [k for k, (c0, c1) in enumerate(columns) if c0 <= mid <= c1]
        if len(hit) != 1 or hit[0] in seen:
            return False
        seen.add(hit[0])
    return True


def column_of(x0: float, x1: float, columns: list[tuple[float, float]]) -> int:
    best, score = 0, float("-inf")
    for k, (c0, c1) in enumerate(columns):
        s = _overlap(x0, x1, c0, c1)
        if s > score:
            best, score = k, s
    return best


def columns_spanned(b: Block, columns: list[tuple[float, float]]) -> list[int]:
    """The columns a leaf stands over: the one it overlaps most."""
    return [column_of(b.x0, b.x1, columns)]


def group_span(b: Block, header: list[Block], columns: list[tuple[float, float]]) -> list[int]:
    """The columns a group title spans: the run of columns free of blocks at its own height whose
    middle lies nearest the title's middle (a merged cell centres its text)."""
    core = column_of(b.x0, b.x1, columns)
    barrier = set()
    for o in header:
        if o is not b and _overlap(o.top, o.bottom, b.top, b.bottom) > 0:
            barrier.add(column_of(o.x0, o.x1, columns))
    if core in barrier:
        return [core]
    lo = core
    while lo - 1 >= 0 and lo - 1 not in barrier:
        lo -= 1
    hi = core
    while hi + 1 < len(columns) and hi + 1 not in barrier:
        hi += 1
    centre = (b.x0 + b.x1) / 2
    runs = [(abs((columns[a][0] + columns[z][1]) / 2 - centre), a, z)
            for a in range(lo, core + 1) for z in range(core, hi + 1)]
    least = min(r[0] for r in runs)
    # runs centred alike (a title over three equal columns is centred over the middle one too): the widest
    _, a, z = max((r for r in runs if r[0] <= least + max(3.0, 0.5 * b.size)), key=lambda r: r[2] - r[1])
    return list(range(a, z + 1))


# ---- 4. header grid ----------------------------------------------------------------------------


def header_rows(header: list[Block], columns: list[tuple[float, float]]) -> list[list[str]]:
    """Header blocks into the merged-cell grid: a block's row is the count of blocks above it in its columns."""
    if not header:
        return []
    spans = {id(b): group_span(b, header, columns) if is_group(b, header) else columns_spanned(b, columns)
             for b in header}
    level: dict[int, int] = {}
    for b in sorted(header, key=lambda b: b.top):
        above = [o for o in header if id(o) in level and set(spans[id(o)]) & set(spans[id(b)])
                 and o.bottom <= b.top + 0.1]
        level[id(b)] = max((level[id(o)] + 1 for o in above), default=0)
    depth = max(level.values()) + 1
    rows = [[""] * len(columns) for _ in range(depth)]
    for b in sorted(header, key=lambda b: (b.top, b.x0)):
        r, k = level[id(b)], spans[id(b)][0]
        rows[r][k] = (rows[r][k] + b.text) if rows[r][k] else b.text
    return rows


# ---- 5. body rows ------------------------------------------------------------------------------


def body_rows(body: list[Block], columns: list[tuple[float, float]]) -> tuple[list[list[str]], list[list[Box | None]]]:
    """Body blocks grouped into rows by vertical overlap; one string and one box per column.

    Any overlap joins: a figure centred beside a label wrapped at the row pitch overlaps both its lines."""
    groups: list[list[Block]] = []
    bottom = float("-inf")
    for b in sorted(body, key=lambda b: b.top):
        if groups and b.top < bottom - 0.5:
            groups[-1].append(b)
            bottom = max(bottom, b.bottom)
        else:
            groups.append([b])
            bottom = b.bottom
    rows, boxes = [], []
    for group in groups:
        cells = [""] * len(columns)
        cell_boxes: list[Box | None] = [None] * len(columns)
        top, bot = min(b.top for b in group), max(b.bottom for b in group)
        for b in sorted(group, key=lambda b: (column_of(b.x0, b.x1, columns), b.top)):
            k = column_of(b.x0, b.x1, columns)
            cells[k] = (cells[k] + b.text) if cells[k] else b.text
        for k, (c0, c1) in enumerate(columns):
            xs = [w for b in group if column_of(b.x0, b.x1, columns) == k for w in b.words]
            x0 = min([c0] + [w.x0 for w in xs])
            x1 = max([c1] + [w.x1 for w in xs])
            cell_boxes[k] = (round(x0, 2), round(top - 1, 2), round(x1, 2), round(bot + 1, 2))
        rows.append(cells)
        boxes.append(cell_boxes)
    return rows, boxes


# ---- the chain ---------------------------------------------------------------------------------


def read_region(lines: list[Line], rules: Rules, carried: list[tuple[float, float]] | None = None,
                ruled: bool = False) -> WordTable | None:
    """One table region's lines → header and body rows with cell boxes; None when nothing is tabular."""
    if not lines:
        return None
    blocks = cell_blocks(lines, rules, ruled)
    header, body = split_header(blocks)
    top, bottom = min(ln.top for ln in lines), max(ln.bottom for ln in lines)
    cuts = _vertical_cuts(rules, top, bottom)
    columns = find_columns(header, body, carried, cuts)
    if len(columns) < 2:
        return None
    head = header_rows(header, columns)
    rows, boxes = body_rows(body, columns)
    header_boxes: list[list[Box | None]] = [[None] * len(columns) for _ in head]
    return WordTable(rows=head + rows, boxes=header_boxes + boxes, header_count=len(head), columns=columns,
                     top=top, bottom=bottom)


def _vertical_cuts(rules: Rules, top: float, bottom: float) -> list[float]:
    """x positions of vertical rules running through most of the region (a ruled table's column borders)."""
    height = bottom - top
    xs = sorted(x for x, t, b in rules.vertical if _overlap(t, b, top, bottom) > 0.6 * height)
    cuts: list[float] = []
    for x in xs:
        if not cuts or x - cuts[-1] > 2:
            cuts.append(x)
    return cuts
