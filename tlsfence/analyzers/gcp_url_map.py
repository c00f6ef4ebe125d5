"""Google Cloud URL maps: does a map behind a target HTTP proxy only redirect to HTTPS?

A target HTTP proxy serves plaintext unless every request its URL map can match is answered with a redirect
whose ``httpsRedirect`` is true. The map's default (``defaultService`` / ``defaultRouteAction`` /
``defaultUrlRedirect``) and every path matcher (its default, ``pathRules`` and ``routeRules``) are routes; one
route to a backend (a ``service`` or ``routeAction``) or one redirect without ``httpsRedirect: true`` makes the
proxy plaintext. Host rules only pick a path matcher, so checking every path matcher covers them. Sources:
https://cloud.google.com/load-balancing/docs/url-map-concepts
https://cloud.google.com/load-balancing/docs/https/setting-up-http-https-redirect
https://cloud.google.com/compute/docs/reference/rest/v1/urlMaps
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tlsfence.resources import Resource, contains_unknown, is_unknown

BACKEND_KEYS = ("service", "routeAction")
DEFAULT_BACKEND_KEYS = ("defaultService", "defaultRouteAction")


@dataclass(frozen=True)
class RouteCheck:
    """What a URL map does with plaintext requests.

    Attributes:
        outcome: ``redirects`` (every route redirects to HTTPS), ``serves`` (some route reaches a backend or
            redirects without HTTPS) or ``unknown`` (a deciding value is unknown or not understood).
        path: the property path that decided (``defaultUrlRedirect.httpsRedirect``, ``pathMatchers[0].defaultService``).
        why: the reason, for the message.
        shown: the deciding value as the setting shows it (``true``, ``absent``, a backend's name).
    """

    outcome: str
    path: str
    why: str
    shown: str | None = None


def _redirect(value: Any, path: str) -> RouteCheck | None:
    """A redirect object: None when it redirects to HTTPS, else why not."""
    if contains_unknown(value):
        return RouteCheck("unknown", path, f"{path} (unknown until deployed)")
    if not isinstance(value, Mapping):
        return RouteCheck("unknown", path, f"{path} (not an object: {type(value).__name__})")
    https = value.get("httpsRedirect")
    if https is True:
        return None
    if https is None or https is False:
        return RouteCheck("serves", f"{path}.httpsRedirect", f"{path} redirects without httpsRedirect: true (to "
                          "plaintext HTTP)", "absent" if https is None else "false")
    return RouteCheck("unknown", f"{path}.httpsRedirect",
                      f"{path}.httpsRedirect={value.get('httpsRedirect')!r} (not a boolean)")


def _route(node: Mapping[str, Any], path: str, backend_keys: tuple[str, ...], redirect_key: str,
           required: bool) -> RouteCheck | None:
    """One route (the map's default, a path matcher's default, a path or route rule)."""
    for key in backend_keys:
        value = node.get(key)
        if is_unknown(value):
            return RouteCheck("unknown", f"{path}{key}", f"{path}{key} (unknown until deployed)")
        if value is not None and value != "":
            shown = value if isinstance(value, str) else "set"
            return RouteCheck("serves", f"{path}{key}", f"{path}{key} routes plaintext HTTP to a backend", shown)
    redirect = node.get(redirect_key)
    if redirect is None:
        if required:
            return RouteCheck("serves", f"{path}{redirect_key}", f"{path}{redirect_key} is absent (no redirect to "
                                                                  "HTTPS)", "absent")
        return None
    return _redirect(redirect, f"{path}{redirect_key}")


def _items(value: Any, path: str) -> Iterator[tuple[int, Mapping[str, Any]] | RouteCheck]:
    if value is None:
        return
    if is_unknown(value):
        yield RouteCheck("unknown", path, f"{path} (unknown until deployed)")
        return
    if not isinstance(value, (list, tuple)):
        yield RouteCheck("unknown", path, f"{path} (not a list: {type(value).__name__})")
        return
    for i, item in enumerate(value):
        if is_unknown(item) or not isinstance(item, Mapping):
            yield RouteCheck("unknown", f"{path}[{i}]", f"{path}[{i}] (unknown or not an object)")
            return
        yield i, item


def check_url_map(url_map: Resource) -> RouteCheck:
    """Whether every route of ``url_map`` redirects plaintext requests to HTTPS (first problem found wins)."""
    props = url_map.props
    found = _route(props, "", DEFAULT_BACKEND_KEYS, "defaultUrlRedirect", required=True)
    if found is not None:
        return found
    for item in _items(props.get("pathMatchers"), "pathMatchers"):
        if isinstance(item, RouteCheck):
            return item
        i, matcher = item
        prefix = f"pathMatchers[{i}]."
        found = _route(matcher, prefix, DEFAULT_BACKEND_KEYS, "defaultUrlRedirect", required=False)
        if found is not None:
            return found
        for rules in ("pathRules", "routeRules"):
            for rule in _items(matcher.get(rules), f"{prefix}{rules}"):
                if isinstance(rule, RouteCheck):
                    return rule
                j, body = rule
                found = _route(body, f"{prefix}{rules}[{j}].", BACKEND_KEYS, "urlRedirect", required=True)
                if found is not None:
                    return found
    return RouteCheck("redirects", "defaultUrlRedirect.httpsRedirect", "every route redirects to HTTPS", "true")
