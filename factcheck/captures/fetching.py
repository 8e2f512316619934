"""Fetching a cited page for capture, safely.

- only http and https URLs, on their default or an explicit port;
- the host name is resolved once per connection and every address it gives is
  checked: private, loopback, link-local, reserved, multicast, unspecified and
  other non-global addresses are refused. The connection is then made to the
  checked address itself (not to the name again), so a name that resolves to a
  public address for the check and to a private one for the connection (DNS
  rebinding) cannot get through; the connected socket's peer is checked again;
- redirects (at most ``MAX_REDIRECTS``) are followed by hand, each new URL
  checked from the start;
- a timeout on connecting and on each read, and an overall deadline;
- a size cap: the body is read up to ``max_bytes`` and refused beyond.

``settings.CAPTURE_FETCH_ALLOW_LOOPBACK`` (off by default) lets tests fetch from a
server they start on 127.0.0.1; it allows loopback addresses only, nothing else.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 5
USER_AGENT = "factcheck-capture/1 (evidence archive)"


class FetchError(Exception):
    """The page could not be captured; ``gone`` says the page itself is not there."""

    gone = False


class FetchRefused(FetchError):
    """The URL is not one we fetch (scheme, address)."""


class FetchGone(FetchError):
    """The page is not there: 404/410, or its host name does not resolve, or the
    connection is refused."""

    gone = True


@dataclass
class Fetched:
    url: str
    final_url: str
    status: int
    content_type: str
    payload: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


def _limits():
    return (
        getattr(settings, "CAPTURE_FETCH_TIMEOUT", 20),
        getattr(settings, "CAPTURE_MAX_BYTES", 20 * 1024 * 1024),
        getattr(settings, "CAPTURE_FETCH_ALLOW_LOOPBACK", False),
    )


def check_address(address: str, *, allow_loopback: bool) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if allow_loopback and ip.is_loopback:
        return
    if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_loopback:
        raise FetchRefused(
            f"Refused: {address} is not a public Internet address (private, loopback, "
            "link-local, reserved or multicast)."
        )


def _safe_connection(host, port, timeout, allow_loopback):
    """A socket connected to a checked address of ``host``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchGone(f"The host name {host} does not resolve: {error}") from error
    for *_, sockaddr in infos:
        check_address(sockaddr[0], allow_loopback=allow_loopback)  # every address, before any
    last_error = None
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(sockaddr)
            check_address(sock.getpeername()[0], allow_loopback=allow_loopback)
            return sock
        except OSError as error:
            sock.close()
            last_error = error
        except BaseException:
            sock.close()
            raise
    if isinstance(last_error, ConnectionRefusedError):
        raise FetchGone(f"{host} refused the connection.") from last_error
    if isinstance(last_error, TimeoutError):
        raise FetchError(f"Timed out connecting to {host}.") from last_error
    raise FetchGone(f"Could not connect to {host}: {last_error}") from last_error


def _connection_class(base, allow_loopback):
    class SafeConnection(base):
        def connect(self):
            # http.client connects through self._create_connection; HTTPS wraps
            # the socket after, with the host name for SNI and certificate checks.
            self._create_connection = lambda address, timeout, source=None: _safe_connection(
                address[0], address[1], timeout, allow_loopback
            )
            super().connect()

    return SafeConnection


def fetch(url: str) -> Fetched:
    """GET ``url``; raise ``FetchError`` (or its kinds) with a clear message."""
    timeout, max_bytes, allow_loopback = _limits()
    deadline = time.monotonic() + timeout * 3
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        status, headers, body = _get(current, timeout, max_bytes, allow_loopback, deadline)
        if status in (301, 302, 303, 307, 308):
            location = dict((k.lower(), v) for k, v in headers).get("location")
            if not location:
                raise FetchError(f"{current} redirects ({status}) without saying where.")
            current = urljoin(current, location)
            continue
        if status in (404, 410):
            raise FetchGone(f"{current} answered {status}: the page is gone.")
        if status >= 400:
            raise FetchError(f"{current} answered {status}.")
        content_type = dict((k.lower(), v) for k, v in headers).get("content-type", "")
        return Fetched(url, current, status, content_type, body, headers)
    raise FetchError(f"More than {MAX_REDIRECTS} redirects from {url}.")


def _get(url, timeout, max_bytes, allow_loopback, deadline):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"Refused: only http and https URLs are fetched, not {url!r}.")
    if not parts.hostname:
        raise FetchRefused(f"Refused: {url!r} names no host.")
    if parts.username or parts.password:
        raise FetchRefused("Refused: URLs with a user name or password are not fetched.")
    try:
        port = parts.port
    except ValueError as error:
        raise FetchRefused(f"Refused: {url!r} has an invalid port.") from error
    port = port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname  # an IPv6 address without its brackets: the port is explicit
    if parts.scheme == "https":
        base = _connection_class(http.client.HTTPSConnection, allow_loopback)
        connection = base(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        base = _connection_class(http.client.HTTPConnection, allow_loopback)
        connection = base(host, port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "GET",
            path,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity", "Accept": "*/*"},
        )
        response = connection.getresponse()
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(_too_large(max_bytes))
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                raise FetchError(f"Timed out reading {url}.")
            chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(_too_large(max_bytes))
            chunks.append(chunk)
        return response.status, response.getheaders(), b"".join(chunks)
    except TimeoutError as error:
        raise FetchError(f"Timed out fetching {url} (after {timeout} s).") from error
    except ssl.SSLError as error:
        raise FetchError(f"TLS error fetching {url}: {error}") from error
    except (http.client.HTTPException, ConnectionError) as error:
        raise FetchError(f"The server of {url} broke off: {error}") from error
    finally:
        connection.close()


def _too_large(max_bytes):
    return f"Refused: the page is larger than the capture size cap of {max_bytes:,} bytes."
