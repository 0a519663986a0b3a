#!/usr/bin/env python
"""Peak memory of processing one product photo (budget: a 5 MB, 8,000 × 8,000 upload handled
or refused without exceeding ~300 MB RSS).

    python benchmarks/photo_memory.py

The files are built by this process and written to a temporary folder; each case then runs
in a fresh child process (Django set up, the file read from disk as an upload is), which
prints its peak RSS (ru_maxrss) before and after `marketing.photos.photo_process`.
"""

import io
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ["jpeg-8000", "jpeg-6000", "jpeg-4000", "png-8000", "png-4000", "bomb-png-30000"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(case: str) -> bytes:
    from PIL import Image

    if case.startswith("bomb"):
        import struct
        import zlib

        def chunk(kind, body):
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

        ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 10**6))
            + chunk(b"IEND", b"")
        )
    kind, size = case.split("-")[:2]
    side = int(size)
    # Noise-like content so the JPEG is several MB, as a phone photo is.
    image = Image.effect_noise((side // 24, side // 24), 60).convert("RGB").resize((side, side), Image.BICUBIC)
    buffer = io.BytesIO()
    if kind == "jpeg":
        image.save(buffer, format="JPEG", quality=70)
    else:
        image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def child(case: str, path: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jakpreneur.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.core.exceptions import ValidationError

    from marketing.photos import photo_process

    before = rss_mb()
    size = os.path.getsize(path)
    started = time.perf_counter()
    try:
        with open(path, "rb") as upload:
            photo = photo_process(upload)
        outcome = f"handled → {photo.width}×{photo.height}, {len(photo.display) // 1024} KB"
    except ValidationError as error:
        outcome = f"refused ({error.code})"
    elapsed = time.perf_counter() - started
    print(
        f"{case:18s} {size / 2**20:6.1f} MB file  peak RSS {before:6.0f} → {rss_mb():6.0f} MB  "
        f"{elapsed * 1000:6.0f} ms  {outcome}"
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--build":
        with open(sys.argv[3], "wb") as out:
            out.write(build(sys.argv[2]))
        return
    import tempfile

    # Linux keeps ru_maxrss across exec: the files are built in their own processes, so that
    # each measuring child starts from this small parent's peak, not from a builder's.
    print("case               upload       peak RSS of the child: after Django set-up → after processing")
    with tempfile.TemporaryDirectory() as folder:
        for case in CASES:
            path = os.path.join(folder, case)
            subprocess.run([sys.executable, __file__, "--build", case, path], check=True)
            subprocess.run([sys.executable, __file__, "--child", case, path], check=True)


if __name__ == "__main__":
    main()
