"""One way to send a stored file: as a download (or inline), never sniffed, and a file
missing from storage is a 404, not a 500. Media played in the page (call recordings) is
sent in byte ranges as browsers ask for them, so a long video can be sought."""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
RANGE_BLOCK = 64 * 1024


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


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single ``Range: bytes=`` request, None for none or one we do
    not serve in part (several ranges: the whole file is sent). ValueError when it cannot
    be satisfied."""
    match = RANGE.match((header or "").strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            raise ValueError("empty suffix range")
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        raise ValueError("range not satisfiable")
    return start, end


def _stream(handle, start: int, length: int):
    try:
        handle.seek(start)
        while length > 0:
            block = handle.read(min(RANGE_BLOCK, length))
            if not block:
                break
            length -= len(block)
            yield block
    finally:
        handle.close()


def ranged_download_response(request, download) -> HttpResponse:
    """``download`` inline, honouring a single byte range (206, or 416 when the range lies
    outside the file); without Range the whole file, as ``download_response``."""
    header = request.headers.get("Range", "")
    field = download.file
    try:
        size = field.size
    except (FileNotFoundError, OSError):
        raise Http404 from None
    try:
        span = requested_range(header, size)
    except ValueError:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if span is None:
        response = download_response(download, inline=True)
        response["Accept-Ranges"] = "bytes"
        return response
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    first, last = span
    response = StreamingHttpResponse(_stream(handle, first, last - first + 1), status=206,
                                     content_type=download.content_type)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    return response
