"""What a site's robots.txt lets the fetcher request, read as RFC 9309 says.

Pure functions over what the fetch of `<origin>/robots.txt` gave: the file's text (2xx), or why
there is none. The rules are read by protego (Scrapy's robots.txt parser), which follows RFC 9309:

- the group naming our product token applies (groups naming it more than once are combined), else
  the `*` group;
- `*` in a path matches any run of characters and a final `$` anchors the end (§2.2.3);
- the most specific rule wins, the one whose path has the most octets, `Allow` on a tie (§2.2.2);
  paths are compared percent-encoded, so `/a%3cd` and `/a<d` are one path; `/robots.txt` itself is
  always allowed;
- robots.txt "unavailable" (HTTP 400–499, or more redirects than followed): everything is allowed;
- robots.txt "unreachable" (HTTP 5xx, 429, a timeout or a connection that fails): nothing on the
  site is requested (RFC 9309 §2.3.1.4: "MUST assume complete disallow"). The fetcher reads
  robots.txt once per run, so the site is tried again by the next run.

`Crawl-delay` is not part of RFC 9309 (§2.2.4 leaves other records to the crawler); many sites
still write it, so the group's value is read (`crawl_delay`) and the fetcher spaces its requests to
the site by it, up to a bound of its settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from protego import Protego

ROBOTS_PATH = "/robots.txt"
DISALLOWED = "disallowed by robots.txt"
# RFC 9309 §2.5: a parsing limit of at least 500 KiB; what lies beyond it is not read.
MAX_ROBOTS_BYTES = 512 * 1024

Kind = Literal["rules", "allow all", "disallow all"]


@dataclass(frozen=True)
class RobotsPolicy:
    """What one origin (scheme, host and port) lets us request, and why."""

    origin: str
    kind: Kind
    reason: str  # e.g. "robots.txt rules", "no robots.txt (HTTP 404 Not Found)"
    parser: Protego | None = field(default=None, compare=False, repr=False)

    def allows(self, url: str, user_agent: str) -> bool:
        if self.kind != "rules" or self.parser is None:
            return self.kind == "allow all"
        return bool(self.parser.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        """Seconds the site asks between two requests (`Crawl-delay` of our group), or None."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def robots_url(origin: str) -> str:
    return origin + ROBOTS_PATH


def policy_from_text(origin: str, data: bytes) -> RobotsPolicy:
    """The rules of a robots.txt that was served (2xx); its first MAX_ROBOTS_BYTES are read."""
    text = data[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
    return RobotsPolicy(origin=origin, kind="rules", reason="robots.txt rules", parser=Protego.parse(text))


def policy_without_file(origin: str, reason: str, status: int | None = None,
                        redirect_loop: bool = False) -> RobotsPolicy:
    """The policy when robots.txt could not be had: `reason` says what happened, `status` is the
    HTTP status of the answer (None when there was none: a timeout, a connection that failed)."""
    unavailable = status is not None and 400 <= status < 500 and status != 429
    if unavailable or redirect_loop:
        return RobotsPolicy(origin=origin, kind="allow all", reason=f"no robots.txt ({reason})")
    return RobotsPolicy(origin=origin, kind="disallow all", reason=f"robots.txt unreachable ({reason})")


def refusal(policy: RobotsPolicy) -> tuple[Literal["skipped", "failed"], str]:
    """The status and reason of a URL this policy does not let us request: a rule of the site is a
    deliberate skip; a robots.txt that could not be read is a failure, tried again by the next run."""
    if policy.kind == "disallow all":
        return "failed", f"{policy.reason}; not requested this run"
    return "skipped", DISALLOWED
