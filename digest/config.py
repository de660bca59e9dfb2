"""Load and validate feeds.yaml: every key has a default except the feed list itself.

Errors name the file, the line, the key and what was expected, e.g.
``feeds.yaml:12: feeds[3].url: 'htp://x' is not a URL (http(s)://…, file://… or a path)``.
Values that end up in mail or HTTP headers are one line each (a line break in `sender` would add
headers to every copy), and YAML is read with its aliases expanded to at most MAX_YAML_NODES
nodes (a kilobyte of nested aliases would otherwise expand to gigabytes).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_CONFIG = "feeds.yaml"
DEFAULT_DB = "digest.db"
POSTGRES_URLS = ("postgresql://", "postgres://")  # a `database:` naming a server, not a file
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")  # no line break, tab or NUL
MAX_YAML_NODES = 100_000  # a config or alias file with aliases expanded; real ones have < 5 000


class ConfigError(Exception):
    """A configuration a person must fix; the message says where and what."""


class YamlTooLarge(yaml.YAMLError):
    """A YAML document whose aliases expand past MAX_YAML_NODES (an alias bomb), or recurse."""


def _expanded(root: yaml.Node) -> int:
    """The number of nodes of a composed document once its aliases are expanded."""
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise YamlTooLarge("an alias refers to a node that contains it (a loop)")
        busy.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        busy.discard(key)
        sizes[key] = total
        if total > MAX_YAML_NODES:
            raise YamlTooLarge(
                f"aliases expand to more than {MAX_YAML_NODES} values (an alias bomb?)"
            )
        return total

    return size(root)


def compose_yaml(text: str) -> yaml.Node | None:
    """The document's node tree, refused when its aliases expand past MAX_YAML_NODES."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    if root is not None:
        try:
            _expanded(root)
        except RecursionError:
            raise YamlTooLarge("nested too deeply") from None
    return root


def load_yaml(text: str) -> Any:
    """yaml.safe_load with alias expansion bounded (YamlTooLarge, a yaml.YAMLError)."""
    root = compose_yaml(text)
    if root is None:
        return None
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(root)
    finally:
        loader.dispose()


def _one_line(value: str | None) -> str | None:
    """A value that goes into a header: no line break, tab or other control character."""
    if value is not None and _CONTROL.search(value):
        raise ValueError("must be one line without control characters (it goes into headers)")
    return value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FeedConfig(_Section):
    name: str = Field(min_length=1)
    url: str = Field(min_length=1)
    priority: int = 0  # higher wins a tie between outlets that disagree on a fact
    lang: str = "fr"

    @field_validator("url")
    @classmethod
    def _url_shape(cls, v: str) -> str:
        if "://" in v and not v.startswith(("http://", "https://", "file://")):
            raise ValueError(f"{v!r} is not a URL (http(s)://…, file://… or a path)")
        return v


class Newsletter(_Section):
    name: str = "Le Digest"
    tagline: str = "Les investissements de la tech française, chaque semaine"
    sender: str = "Le Digest <digest@example.org>"
    reply_to: str = "redaction@example.org"
    base_url: str = "https://digest.example.org"
    timezone: str = "Europe/Paris"
    postal_address: str = "Le Digest, 10 rue de l'Exemple, 75011 Paris, France"
    list_id: str = "digest.example.org"

    @field_validator("name", "sender", "reply_to", "list_id")
    @classmethod
    def _header(cls, v: str) -> str:
        return _one_line(v) or ""

    @field_validator("sender", "reply_to")
    @classmethod
    def _address(cls, v: str) -> str:
        from email.utils import getaddresses

        found = getaddresses([v])
        if len(found) != 1 or "@" not in found[0][1] or any(c in found[0][1] for c in " ,;<>"):
            raise ValueError(f"{v!r} is not one address such as 'Le Digest <digest@example.org>'")
        return v

    @field_validator("list_id")
    @classmethod
    def _list_id(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.-]*", v):
            raise ValueError(f"{v!r} is not a domain-like identifier such as 'digest.example.org'")
        return v

    @field_validator("base_url")
    @classmethod
    def _https(cls, v: str) -> str:
        if not v.startswith("https://"):
            raise ValueError(
                f"{v!r} must be an absolute https:// URL (links in emails are absolute)"
            )
        return v.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{v!r} is not a time zone name such as 'Europe/Paris'") from None
        return v


class Schedule(_Section):
    poll_every_minutes: int = Field(default=30, ge=1)
    build_at: str = "07:30"
    send_at: str = "08:00"
    days: list[str] = Field(default_factory=lambda: ["tue"])
    require_approval: bool = False
    grace_minutes: int = Field(default=120, ge=0)

    @field_validator("build_at", "send_at")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        if not _TIME.match(v):
            raise ValueError(f"{v!r} is not a time of day as HH:MM")
        return v

    @field_validator("days")
    @classmethod
    def _days(cls, v: list[str]) -> list[str]:
        bad = [d for d in v if d.lower()[:3] not in _DAYS]
        if bad:
            raise ValueError(f"{bad} are not days (use {', '.join(_DAYS)})")
        return [d.lower()[:3] for d in v]


class Polling(_Section):
    user_agent: str = Field(
        default="digest/0.1 (+https://digest.example.org/robot)", pattern=r"^[\x20-\x7e]+$"
    )
    connect_timeout: float = Field(default=10.0, gt=0)
    read_timeout: float = Field(default=30.0, gt=0)
    max_bytes: int = Field(default=15 * 1024 * 1024, gt=0)
    max_concurrency: int = Field(default=8, ge=1)
    per_host: int = Field(default=2, ge=1)
    min_interval_minutes: int = Field(default=15, ge=1)
    max_interval_minutes: int = Field(default=24 * 60, ge=1)
    max_items_per_feed: int = Field(default=500, ge=1)
    total_timeout: float = Field(default=120.0, gt=0)  # the whole download of one feed
    parse_timeout: float = Field(default=60.0, gt=0)  # one feed's parse, in a worker process
    parse_memory_mb: int = Field(default=1024, ge=64)  # address-space limit of a parse worker
    parse_workers: int = Field(default=2, ge=1)
    # fetch from loopback, private, link-local and reserved addresses (tests, the demo, an intranet)
    allow_private_addresses: bool = False


class Reading(_Section):
    model: str = "fr_core_news_md"
    aliases: list[str] = Field(default_factory=list)  # extra alias files, relative to the config


class Grouping(_Section):
    window_days: int = Field(default=14, ge=1)  # a mention joins stories active within this span
    threshold: float = Field(default=0.5, ge=0, le=1)  # least fit for joining an open story
    near_duplicate: float = Field(default=0.7, gt=0, le=1)  # MinHash Jaccard of a syndicated copy
    recall_days: int = Field(default=400, ge=1)  # a later item may recall a deal this old


class Writing(_Section):
    source_priority: list[str] = Field(default_factory=list)  # outlet names, most trusted first


class Theme(_Section):
    primary: str = "#5b2ee8"
    accent: str = "#ff5a36"
    text: str = "#1d1b26"
    muted: str = "#6b6880"
    background: str = "#f4f2fa"
    card: str = "#ffffff"
    font_stack: str = (
        "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
    )
    logo_url: str | None = None  # an https PNG/JPEG at 2x, transparent so it reads on dark too
    logo_width: int = Field(default=180, ge=40, le=552)  # pixels as shown in the email
    social: dict[str, str] = Field(default_factory=dict)  # label → https URL, in footer order

    @field_validator("primary", "accent", "text", "muted", "background", "card")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", v):
            raise ValueError(f"{v!r} is not a colour as #rrggbb")
        return v.lower()

    @field_validator("font_stack")
    @classmethod
    def _fonts(cls, v: str) -> str:
        if any(c in v for c in '"<>;{}'):
            raise ValueError(f"{v!r} is not a font list such as 'Helvetica, Arial, sans-serif'")
        return v

    @field_validator("logo_url")
    @classmethod
    def _logo(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith("https://"):
            raise ValueError(f"{v!r} must be an absolute https:// URL")
        return v

    @field_validator("social")
    @classmethod
    def _social(cls, v: dict[str, str]) -> dict[str, str]:
        bad = [f"{k}: {u!r}" for k, u in v.items() if not str(u).startswith("https://")]
        if bad:
            raise ValueError(f"social links must be absolute https:// URLs ({', '.join(bad)})")
        return v


class Smtp(_Section):
    host: str | None = None
    port: int = 587
    security: Literal["none", "starttls", "tls"] = "starttls"
    username: str | None = None
    timeout: float = 30.0

    @field_validator("host", "username")
    @classmethod
    def _header(cls, v: str | None) -> str | None:
        return _one_line(v)

    @property
    def password(self) -> str | None:
        """The password comes only from the environment, never from the file."""
        return os.environ.get("DIGEST_SMTP_PASSWORD")


class Sending(_Section):
    outbox: str = "outbox"
    rate_per_second: float = Field(default=10.0, gt=0)
    pool_size: int = Field(default=2, ge=1)
    max_attempts: int = Field(default=5, ge=1)
    retry_delay: float = Field(default=2.0, gt=0)  # seconds before a first retry, doubled each time
    dkim_selector: str | None = None
    dkim_domain: str | None = None
    dkim_key_file: str | None = None

    @field_validator("dkim_selector", "dkim_domain")
    @classmethod
    def _header(cls, v: str | None) -> str | None:
        return _one_line(v)


class Bounces(_Section):
    verp: bool = True  # each copy's envelope sender is bounce+TOKEN@<sender domain>
    soft_limit: int = Field(default=3, ge=1)  # soft bounces (in distinct editions) that retire
    soft_editions: int = Field(default=5, ge=1)  # ... an address, within this many last editions


class Inbox(_Section):
    """The IMAP mailbox that receives bounces and mailto unsubscribes (`digest inbox import`)."""

    host: str
    port: int = 993
    security: Literal["none", "starttls", "tls"] = "tls"
    username: str
    folder: str = "INBOX"
    every_minutes: int = Field(default=15, ge=1)  # how often the daemon reads it
    timeout: float = Field(default=30.0, gt=0)

    @property
    def password(self) -> str | None:
        """The password comes only from the environment, never from the file."""
        return os.environ.get("DIGEST_INBOX_PASSWORD")


class Hooks(_Section):
    """ESP webhooks (`POST /hooks/<provider>`); a provider without its setting gets 404.
    Secrets come from the environment: DIGEST_POSTMARK_PASSWORD, DIGEST_MAILGUN_SIGNING_KEY."""

    ses_topic_arns: list[str] = Field(default_factory=list)  # SNS topics accepted; none: off
    sns_certificates: dict[str, str] = Field(default_factory=dict)  # signing cert URL → PEM file
    postmark_username: str | None = None
    sendgrid_public_key: str | None = None  # the "verification key" (base64 DER, ECDSA P-256)
    max_bytes: int = Field(default=1024 * 1024, ge=1024)


class Retention(_Section):
    items_days: int = Field(default=90, ge=0)  # item text kept this long (0: forever)


class Web(_Section):
    host: str = "127.0.0.1"
    port: int = 8000
    secure_cookies: bool = False  # true behind HTTPS: the session cookie is then Secure
    # X-Forwarded-For is believed only from these peers (addresses or networks, e.g. the reverse
    # proxy's 127.0.0.1); from anyone else the peer address is the client.
    trusted_proxies: list[str] = Field(default_factory=list)
    editor_body_kb: int = Field(default=1024, ge=64)  # editors' forms; public ones stop at 64 KB
    header_timeout: float = Field(default=10.0, gt=0)  # seconds to send a request's head
    body_timeout: float = Field(default=10.0, gt=0)  # seconds of silence allowed in a body
    max_connections: int = Field(default=200, ge=1)  # beyond: 503 (uvicorn limit_concurrency)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, v: list[str]) -> list[str]:
        import ipaddress

        for entry in v:
            try:
                ipaddress.ip_network(entry)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network") from None
        return v


class Config(_Section):
    feeds: list[FeedConfig]
    database: str | None = None  # a SQLite file (relative to this file) or a postgresql:// URL
    out_dir: str = "out"
    newsletter: Newsletter = Field(default_factory=Newsletter)
    schedule: Schedule = Field(default_factory=Schedule)
    polling: Polling = Field(default_factory=Polling)
    reading: Reading = Field(default_factory=Reading)
    grouping: Grouping = Field(default_factory=Grouping)
    writing: Writing = Field(default_factory=Writing)
    theme: Theme = Field(default_factory=Theme)
    smtp: Smtp = Field(default_factory=Smtp)
    sending: Sending = Field(default_factory=Sending)
    web: Web = Field(default_factory=Web)
    retention: Retention = Field(default_factory=Retention)
    bounces: Bounces = Field(default_factory=Bounces)
    inbox: Inbox | None = None
    hooks: Hooks = Field(default_factory=Hooks)
    path: Path = Path(DEFAULT_CONFIG)  # where it was loaded from; not a file key

    def resolve(self, relative: str) -> Path:
        """A path from the config file, taken relative to the file's folder."""
        p = Path(relative).expanduser()
        return p if p.is_absolute() else self.path.parent / p

    def feed_location(self, feed: FeedConfig) -> str:
        """The feed's URL, with a bare path made absolute against the config's folder."""
        if "://" in feed.url:
            return feed.url
        return self.resolve(feed.url).resolve().as_uri()


def _line_map(text: str) -> dict[tuple[Any, ...], int]:
    """Map each key path of the YAML document to its 1-based line."""
    lines: dict[tuple[Any, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[(*path, key.value)] = key.start_mark.line + 1
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                walk(child, (*path, i))

    root = compose_yaml(text)
    if root is not None:
        walk(root, ())
    return lines


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def parse_config(text: str, path: Path) -> Config:
    """Validate the text of a config file; raise ConfigError naming file, line and key."""
    name = path.name
    try:
        data = load_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{name}{line}: not valid YAML ({getattr(e, 'problem', e)})") from None
    if not isinstance(data, dict) or "feeds" not in data:
        raise ConfigError(f"{name}: expected a mapping with a top-level 'feeds:' list")
    try:
        config = Config.model_validate({**data, "path": path})
    except ValidationError as e:
        lines = _line_map(text)
        problems = []
        for err in e.errors():
            loc = tuple(err["loc"])
            known = next((loc[:i] for i in range(len(loc), -1, -1) if loc[:i] in lines), ())
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key (check its spelling against the README's reference)"
            inp = err.get("input")
            quiet = err["type"] == "extra_forbidden" or isinstance(inp, dict | list)
            got = "" if quiet or repr(inp) in msg else f" (got {inp!r})"
            problems.append(f"{name}:{lines.get(known, 1)}: {_where(loc)}: {msg}{got}")
        raise ConfigError("\n".join(problems)) from None
    return config


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Load the configuration from --config, $DIGEST_CONFIG or ./feeds.yaml."""
    p = Path(path or os.environ.get("DIGEST_CONFIG") or DEFAULT_CONFIG)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such configuration file (give one with --config)") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{p}: cannot read it ({e})") from None
    return parse_config(text, p)


def database_path(config: Config, override: str | None = None) -> Path | str:
    """--db, then $DIGEST_DB, then the config's `database:`, then ./digest.db: a SQLite file,
    or a postgresql:// URL returned as it is."""
    chosen = override or os.environ.get("DIGEST_DB")
    if chosen:
        return chosen if chosen.startswith(POSTGRES_URLS) else Path(chosen)
    if config.database and config.database.startswith(POSTGRES_URLS):
        return config.database
    return config.resolve(config.database) if config.database else Path(DEFAULT_DB)
