"""What a site's robots.txt lets the fetcher request, read as RFC 9309 says.

Pure functions over what the fetch of `<origin>/robots.txt` gave: the file's text (2xx), or why
there is none. The rules are read with the standard library's `urllib.robotparser`; what RFC 9309
adds is applied here:

- the most specific rule wins (the longest matching path; `Allow` on a tie), where
  `robotparser` takes the first rule in file order: the rules of each group are sorted longest first;
- robots.txt "unavailable" (HTTP 400–499, or more redirects than followed): everything is allowed;
- robots.txt "unreachable" (HTTP 5xx, 429, a timeout or a connection that fails): nothing on the
  site is requested (RFC 9309 §2.3.1.4: "MUST assume complete disallow"). The fetcher reads
  robots.txt once per run, so the site is tried again by the next run.

Not read: the `*` and `$` wildcards in paths (a rule with them matches only its literal text) and
`Crawl-delay` (the per-host concurrency limit and `Retry-After` pace requests instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from urllib.robotparser import RobotFileParser

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
    parser: RobotFileParser | None = field(default=None, compare=False, repr=False)

    def allows(self, url: str, user_agent: str) -> bool:
        if self.kind != "rules" or self.parser is None:
            return self.kind == "allow all"
        return self.parser.can_fetch(user_agent, url)


def robots_url(origin: str) -> str:
    return origin + ROBOTS_PATH


def policy_from_text(origin: str, data: bytes) -> RobotsPolicy:
    """The rules of a robots.txt that was served (2xx); its first MAX_ROBOTS_BYTES are read."""
    text = data[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    for entry in [*parser.entries, *([parser.default_entry] if parser.default_entry else [])]:
        # Longest path first, Allow before Disallow on equal length: the first match is then
        # the most specific rule, as RFC 9309 §2.2.2 orders them.
        entry.rulelines.sort(key=lambda line: (-len(line.path), not line.allowance))
    return RobotsPolicy(origin=origin, kind="rules", reason="robots.txt rules", parser=parser)


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
