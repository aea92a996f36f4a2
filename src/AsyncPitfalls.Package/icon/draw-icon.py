#!/usr/bin/env python3
"""Draws the package icon (icon.png, 128x128): the spinner's four frames | / - \\ around a dot, on a dark square.
Run it from this folder; it needs only the standard library. The PNG is committed, so the build does not run it."""
import math, struct, zlib

SIZE = 128
BACKGROUND = (32, 42, 68)
STROKE = (255, 196, 61)
DOT = (240, 244, 250)

def pixel_color(x, y):
    cx = cy = (SIZE - 1) / 2
    dx, dy = x - cx, y - cy
    r = math.hypot(dx, dy)
    # Rounded-square background with transparent corners.
    corner = 22
    qx, qy = max(abs(dx) - (cx - corner), 0), max(abs(dy) - (cy - corner), 0)
    if math.hypot(qx, qy) > corner:
        return (0, 0, 0, 0)
    if r < 9:
        return DOT + (255,)
    # Four bars at 0, 45, 90 and 135 degrees: the frames of the spinner, drawn at once.
    for i, angle in enumerate((90, 45, 0, 135)):
        a = math.radians(angle)
        ux, uy = math.cos(a), -math.sin(a)
        along = dx * ux + dy * uy
        across = abs(-dx * uy + dy * ux)
        if 22 <= abs(along) <= 50 and across <= 5.5:
            fade = 255 - i * 45
            return STROKE + (fade,)
    return BACKGROUND + (255,)

rows = b"".join(b"\x00" + bytes(c for x in range(SIZE) for c in pixel_color(x, y)) for y in range(SIZE))

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
with open("icon.png", "wb") as f:
    f.write(png)
