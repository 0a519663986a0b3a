import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from marketing.photos import DISPLAY_SIZE, PHOTO_MAX_BYTES, THUMB_SIZE, photo_process
from marketing.tests.factories import image_bytes, upload


def codes_of(data: bytes, name="x.jpg") -> str:
    with pytest.raises(ValidationError) as caught:
        photo_process(upload(data, name=name))
    return caught.value.code


def test_a_jpeg_is_resized_to_the_display_size_and_a_thumbnail():
    photo = photo_process(upload(image_bytes((3000, 2000))))
    assert (photo.width, photo.height) == (DISPLAY_SIZE, 800)
    assert max(photo.thumb_width, photo.thumb_height) == THUMB_SIZE
    assert Image.open(io.BytesIO(photo.display)).format == "JPEG"
    assert Image.open(io.BytesIO(photo.thumbnail)).size == (photo.thumb_width, photo.thumb_height)


def test_exif_and_gps_are_not_kept():
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 30.0)}  # GPS IFD
    data = image_bytes((1000, 800), exif=exif.tobytes())
    assert b"CameraMaker" in data
    photo = photo_process(upload(data))
    for out in (photo.display, photo.thumbnail):
        assert b"CameraMaker" not in out
        assert b"Exif" not in out
        assert not Image.open(io.BytesIO(out)).getexif()


def test_the_camera_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    photo = photo_process(upload(image_bytes((1000, 500), exif=exif.tobytes())))
    assert photo.width < photo.height


def test_a_png_with_transparency_becomes_an_rgb_jpeg():
    photo = photo_process(upload(image_bytes((600, 600), fmt="PNG", mode="RGBA", color=(0, 0, 0, 0)), name="a.png"))
    image = Image.open(io.BytesIO(photo.display))
    assert image.mode == "RGB"
    assert image.getpixel((10, 10)) == (255, 255, 255)


def test_a_text_file_named_jpg_is_refused():
    assert codes_of(b"<?php system($_GET['c']); ?>" * 50, name="photo.jpg") == "not_an_image"


def test_an_html_file_sent_as_image_jpeg_is_refused():
    assert codes_of(b"<html><script>alert(1)</script></html>") == "not_an_image"


def test_a_gif_or_bmp_is_refused_even_though_pillow_reads_it():
    assert codes_of(image_bytes((400, 400), fmt="GIF", mode="P", color=1), name="a.gif") == "not_an_image"
    assert codes_of(image_bytes((400, 400), fmt="BMP"), name="a.bmp") == "not_an_image"


def test_a_truncated_jpeg_is_refused():
    data = image_bytes((1600, 1200), fmt="JPEG", quality=95)
    assert codes_of(data[: len(data) // 2]) == "broken"


def test_an_empty_file_is_refused():
    assert codes_of(b"") == "not_an_image"


def test_a_file_over_5_mb_is_refused_before_decoding():
    assert codes_of(b"\xff\xd8" + b"0" * PHOTO_MAX_BYTES) == "too_big"


def test_a_tiny_image_is_refused():
    assert codes_of(image_bytes((50, 50))) == "too_small"


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions: signature, IHDR, and a little compressed data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + data


def test_a_decompression_bomb_is_refused_with_a_clear_message():
    from django.utils import translation

    with pytest.raises(ValidationError) as caught, translation.override("en"):
        photo_process(upload(_png_header_only(30_000, 30_000), name="bomb.png"))
    assert caught.value.code == "too_many_pixels"
    with translation.override("en"):
        assert "too many pixels" in caught.value.messages[0]


def test_a_png_of_8000_by_8000_is_refused_before_decoding():
    assert codes_of(_png_header_only(8000, 8000), name="big.png") == "too_many_pixels"


def test_a_jpeg_of_8000_by_8000_is_handled_at_reduced_scale():
    data = image_bytes((8000, 8000), quality=30)
    assert len(data) < PHOTO_MAX_BYTES
    photo = photo_process(upload(data))
    assert (photo.width, photo.height) == (DISPLAY_SIZE, DISPLAY_SIZE)
