"""Draw the Teams app icons (pure Python, no imaging library): ``python deploy/teams/make_icons.py``.

* ``color.png``   192x192: white "tuning sliders" on the accent colour, full bleed; the symbol
  stays inside the central 96x96 safe area as Teams asks.
* ``outline.png`` 32x32: the same symbol in white on a transparent background.

The output is deterministic, so re-running it leaves the committed files unchanged.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACCENT = (0x4B, 0x53, 0xBC)  # keep equal to accentColor in manifest.template.json
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # supersampling per axis, for anti-aliased edges

# The symbol in unit coordinates: three slider tracks with knobs at different heights.
_TRACKS = (0.2, 0.5, 0.8)
_KNOBS = ((0.2, 0.64), (0.5, 0.3), (0.8, 0.54))
_TRACK_HALF_WIDTH, _TRACK_TOP, _TRACK_BOTTOM, _KNOB_RADIUS = 0.045, 0.1, 0.9, 0.13


def symbol(x: float, y: float) -> bool:
    """Whether the unit-square point (x, y) lies on the symbol."""
    for kx, ky in _KNOBS:
        if (x - kx) ** 2 + (y - ky) ** 2 <= _KNOB_RADIUS**2:
            return True
    for tx in _TRACKS:
        if abs(x - tx) <= _TRACK_HALF_WIDTH:
            if _TRACK_TOP <= y <= _TRACK_BOTTOM:
                return True
            for end in (_TRACK_TOP, _TRACK_BOTTOM):  # rounded track ends
                if (x - tx) ** 2 + (y - end) ** 2 <= _TRACK_HALF_WIDTH**2:
                    return True
    return False


def coverage(size: int, inset: float, inside: Callable[[float, float], bool]) -> list[list[float]]:
    """Per-pixel fraction covered by the symbol drawn in the square [inset, size - inset]."""
    span = size - 2 * inset
    grid: list[list[float]] = []
    for py in range(size):
        row = []
        for px in range(size):
            hits = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES - inset) / span
                    y = (py + (sy + 0.5) / SAMPLES - inset) / span
                    hits += 0 <= x <= 1 and 0 <= y <= 1 and inside(x, y)
            row.append(hits / SAMPLES**2)
        grid.append(row)
    return grid


def png(width: int, height: int, rgba_rows: list[bytes]) -> bytes:
    """A minimal 8-bit RGBA PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rgba_rows)  # filter type 0 per scanline
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def color_icon(size: int = 192) -> bytes:
    cover = coverage(size, inset=size / 4, inside=symbol)  # symbol in the central half (96x96)
    rows = []
    for line in cover:
        row = bytearray()
        for c in line:
            rgb = tuple(round(a * (1 - c) + w * c) for a, w in zip(ACCENT, WHITE))
            row += bytes((*rgb, 255))
        rows.append(bytes(row))
    return png(size, size, rows)


def outline_icon(size: int = 32) -> bytes:
    cover = coverage(size, inset=1, inside=symbol)
    rows = [b"".join(bytes((*WHITE, round(255 * c))) for c in line) for line in cover]
    return png(size, size, rows)


def main() -> None:
    (HERE / "color.png").write_bytes(color_icon())
    (HERE / "outline.png").write_bytes(outline_icon())


if __name__ == "__main__":
    main()
