"""A deterministic force-directed layout (Fruchterman-Reingold) for small graphs, with numpy.

Same nodes and edges, same positions: the start is a circle in node order and there is no
randomness, so the picture does not jump between reruns.
"""

from __future__ import annotations

import numpy as np

ITERATIONS = 300
BULK_RADIUS = 0.85


def layout(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """{node: (x, y)} in [-1, 1]²; nodes with no edge are set on an outer ring, apart."""
    linked = sorted({n for edge in edges for n in edge} & set(nodes), key=nodes.index)
    alone = [n for n in nodes if n not in set(linked)]
    positions = _spring(linked, edges)
    for index, node in enumerate(alone):
        angle = 2 * np.pi * index / max(len(alone), 1)
        positions[node] = (1.15 * float(np.cos(angle)), 1.15 * float(np.sin(angle)))
    return positions


def _spring(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    count = len(nodes)
    if count == 0:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    angles = 2 * np.pi * np.arange(count) / count
    # A spiral start rather than a circle, so that symmetric graphs still unfold.
    radius = 0.3 + 0.7 * np.arange(count) / count
    pos = np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])
    pairs = np.array([(index[a], index[b]) for a, b in edges if a in index and b in index])
    ideal = 4.0 / np.sqrt(count)
    temperature = 0.1
    for _ in range(ITERATIONS):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=2), 1e-3)
        force = (delta / distance[..., None] * (ideal**2 / distance)[..., None]).sum(axis=1)
        if len(pairs):
            pull = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            length = np.maximum(np.linalg.norm(pull, axis=1), 1e-3)
            attraction = pull * (length / ideal)[:, None]
            np.add.at(force, pairs[:, 0], -attraction)
            np.add.at(force, pairs[:, 1], attraction)
        force -= 0.02 * pos  # a weak pull to the centre keeps components together
        step = np.linalg.norm(force, axis=1)
        pos += force / np.maximum(step, 1e-9)[:, None] * np.minimum(step, temperature)[:, None]
        temperature *= 0.985
    pos -= np.median(pos, axis=0)
    # Scale on the bulk of the nodes, not the farthest one, and pull long chains back inside the
    # unit disc, so that a few outliers do not crush the dense core into the centre.
    radius = np.linalg.norm(pos, axis=1)
    pos *= BULK_RADIUS / max(float(np.quantile(radius, 0.9)), 1e-9)
    radius = np.maximum(np.linalg.norm(pos, axis=1), 1e-9)
    squashed = np.where(
        radius > BULK_RADIUS,
        BULK_RADIUS + (1 - BULK_RADIUS) * np.tanh((radius - BULK_RADIUS) / (1 - BULK_RADIUS)),
        radius,
    )
    pos *= (squashed / radius)[:, None]
    return {n: (float(pos[i, 0]), float(pos[i, 1])) for n, i in index.items()}
