"""Product photos: decoded, checked, re-encoded and resized here, never stored as uploaded.

- The file is decoded by Pillow: its name and content type are ignored, and only JPEG, PNG
  and WebP are accepted (what phones send).
- At most `PHOTO_MAX_BYTES` (5 MB). The pixel count is read from the header before anything
  is decoded: above `JPEG_MAX_PIXELS` (JPEG) or `OTHER_MAX_PIXELS` (PNG, WebP) the file is
  refused as too large, and Pillow's own decompression-bomb guard (Image.MAX_IMAGE_PIXELS)
  is turned into the same refusal.
- Memory stays bounded: a JPEG is decoded at a reduced scale (`Image.draft`, libjpeg's DCT
  scaling: an 8000 × 8000 photo is decoded as 1000 × 1000), other formats are only accepted
  up to a size whose decoded bitmap is small (25 Mpx RGBA ≈ 100 MB); `benchmarks/photo_memory.py`
  prints the peak RSS.
- The camera's orientation is applied, then the image is re-encoded as JPEG without any
  metadata (EXIF, GPS, XMP, ICC are not copied), as a display image (at most DISPLAY_SIZE on
  its longer side) and a thumbnail (THUMB_SIZE).
- A truncated ("half") file does not decode and is refused.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_BYTES = 5 * 1024 * 1024
# The decoders tried (the JPEG one also opens MPO, the multi-picture JPEG some phones write).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_MAX_PIXELS = 80_000_000  # under Pillow's MAX_IMAGE_PIXELS; decoded at up to 1/8 scale
OTHER_MAX_PIXELS = 25_000_000  # decoded whole: ≤ 100 MB as RGBA
MIN_SIDE = 200
DISPLAY_SIZE = 1200
THUMB_SIZE = 400
JPEG_QUALITY = 82

TOO_BIG_MESSAGE = _("The photo is larger than 5 MB. Choose a smaller one.")
NOT_AN_IMAGE_MESSAGE = _("This file is not a photo we can read. Upload a JPEG, PNG or WebP image.")
TOO_MANY_PIXELS_MESSAGE = _(
    "This image has too many pixels (%(width)s × %(height)s) to be processed. Upload a photo of at most 20 megapixels."
)
TOO_SMALL_MESSAGE = _("The photo is too small: at least %(min)s × %(min)s pixels.")
BROKEN_MESSAGE = _("The photo could not be read completely (the file may be truncated). Upload it again.")


@dataclass(frozen=True)
class ProcessedPhoto:
    display: bytes
    thumbnail: bytes
    width: int
    height: int
    thumb_width: int
    thumb_height: int


def _refuse(message, code: str, params: dict | None = None):
    raise ValidationError(message, code=code, params=params)


def photo_process(file) -> ProcessedPhoto:
    """Decode an uploaded file (a Django UploadedFile or any binary file object) into the
    display image and thumbnail the portal stores, or raise ValidationError."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    if size > PHOTO_MAX_BYTES:
        _refuse(TOO_BIG_MESSAGE, "too_big")
    if size == 0:
        _refuse(NOT_AN_IMAGE_MESSAGE, "not_an_image")
    file.seek(0)
    with warnings.catch_warnings():
        # Pillow warns past MAX_IMAGE_PIXELS and raises past twice that: both are refusals.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(file, formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(TOO_MANY_PIXELS_MESSAGE, "too_many_pixels", {"width": "?", "height": "?"})
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            _refuse(NOT_AN_IMAGE_MESSAGE, "not_an_image")
        with image:
            return _process_open(image)


def _process_open(image: Image.Image) -> ProcessedPhoto:
    width, height = image.size
    limit = JPEG_MAX_PIXELS if image.format in ("JPEG", "MPO") else OTHER_MAX_PIXELS
    if width * height > limit:
        _refuse(TOO_MANY_PIXELS_MESSAGE, "too_many_pixels", {"width": width, "height": height})
    if min(width, height) < MIN_SIDE:
        _refuse(TOO_SMALL_MESSAGE, "too_small", {"min": MIN_SIDE})
    try:
        if image.format in ("JPEG", "MPO"):
            # Decode at the smallest DCT scale that still covers the display size.
            image.draft("RGB", (DISPLAY_SIZE, DISPLAY_SIZE))
        image.load()
        oriented = ImageOps.exif_transpose(image)
        rgb = _flatten(oriented)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(TOO_MANY_PIXELS_MESSAGE, "too_many_pixels", {"width": width, "height": height})
    except (OSError, ValueError, SyntaxError, EOFError):
        _refuse(BROKEN_MESSAGE, "broken")
    rgb.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE), Image.Resampling.LANCZOS)
    display = _encode(rgb)
    thumb = rgb.copy()
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)
    return ProcessedPhoto(
        display=display,
        thumbnail=_encode(thumb),
        width=rgb.width,
        height=rgb.height,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
    )


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # No exif=, icc_profile= or xmp=: nothing of the upload's metadata is written.
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
