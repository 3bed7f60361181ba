"""The message proxy's URLs: `rerun+http://HOST:PORT/proxy`, and the older `HOST:PORT` addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import RerenderError

DEFAULT_PORT = 9876
DEFAULT_URL = f"rerun+http://127.0.0.1:{DEFAULT_PORT}/proxy"

_URL = re.compile(
    r"^(?:(?P<scheme>[a-z+]+)://)?(?P<host>\[[^\]]+\]|[^:/\[\]]+)(?::(?P<port>\d+))?(?P<path>/.*)?$"
)


class UrlError(RerenderError):
    """A proxy URL or address that cannot be used."""


@dataclass(frozen=True)
class ProxyAddress:
    """Where a message proxy listens."""

    host: str
    port: int

    @property
    def target(self) -> str:
        """The `host:port` form gRPC channels take."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The URL SDKs connect to."""
        return f"rerun+http://{self.host}:{self.port}/proxy"


def parse_proxy_url(url: str | None) -> ProxyAddress:
    """`rerun+http://HOST:PORT/proxy`, `http://HOST:PORT` or `HOST:PORT` (rr.connect_tcp's form);
    None means the default, 127.0.0.1:9876."""
    match = _URL.match((url or DEFAULT_URL).strip())
    scheme = match and match["scheme"]
    if match is None or scheme not in (None, "rerun+http", "rerun", "http"):
        raise UrlError(
            f"{url!r}: not a message proxy address; expected rerun+http://HOST:PORT/proxy "
            f"(e.g. {DEFAULT_URL}) or HOST:PORT. TLS (rerun+https) is not supported."
        )
    port = int(match["port"]) if match["port"] else DEFAULT_PORT
    if not 0 < port < 65536:
        raise UrlError(f"{url!r}: port {port} is out of range; expected 1-65535")
    return ProxyAddress(match["host"], port)
