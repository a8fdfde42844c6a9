"""What an upload must be: a PDF, PNG or JPEG by its content (not by its name), and not too large."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The first bytes of each accepted type, and the file name endings that may go with it.
SIGNATURES: list[tuple[bytes, str, frozenset[str]]] = [
    (b"%PDF-", "application/pdf", frozenset({".pdf"})),
    (b"\x89PNG\r\n\x1a\n", "image/png", frozenset({".png"})),
    (b"\xff\xd8\xff", "image/jpeg", frozenset({".jpg", ".jpeg"})),
]
SNIFF_BYTES = max(len(magic) for magic, _type, _endings in SIGNATURES)


class UploadRefused(ValueError):
    """A file that Masarat does not keep; the message says why, in the user's language."""


def sniff(head: bytes) -> str | None:
    """The content type the first bytes reveal, or ``None`` for any other content."""
    for magic, content_type, _endings in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def check_upload(*, name: str, head: bytes, size: int) -> str:
    """The content type of an acceptable upload; :class:`UploadRefused` otherwise."""
    limit = settings.MASARAT_DOCUMENT_MAX_BYTES
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    if size > limit:
        raise UploadRefused(_("The file is too large: %(limit)s at most.") % {"limit": filesizeformat(limit)})
    content_type = sniff(head)
    if content_type is None:
        raise UploadRefused(_("Only PDF, PNG and JPEG files can be attached."))
    ending = PurePath(name).suffix.lower()
    if ending not in next(endings for _magic, kind, endings in SIGNATURES if kind == content_type):
        raise UploadRefused(_("The file's name does not match its content: rename it or export it again."))
    return content_type
