"""Command line: ``python -m stakemap COMMAND`` (validate, plan, simulate, export, samples, db,
backup, restore, passcode, serve).

Contract (docs/cli.md): validate exits 0 with a summary, 1 with one line
a problem, 2 with one line why a file is unreadable, unsafe or over a limit; never a traceback.
Heavy modules are imported only by the commands that need them, so the tool starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from stakemap.files.importing import import_workbook
from stakemap.files.outcome import ImportResult
from stakemap.files.sheets import UnreadableFile
from stakemap.model import StakeholderMap

__all__ = ["main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


class _Unusable(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # a console that cannot show a name (cp1252 and 李娜) gets an escape, not a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.run is not _serve:  # only serve passes options on (to Streamlit)
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.options = extra
    try:
        return args.run(args)
    except _Unusable as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except BrokenPipeError:  # the reader went away (`... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stakemap", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a workbook or CSV and summarise it")
    validate.add_argument("file", type=Path)
    validate.set_defaults(run=_validate)

    plan = commands.add_parser("plan", help="the coalition-building sequence")
    plan.add_argument("file", type=Path)
    plan.add_argument("--json", action="store_true", help="print JSON")
    plan.set_defaults(run=_plan)

    simulate = commands.add_parser("simulate", help="predicted stances (Friedkin-Johnsen)")
    simulate.add_argument("file", type=Path)
    simulate.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=STANCE",
        help="assume NAME's stance (a number or word); repeatable",
    )
    simulate.add_argument(
        "--meet",
        action="append",
        default=[],
        metavar="NAME",
        help="a one-to-one meeting with NAME, as a plan step; repeatable, in order",
    )
    simulate.add_argument("--json", action="store_true", help="print JSON")
    simulate.set_defaults(run=_simulate)

    export = commands.add_parser(
        "export",
        help="write .xlsx, .kumu.xlsx (Kumu), .zip (CSV), .html, .graphml, .gexf, a picture "
        "(.png, .svg), slides (.pptx) or the plan on a page (.pdf)",
    )
    export.add_argument("file", type=Path)
    export.add_argument("out", type=Path)
    export.add_argument(
        "--lens",
        action="append",
        default=[],
        metavar="NAME",
        help='what a picture shows: a lens (its name or a word of it, e.g. "mendelow") or '
        '"network"; default the Power/interest grid. For slides, repeatable, in order; '
        "default every lens and the network",
    )
    export.add_argument(
        "--anonymise",
        action="store_true",
        help='pictures, slides and the plan show roles or "Person 1, 2, ..." instead of names',
    )
    export.add_argument(
        "--size",
        default="1600x900",
        metavar="WIDTHxHEIGHT",
        help="a picture's size in pixels (default 1600x900)",
    )
    export.set_defaults(run=_export)

    samples = commands.add_parser("samples", help="write the sample workbooks into a folder")
    samples.add_argument("folder", type=Path)
    samples.set_defaults(run=_samples)

    db = commands.add_parser("db", help="the database (STAKEMAP_DATABASE_URL)")
    db_commands = db.add_subparsers(required=True, metavar="ACTION")
    db_commands.add_parser(
        "upgrade", help="upgrade the schema to the newest revision"
    ).set_defaults(run=_db_upgrade)
    save = commands.add_parser("backup", help="write every map with its history into a folder")
    save.add_argument("folder", type=Path)
    save.set_defaults(run=_backup)
    load = commands.add_parser("restore", help="bring a backup folder into an empty database")
    load.add_argument("folder", type=Path)
    load.set_defaults(run=_restore)

    passcode = commands.add_parser(
        "passcode", help="prompt for a facilitator passcode and print its hash"
    )
    passcode.set_defaults(run=_passcode)

    serve = commands.add_parser(
        "serve",
        help="start the app behind its gate (Streamlit options follow, e.g. --server.port 8501)",
    )
    serve.set_defaults(run=_serve)
    return parser


def _read(path: Path) -> ImportResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Unusable(f"{path}: cannot be read ({exc.strerror})", EXIT_UNREADABLE) from None
    try:
        return import_workbook(data, path.name, sandboxed=True)
    except UnreadableFile as exc:
        raise _Unusable(f"{path}: {exc}", EXIT_UNREADABLE) from None
    except Exception as exc:  # a parser bug must still end in one line, not a traceback
        raise _Unusable(
            f"{path}: could not be read ({type(exc).__name__})", EXIT_UNREADABLE
        ) from None


def _load(path: Path) -> StakeholderMap:
    result = _read(path)
    if result.map is None:
        raise _Unusable("\n".join(map(str, result.problems)), EXIT_PROBLEMS)
    return result.map


def _validate(args: argparse.Namespace) -> int:
    result = _read(args.file)
    if result.problems:
        for problem in result.problems:
            print(problem)
        return EXIT_PROBLEMS
    print(result.summary())
    for line in [*result.report, *result.defaults]:
        print(f"  {line}")
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    from stakemap.planning.planner import plan
    from stakemap.planning.report import plan_to_json, plan_to_text

    result = plan(_load(args.file))
    if args.json:
        print(json.dumps(plan_to_json(result), ensure_ascii=False, indent=2))
    else:
        print(plan_to_text(result))
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    from stakemap.planning.whatif import simulate
    from stakemap.values import BadValue, parse_stance

    m = _load(args.file)
    overrides: dict[str, int] = {}
    for item in args.set:
        name, _, value = item.partition("=")
        if m.get(name.strip()) is None:
            raise _Unusable(f'--set {item}: "{name.strip()}" is not on the map', EXIT_PROBLEMS)
        try:
            overrides[name.strip()] = parse_stance(value)[0]
        except BadValue as bad:
            raise _Unusable(
                f"--set {item}: stance {bad.problem} ({bad.accepted})", EXIT_PROBLEMS
            ) from None
    for name in args.meet:
        if m.get(name.strip()) is None:
            raise _Unusable(f'--meet {name}: "{name.strip()}" is not on the map', EXIT_PROBLEMS)
    predicted = simulate(m, overrides, [name.strip() for name in args.meet])
    rows = [
        {
            "name": s.name,
            "stance": overrides.get(s.name, s.stance),
            "predicted": round(predicted[s.name], 4),
        }
        for s in m.stakeholders
    ]
    if args.json:
        print(json.dumps({"stakeholders": rows}, ensure_ascii=False, indent=2))
    else:
        width = max((len(r["name"]) for r in rows), default=4)
        for r in rows:
            print(f"{r['name']:<{width}}  {r['stance']:+d} -> {r['predicted']:+.2f}")
    return EXIT_OK


#: Endings ``export`` writes; the last four are pictures, slides and the printable plan.
_ENDINGS = (".xlsx", ".kumu.xlsx", ".zip", ".html", ".graphml", ".gexf")
_SHOWN = (".png", ".svg", ".pptx", ".pdf")


def _export(args: argparse.Namespace) -> int:
    name = args.out.name.lower()
    ending = next((e for e in _SHOWN if name.endswith(e)), None)
    if ending is not None:
        views, size = _views(args, ending), _size(args.size)
        data = _shown_file(_load(args.file), ending, args.file.stem, views, size, args.anonymise)
        args.out.write_bytes(data)
        print(f"wrote {args.out} ({len(data):,} bytes)")
        return EXIT_OK
    if args.lens or args.anonymise:
        raise _Unusable(
            f"{args.out}: --lens and --anonymise are for {', '.join(_SHOWN)}", EXIT_PROBLEMS
        )
    m = _load(args.file)
    if name.endswith(".kumu.xlsx"):
        from stakemap.files.kumu import to_kumu_xlsx

        data = to_kumu_xlsx(m)
    elif name.endswith(".xlsx"):
        from stakemap.files.exporting import to_xlsx

        data = to_xlsx(m)
    elif name.endswith(".zip"):
        from stakemap.files.csvfiles import to_csv_zip

        data = to_csv_zip(m)
    elif name.endswith(".html"):
        from stakemap.network.drawing import network_html

        data = network_html(m, m.positions or None).encode("utf-8")
    elif name.endswith((".graphml", ".gexf")):
        from stakemap.files.graphfiles import to_gexf, to_graphml

        data = (to_gexf if name.endswith(".gexf") else to_graphml)(m)
    else:
        endings = ", ".join((*_ENDINGS, *_SHOWN)[:-1])
        raise _Unusable(f"{args.out}: the ending must be {endings} or {_SHOWN[-1]}", EXIT_PROBLEMS)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes)")
    return EXIT_OK


def _views(args: argparse.Namespace, ending: str) -> list[str]:
    """The views ``--lens`` names, checked: one for a picture, any for slides, none for the
    printed plan."""
    from stakemap.files.pictures import VIEWS, view_named

    if ending == ".pdf" and args.lens:
        raise _Unusable("--lens: a .pdf is the plan on one page, it shows no lens", EXIT_PROBLEMS)
    if ending in (".png", ".svg") and len(args.lens) > 1:
        raise _Unusable(f"--lens: a picture shows one view, not {len(args.lens)}", EXIT_PROBLEMS)
    views = []
    for text in args.lens:
        view = view_named(text)
        if view is None:
            known = "; ".join(f'"{v}"' for v in VIEWS)
            raise _Unusable(f"--lens {text}: name one of {known}", EXIT_PROBLEMS)
        views.append(view)
    if views:
        return views
    return list(VIEWS) if ending == ".pptx" else [VIEWS[0]]


def _size(text: str) -> tuple[int, int]:
    from stakemap.files.pictures import SIZE_LIMITS

    width, _, height = text.lower().partition("x")
    low, high = SIZE_LIMITS
    if not (width.strip().isdigit() and height.strip().isdigit()) or not all(
        low <= int(side) <= high for side in (width, height)
    ):
        raise _Unusable(
            f"--size {text}: give WIDTHxHEIGHT in pixels, each {low} to {high}", EXIT_PROBLEMS
        )
    return int(width), int(height)


def _shown_file(
    m: StakeholderMap,
    ending: str,
    name: str,
    views: list[str],
    size: tuple[int, int],
    anonymise: bool,
) -> bytes:
    """A picture, the slides or the printed plan of ``m``, dated today."""
    from datetime import date

    if ending == ".pptx":
        from stakemap.files.deck import deck

        return deck(m, name=name, when=date.today(), views=views, anonymise=anonymise)
    if ending == ".pdf":
        from stakemap.files.plansheet import plan_pdf

        return plan_pdf(m, name=name, when=date.today(), anonymise=anonymise)
    from stakemap.files.pictures import picture

    return picture(m, views[0], ending[1:], size, anonymise)


def _samples(args: argparse.Namespace) -> int:
    from stakemap.files.exporting import to_xlsx
    from stakemap.samples.cases import new_programme, pipeline, template
    from stakemap.samples.synthetic import organisation

    args.folder.mkdir(parents=True, exist_ok=True)
    files = {
        "new_programme.xlsx": new_programme,
        "pipeline.xlsx": pipeline,
        "organisation_60.xlsx": organisation,
        "template.xlsx": template,
    }
    for filename, build in files.items():
        (args.folder / filename).write_bytes(to_xlsx(build(), extras=False))
        print(f"wrote {args.folder / filename}")
    return EXIT_OK


def _store():
    from stakemap.settings import database_url
    from stakemap.store.maps import Store

    try:
        return Store(database_url())
    except Exception as exc:  # a wrong URL or an unreachable server: one line
        raise _Unusable(f"database: {_one_line(exc)}", EXIT_UNREADABLE) from None


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def _db_upgrade(args: argparse.Namespace) -> int:
    from stakemap.store.migrate import HEAD

    _store()  # the store upgrades its schema when it opens
    print(f"database at revision {HEAD} (newest)")
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    from stakemap.store.backup import backup

    count = backup(_store(), args.folder)
    print(f"wrote {count} map{'s' * (count != 1)} with their history to {args.folder}")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from stakemap.store.backup import restore

    try:
        count = restore(_store(), args.folder)
    except ValueError as exc:
        raise _Unusable(str(exc), EXIT_PROBLEMS) from None
    print(f"restored {count} map{'s' * (count != 1)} with their history from {args.folder}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """Run ``streamlit run serve.py`` in this process, after what must be set before its
    server starts: uvicorn trusts no forwarded address unless STAKEMAP_TRUSTED_PROXIES names
    the proxy, and Streamlit never looks the machine's address up on the internet (its
    start-up banner would)."""
    from streamlit import net_util
    from streamlit.web import cli as streamlit_cli

    from stakemap import settings

    os.environ.setdefault("FORWARDED_ALLOW_IPS", ",".join(settings.trusted_proxies()))
    net_util._external_ip = ""
    root = Path(__file__).resolve().parents[2]
    os.chdir(root)
    sys.argv = ["streamlit", "run", str(root / "serve.py"), *args.options]
    try:
        streamlit_cli.main(standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return EXIT_OK


def _passcode(args: argparse.Namespace) -> int:
    """Prompt twice (no echo) and print the salted scrypt hash for STAKEMAP_PASSCODE_HASH."""
    import getpass

    from stakemap.room.access import MIN_PASSCODE, PASSCODE_ENV, hash_passcode

    if sys.stdin.isatty():
        first = getpass.getpass("Facilitator passcode: ")
        again = getpass.getpass("Again: ")
    else:  # piped in (scripts, tests): one line
        first = again = sys.stdin.readline().rstrip("\r\n")
    if first != again:
        raise _Unusable("The two passcodes differ.", EXIT_PROBLEMS)
    if len(first) < MIN_PASSCODE:
        raise _Unusable(f"Use at least {MIN_PASSCODE} characters.", EXIT_PROBLEMS)
    stored = hash_passcode(first)
    print(stored)
    print(f"Serve a room with: {PASSCODE_ENV}='{stored}' make room", file=sys.stderr)
    return EXIT_OK
