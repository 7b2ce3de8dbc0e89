"""``fareast-kg``: build, validate, serve, query and inspect the knowledge graph.

This is the only place that turns errors into exit codes; every failure prints one
``fareast-kg: error: …`` message on stderr and never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .errors import FarEastError
from .settings import Settings

STORE_HELP = ("store folder (default: store/ in a checkout, else ~/.local/share/fareast-kg/store), "
              "or the query URL of a SPARQL 1.1 engine")
# One example per command, shown at the end of its --help.
EXAMPLES = {
    "build": "fareast-kg build --store /tmp/kg-store",
    "validate": "fareast-kg validate --data data/ --ontology ontology/",
    "serve": "fareast-kg serve --port 8080",
    "query": "fareast-kg query 'SELECT ?s WHERE { ?s a fe:Agreement } LIMIT 3' --format csv",
    "stats": "fareast-kg stats --json",
    "passages": "fareast-kg passages --seed paper.txt --out passages.trig",
    "locate": "fareast-kg locate p076 'Silk Road Economic Belt'",
}
EXIT_TRUNCATED = 8
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


def progress(line: str) -> None:
    """One line of a build's progress, out at once: through a pipe (CI logs, `| tee`) print would
    hold the lines back until the build ends."""
    print(line, flush=True)


def _settings(args: argparse.Namespace) -> Settings:
    store = getattr(args, "store", None)
    url = store if isinstance(store, str) and store.startswith(("http://", "https://")) else None
    return Settings.from_env(
        root=getattr(args, "root", None),
        store=Path(store) if store and not url else None,
        store_url=url,
        engine=getattr(args, "engine", None),
        update_url=getattr(args, "update_url", None),
        gsp_url=getattr(args, "gsp_url", None),
        data_dir=getattr(args, "data", None),
        ontology_dir=getattr(args, "ontology", None),
        queries_dir=getattr(args, "queries", None),
        seed=getattr(args, "seed", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        workers=getattr(args, "workers", None),
        threads=getattr(args, "threads", None),
        query_timeout=getattr(args, "timeout", None),
        max_rows=getattr(args, "max_rows", None),
        max_body=getattr(args, "max_body", None),
        max_bytes=getattr(args, "max_bytes", None),
        query_memory=getattr(args, "query_memory", None),
        memory_quads=getattr(args, "memory_quads", None),
        service_allow=tuple(args.service_allow.split(",")) if getattr(args, "service_allow", None) else None,
    )


def cmd_build(args: argparse.Namespace) -> int:
    from .build.pipeline import build

    settings = _settings(args)
    build(settings, force=args.force, log=progress)
    if settings.store_url:  # built here, then published to the engine and switched atomically
        from .backend import endpoints
        from .build.publish import from_store, publish

        publish(*from_store(settings.store), endpoints(settings), log=progress)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .build.pipeline import validate_only

    validate_only(_settings(args), log=progress)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    serve(_settings(args), dev=args.dev)
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from .query_cli import run_query

    text = args.query
    if text == "-":
        text = sys.stdin.read()
    elif text.startswith("@"):
        text = Path(text[1:]).read_text(encoding="utf-8")
    settings = _settings(args)
    out, cut = run_query(settings, text, args.format, infer=not args.no_infer)
    sys.stdout.write(out)
    if cut:  # never a silent partial answer: say so, and let scripts notice
        limit = settings.max_rows if cut == "max-rows" else settings.max_bytes
        print(f"fareast-kg: the result was cut at {cut}={limit}; add LIMIT or raise --max-rows", file=sys.stderr)
        return EXIT_TRUNCATED
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .stats import render_stats

    sys.stdout.write(render_stats(_settings(args), as_json=args.json))
    return 0


def cmd_passages(args: argparse.Namespace) -> int:
    from .authoring import write_passages

    settings = _settings(args)
    out = Path(args.out) if args.out else settings.data_dir / "passages.trig"
    count = write_passages(settings.seed, out)
    print(f"wrote {count} passages to {out}")
    return 0


def cmd_locate(args: argparse.Namespace) -> int:
    from .authoring import locate_quote

    start, end = locate_quote(_settings(args).seed, args.passage, args.exact)
    print(f"fe:startOffset {start} ; fe:endOffset {end}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fareast-kg", description=__doc__.splitlines()[0],
                                     epilog="example:\n  fareast-kg build && fareast-kg serve",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--root", type=Path, help="project folder (ontology/, data/, queries/, store/)")
    parser.add_argument("--store", help=STORE_HELP)
    parser.add_argument("--engine", choices=("oxigraph", "virtuoso", "sparql"),
                        help="the engine at --store URL (default sparql: any SPARQL 1.1 server)")
    parser.add_argument("--update-url", dest="update_url", help="the engine's SPARQL Update URL, for builds")
    parser.add_argument("--gsp-url", dest="gsp_url", help="the engine's Graph Store Protocol URL, for builds")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_, epilog=f"example:\n  {EXAMPLES[name]}",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        # Either place works: `fareast-kg --store DIR build` or `fareast-kg build --store DIR`.
        p.add_argument("--root", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.add_argument("--store", default=argparse.SUPPRESS, help=STORE_HELP)
        p.add_argument("--engine", choices=("oxigraph", "virtuoso", "sparql"), default=argparse.SUPPRESS,
                       help=argparse.SUPPRESS)
        return p

    p = add("build", cmd_build, "validate, reason and load the KG into the store")
    p.add_argument("--data", type=Path, help="data folder (default: ROOT/data)")
    p.add_argument("--ontology", type=Path, help="ontology folder (default: ROOT/ontology)")
    p.add_argument("--force", action="store_true", help="rebuild even if the store is up to date")

    p = add("validate", cmd_validate, "parse and validate the data against the shapes, without loading")
    p.add_argument("--data", type=Path)
    p.add_argument("--ontology", type=Path)

    p = add("serve", cmd_serve, "serve the built store over HTTP (gunicorn)")
    p.add_argument("--host", help="bind address (default 127.0.0.1, env FAREAST_HOST)")
    p.add_argument("--port", type=int, help="port (default 5000, env FAREAST_PORT)")
    p.add_argument("--workers", type=int, help="worker processes (default 2, env FAREAST_WORKERS)")
    p.add_argument("--threads", type=int, help="threads per worker (default 32, env FAREAST_THREADS)")
    p.add_argument("--timeout", type=float, help="query time limit in seconds (default 10)")
    p.add_argument("--max-rows", type=int, dest="max_rows", help="result row limit (default 10000)")
    p.add_argument("--max-body", type=int, dest="max_body", help="largest request body in bytes (default 1000000)")
    p.add_argument("--max-bytes", type=int, dest="max_bytes",
                   help="largest result in bytes; longer ones are cut and flagged (default 32000000)")
    p.add_argument("--query-memory", type=int, dest="query_memory",
                   help="memory one query may use, in MB; past it the query is stopped (default 1024)")
    p.add_argument("--memory-quads", type=int, dest="memory_quads",
                   help="hold a store of at most N quads in each worker's memory too, for faster look-ups; "
                        "0: never (default 500000)")
    p.add_argument("--service-allow", dest="service_allow",
                   help="comma-separated SPARQL endpoints that SERVICE may reach (default: none)")
    p.add_argument("--queries", type=Path, help="canned queries folder (default: ROOT/queries)")
    p.add_argument("--dev", action="store_true", help="use Flask's development server")

    p = add("query", cmd_query, "run a SPARQL query against the built store")
    p.add_argument("query", help="the query text, @FILE, or - for standard input")
    p.add_argument("--format", default="table", help="table, json, xml, csv, tsv, ttl, nt, nq (default table)")
    p.add_argument("--no-infer", action="store_true", help="leave out the inferred graph")
    p.add_argument("--max-rows", type=int, dest="max_rows", help="row limit (default 10000); past it, exit code 8")

    p = add("stats", cmd_stats, "counts per class, statistics and passage coverage")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = add("passages", cmd_passages, "regenerate data/passages.trig from the seed text")
    p.add_argument("--seed", type=Path, help="the seed text file")
    p.add_argument("--out", help="output file (default: DATA/passages.trig)")

    p = add("locate", cmd_locate, "print the offsets of an exact quote inside a passage")
    p.add_argument("passage", help="passage id, e.g. p076")
    p.add_argument("exact", help="the exact text, copied from the seed")
    p.add_argument("--seed", type=Path, help="the seed text file")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except FarEastError as exc:
        print(f"fareast-kg: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # The reader went away (`fareast-kg query … | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print("fareast-kg: interrupted; the previous store is untouched", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (OSError, ValueError, KeyError) as exc:
        print(f"fareast-kg: error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: still one line for the user, never a traceback
        print(f"fareast-kg: internal error ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
