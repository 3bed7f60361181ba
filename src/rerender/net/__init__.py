"""Live streams over Rerun 0.41's gRPC message proxy (`rerun+http://HOST:PORT/proxy`).

`server` accepts SDK streams (rerender's or rerun-sdk's) and writes each recording to an .rrd file as it
arrives; `client` streams a recording's messages to such a server from a background thread. Needs the
`net` extra (grpcio, protobuf); nothing here is imported until a live call is made.
"""

from .urls import DEFAULT_PORT, DEFAULT_URL, ProxyAddress, UrlError, parse_proxy_url

__all__ = ["DEFAULT_PORT", "DEFAULT_URL", "ProxyAddress", "UrlError", "parse_proxy_url"]
