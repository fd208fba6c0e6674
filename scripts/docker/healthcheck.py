#!/usr/bin/env python
"""Container healthcheck for the web role: GET /healthz (database ping) from daphne on :8000.

The request carries the first host of DJANGO_ALLOWED_HOSTS and ``X-Forwarded-Proto:
https`` (as the reverse proxy sends it), so Django neither refuses the host nor
redirects to HTTPS. Healthy means HTTP 200. Standard library only; exits 0 or 1.
"""

import http.client
import os
import sys

PATH = "/healthz"


def host_header() -> str:
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    conn = http.client.HTTPConnection("127.0.0.1", 8000, timeout=5)
    try:
        conn.request("GET", PATH, headers={"Host": host_header(),
                                           "X-Forwarded-Proto": "https",
                                           "User-Agent": "oneseal-healthcheck"})
        status = conn.getresponse().status
    except OSError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    if status != 200:
        print(f"unhealthy: GET {PATH} answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
