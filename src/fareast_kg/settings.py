"""Settings, read in one place from CLI flags and environment variables.

Precedence: explicit flag, then ``FAREAST_*`` environment variable, then default.

Defaults depend on where the package runs. In a checkout, everything sits under its root
(``ontology/``, ``data/``, ``queries/``, ``store/``). Installed from a wheel, the ontology, data and
queries come from inside the package (``fareast_kg/share/``), and the store goes to the per-user
data folder ``$XDG_DATA_HOME/fareast-kg/store`` (``~/.local/share/fareast-kg/store`` by default).
The only disk access is one check for the checkout's folders.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .namespaces import BASE

_CHECKOUT = Path(__file__).resolve().parents[2]
_SHARE = Path(__file__).resolve().parent / "share"  # where the wheel puts ontology/, data/, queries/


def in_checkout(checkout: Path = _CHECKOUT) -> bool:
    """Whether this package runs from a source tree (an editable install counts) rather than a wheel."""
    return (checkout / "pyproject.toml").is_file() and (checkout / "ontology").is_dir()


def user_store(env: Mapping[str, str] | None = None) -> Path:
    """The per-user store folder of an installed package, following the XDG base directory spec."""
    env = os.environ if env is None else env
    data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "fareast-kg" / "store"


_ROOT = _CHECKOUT if in_checkout() else _SHARE


def _default_store() -> Path:
    return _ROOT / "store" if _ROOT == _CHECKOUT else user_store()


def _default_seed(root: Path) -> Path:
    # Only authoring and the tests read the paper's text; building and serving never do.
    return root.parent / "shared" / "seeds" / "000_6225201a47dae885.txt"


@dataclass(frozen=True)
class Settings:
    root: Path = _ROOT
    store: Path = field(default_factory=_default_store)
    ontology_dir: Path = field(default_factory=lambda: _ROOT / "ontology")
    data_dir: Path = field(default_factory=lambda: _ROOT / "data")
    queries_dir: Path = field(default_factory=lambda: _ROOT / "queries")
    seed: Path = field(default_factory=lambda: _default_seed(_ROOT))
    base_iri: str = BASE
    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 2
    # gthread workers: a slow client holds one thread, not a whole worker (see README, "Serving model").
    threads: int = 32
    query_timeout: float = 10.0
    max_rows: int = 10000
    max_bytes: int = 32_000_000  # result size, measured as N-Triples terms
    max_body: int = 1_000_000
    query_memory: int = 1024  # MB one query child may grow by
    # A bounded query (``sparql.bounded``) runs in the worker while its answer stays under this
    # many bytes; a longer one is run again in a query child. One runs at a time per worker, so a
    # worker holds at most twice this for them.
    inline_bytes: int = 1_000_000
    # A store of at most this many quads is also held in each worker's memory, where look-ups run
    # about twice as fast (about 600 bytes a quad); 0: never.
    memory_quads: int = 500_000
    long_queries: int = 2  # queries that may run past cheap_after at once, machine-wide
    spare_queries: int = 6  # further run slots, so cheap queries run while long ones hold theirs
    cheap_after: float = 0.5  # seconds after which a query counts as long
    service_allow: tuple[str, ...] = ()
    # A remote SPARQL engine instead of the store folder (``--store URL``): see README, "Remote engines".
    store_url: str = ""
    engine: str = "sparql"  # oxigraph, virtuoso, or sparql for any SPARQL 1.1 server
    update_url: str = ""  # where builds are published; oxigraph and virtuoso derive it from store_url
    gsp_url: str = ""  # Graph Store Protocol, likewise
    store_user: str = ""
    store_password: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``FAREAST_<FIELD>`` variables, then explicit overrides."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"FAREAST_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _convert(f.name, f.type, raw)
        if "store" not in values and _ROOT == _SHARE:
            values["store"] = user_store(env)
        settings = cls(**values)  # type: ignore[arg-type]
        given = {k: v for k, v in overrides.items() if v is not None}
        if "root" in given:
            # Each folder follows --root unless a flag or its own variable names it.
            root = Path(str(given["root"]))
            for name, folder in (("store", "store"), ("ontology_dir", "ontology"), ("data_dir", "data"),
                                 ("queries_dir", "queries")):
                if f"FAREAST_{name.upper()}" not in env:
                    given.setdefault(name, root / folder)
        return replace(settings, **given)  # type: ignore[arg-type]


def _convert(name: str, kind: object, raw: str) -> object:
    kind = str(kind)
    try:
        if "Path" in kind:
            return Path(raw)
        if "tuple" in kind:
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError as exc:
        raise ValueError(f"FAREAST_{name.upper()}={raw!r} is not a valid {kind}") from exc
    return raw
