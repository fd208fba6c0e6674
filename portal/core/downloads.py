"""One way to send a stored file: as a download (or inline), never sniffed, and a file
missing from storage is a 404, not a 500."""

from __future__ import annotations

from django.http import FileResponse, Http404


def file_response(field, filename: str, content_type: str | None = None, *,
                  inline: bool = False) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, filename=filename,
                            **({"content_type": content_type} if content_type else {}))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_response(download, *, inline: bool = False) -> FileResponse:
    """A ``approvals.services.downloads.Download`` as a response."""
    return file_response(download.file, download.filename, download.content_type,
                         inline=inline)
