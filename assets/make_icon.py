#!/usr/bin/env python3
"""Draws assets/moonbox.png (64x64): a computer screen with a crescent moon
and a prompt, in CC's palette. Pure Python (zlib), no image library needed.

Usage: python3 assets/make_icon.py
"""
import struct
import zlib

W = H = 64
BLACK, GRAY, WHITE, YELLOW, LIGHTBLUE = (0x11, 0x11, 0x11), (0x4C, 0x4C, 0x4C), (0xF0, 0xF0, 0xF0), (0xDE, 0xDE, 0x6C), (0x99, 0xB2, 0xF2)


def pixel(x, y):
    # the case of the computer
    if x < 4 or x >= 60 or y < 4 or y >= 60:
        return None
    if x < 8 or x >= 56 or y < 8 or y >= 52:
        return GRAY
    # the moon: a disc minus an offset disc
    dx, dy = x - 38, y - 24
    ex, ey = x - 44, y - 20
    if dx * dx + dy * dy <= 100 and not ex * ex + ey * ey <= 81:
        return YELLOW
    # the prompt "> _"
    if 38 <= y <= 46 and x == 16 - abs(y - 42):
        return WHITE
    if y == 46 and 22 <= x <= 28:
        return LIGHTBLUE
    return BLACK


def main():
    rows = b""
    for y in range(H):
        row = b"\x00"
        for x in range(W):
            p = pixel(x, y)
            row += bytes(p + (255,)) if p else b"\x00\x00\x00\x00"
        rows += row

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    open("moonbox.png", "wb").write(png)


if __name__ == "__main__":
    main()
