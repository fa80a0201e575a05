"""Where the nodes of a Sankey diagram go: one column per node type, each node given room in
proportion to its flow but never less than a label needs (no Streamlit, no data access)."""

from __future__ import annotations

from dataclasses import dataclass

MIN_GAP = 0.05  # least vertical room per node label, as a share of the plot height


@dataclass(frozen=True)
class Layout:
    """Which column each node type sits in, and where a column's first node starts (a share of
    the plot height from the top; 0.01 unless said otherwise)."""

    columns: dict[str, int]
    tops: dict[str, float]


def positions(nodes: list[tuple[str, str]], values: list[float], layout: Layout):
    """x by column; y stacks each column's nodes, each given its share of the largest column's
    total or at least MIN_GAP, so that the labels of small flows do not overlap."""
    columns = sorted({layout.columns[n[0]] for n in nodes})
    members = {c: [i for i, n in enumerate(nodes) if layout.columns[n[0]] == c] for c in columns}
    tops = {layout.columns[kind]: top for kind, top in layout.tops.items()}
    scale_total = max(sum(values[i] for i in m) for m in members.values()) or 1
    y_by_node = {}
    for column, indices in members.items():
        top = tops.get(column, 0.01)
        room = heights([values[i] / scale_total * 0.85 for i in indices], 0.99 - top)
        for i, height in zip(indices, room, strict=True):
            y_by_node[i] = top + height / 2
            top += height
    last = max(layout.columns.values())
    xs = [0.001 + 0.998 * layout.columns[node[0]] / last for node in nodes]
    return xs, [y_by_node[i] for i in range(len(nodes))]


def heights(shares: list[float], room: float) -> list[float]:
    """Each node's share of the height, at least MIN_GAP, the whole fitting in `room`: when the
    column is too tall, the nodes above MIN_GAP shrink and the small ones keep MIN_GAP."""
    floored = [max(share, MIN_GAP) for share in shares]
    if sum(floored) <= room:
        return floored
    small = {i for i, share in enumerate(shares) if share <= MIN_GAP}
    while True:
        large = [i for i in range(len(shares)) if i not in small]
        large_total = sum(shares[i] for i in large)
        scale = max(room - MIN_GAP * len(small), 0) / large_total if large_total else 0
        newly_small = {i for i in large if shares[i] * scale < MIN_GAP}
        if not newly_small:
            break
        small |= newly_small
    return [MIN_GAP if i in small else share * scale for i, share in enumerate(shares)]
