#!/usr/bin/env python3
"""Writes examples/chunking-handbook.pdf: a small two-page PDF with a text layer.

The project generates its own sample PDF (rather than shipping a third-party
one) with nothing but the standard library: Helvetica text objects, one page
per list below, and a correct cross-reference table.
"""
import sys

PAGES = [
    [
        ("F2", 20, "Chunking Handbook"),
        ("F2", 14, "1. Why chunk at all"),
        ("F1", 11, "Language models read a limited number of tokens at a time, and retrieval"),
        ("F1", 11, "works best when each indexed passage is about one thing. Smelter therefore"),
        ("F1", 11, "splits every document into chunks of at most 512 tokens."),
        ("F2", 14, "2. Structure first"),
        ("F1", 11, "Chunks are cut at headings first, then between paragraphs, then between"),
        ("F1", 11, "sentences. Each chunk remembers its heading path and its page range, so a"),
        ("F1", 11, "search result can say where in the source it came from."),
    ],
    [
        ("F2", 14, "3. Overlap"),
        ("F1", 11, "Consecutive chunks share about 64 tokens, so that a sentence near a"),
        ("F1", 11, "boundary is still found whole in one of them."),
        ("F2", 14, "4. Tables"),
        ("F1", 11, "A table is never cut inside a row. A long table is split between rows,"),
        ("F1", 11, "and every part keeps the table's header row."),
    ],
]


def escape(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def content_stream(lines):
    out = ["BT"]
    y = 760
    for font, size, text in lines:
        y -= size + (14 if size > 11 else 6)
        out.append(f"/{font} {size} Tf 1 0 0 1 72 {y} Tm ({escape(text)}) Tj")
    out.append("ET")
    return "\n".join(out).encode("latin-1")


def build():
    objects = []  # index i holds object number i+1

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages = add(None)
    f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    f2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>")
    kids = []
    for lines in PAGES:
        stream = content_stream(lines)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(
            f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {f1} 0 R /F2 {f2} 0 R >> >> "
            f"/Contents {content} 0 R >>".encode()))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages} 0 R >>".encode()
    objects[pages - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                          f"/Count {len(kids)} >>").encode()
    info = add(b"<< /Title (Chunking Handbook) /Author (Smelter authors) >>")

    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        pdf += b"%010d 00000 n \n" % off
    pdf += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, catalog, info, xref))
    return bytes(pdf)


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "examples/chunking-handbook.pdf"
    with open(path, "wb") as f:
        f.write(build())
