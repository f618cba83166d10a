"""Command line: ``python -m stakemap COMMAND`` (validate, plan, simulate, export, samples, db,
backup, restore, passcode, serve).

Contract (docs/cli.md): validate exits 0 with a summary, 1 with one line
a problem, 2 with one line why a file is unreadable, unsafe or over a limit; never a traceback.
Heavy modules are imported only by the commands that need them, so the tool starts fast.
It speaks the language ``--lang`` names, else the environment's (LC_ALL, LC_MESSAGES, LANG:
``zh_CN.UTF-8`` is Chinese), else English: its messages, help and the files it writes.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

from stakemap.files.importing import import_workbook
from stakemap.files.outcome import ImportResult
from stakemap.files.sheets import UnreadableFile
from stakemap.language import LANGUAGES, N_, language_of, ngettext, speaking
from stakemap.language import gettext as _
from stakemap.model import StakeholderMap

__all__ = ["main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


#: What argparse itself says to a user (Python 3.11), marked for the catalogue: argparse looks
#: its words up through its own module's ``_``, which :func:`main` points at Stakemap's.
_ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("ignored explicit argument %r"),
)


class _Unusable(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def run() -> NoReturn:
    """The ``stakemap`` command and ``python -m stakemap``: :func:`main` on the command line's
    arguments, then the process ends with its code. Everything the command made lives until
    then, so the exit's own garbage collection is told to skip it (``gc.freeze``): walking a
    5,000-person map and its plan took 0.08-0.1 s of the exit's 0.12-0.15 s."""
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # a console that cannot show a name (cp1252 and 李娜) gets an escape, not a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    argparse._ = _  # argparse's own words (_ARGPARSE_WORDS) from Stakemap's catalogue
    with speaking(_language(argv)):
        return _main(argv)


def _language(argv: list[str] | None) -> str:
    """The language the command speaks: ``--lang``'s (anywhere among the arguments), else the
    environment's (LC_ALL, LC_MESSAGES, LANG), else English.

    >>> _language(["plan", "map.xlsx", "--lang", "zh"]), _language(["plan", "--lang=en"])
    ('zh', 'en')
    """
    asked = argparse.ArgumentParser(add_help=False)
    asked.add_argument("--lang", choices=list(LANGUAGES))
    try:
        chosen = asked.parse_known_args(argv)[0].lang
    except SystemExit:  # a --lang not offered: the full parser says so, in the environment's
        chosen = None
    environment = (os.environ.get(name) for name in ("LC_ALL", "LC_MESSAGES", "LANG"))
    return chosen or language_of(*environment) or "en"


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.run is not _serve:  # only serve passes options on (to Streamlit)
        parser.error(_("unrecognized arguments: {arguments}").format(arguments=" ".join(extra)))
    args.options = extra
    try:
        return args.run(args)
    except _Unusable as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except BrokenPipeError:  # the reader went away (`... | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _language_option() -> argparse.ArgumentParser:
    """The option every command takes: the language it speaks."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        help=_("the language of messages and files written: en or zh (default: from LANG)"),
    )
    return common


def _parser() -> argparse.ArgumentParser:
    common = [_language_option()]
    parser = argparse.ArgumentParser(
        prog="stakemap",
        parents=common,
        description=_(
            "Stakemap's command line: validate, plan, simulate, export, samples, db, backup, "
            "restore, passcode, serve."
        ),
    )
    commands = parser.add_subparsers(required=True, metavar=_("COMMAND"))

    def command(name: str, about: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=about, parents=common)

    validate = command("validate", _("check a workbook or CSV and summarise it"))
    validate.add_argument("file", type=Path)
    validate.set_defaults(run=_validate)

    plan = command("plan", _("the coalition-building sequence"))
    plan.add_argument("file", type=Path)
    plan.add_argument("--json", action="store_true", help=_("print JSON"))
    plan.set_defaults(run=_plan)

    simulate = command("simulate", _("predicted stances (Friedkin-Johnsen)"))
    simulate.add_argument("file", type=Path)
    simulate.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=STANCE",
        help=_("assume NAME's stance (a number or word); repeatable"),
    )
    simulate.add_argument(
        "--meet",
        action="append",
        default=[],
        metavar="NAME",
        help=_("a one-to-one meeting with NAME, as a plan step; repeatable, in order"),
    )
    simulate.add_argument("--json", action="store_true", help=_("print JSON"))
    simulate.set_defaults(run=_simulate)

    export = command(
        "export",
        _(
            "write .xlsx, .kumu.xlsx (Kumu), .zip (CSV), .html, .graphml, .gexf, a picture "
            "(.png, .svg), slides (.pptx) or the plan on a page (.pdf)"
        ),
    )
    export.add_argument("file", type=Path)
    export.add_argument("out", type=Path)
    export.add_argument(
        "--lens",
        action="append",
        default=[],
        metavar="NAME",
        help=_(
            'what a picture shows: a lens (its name or a word of it, e.g. "mendelow") or '
            '"network"; default the Power/interest grid. For slides, repeatable, in order; '
            "default every lens and the network"
        ),
    )
    export.add_argument(
        "--anonymise",
        action="store_true",
        help=_('pictures, slides and the plan show roles or "Person 1, 2, ..." instead of names'),
    )
    export.add_argument(
        "--size",
        default="1600x900",
        metavar="WIDTHxHEIGHT",
        help=_("a picture's size in pixels (default 1600x900)"),
    )
    export.set_defaults(run=_export)

    samples = command("samples", _("write the sample workbooks into a folder"))
    samples.add_argument("folder", type=Path)
    samples.set_defaults(run=_samples)

    db = command("db", _("the database (STAKEMAP_DATABASE_URL)"))
    db_commands = db.add_subparsers(required=True, metavar=_("ACTION"))
    db_commands.add_parser(
        "upgrade", help=_("upgrade the schema to the newest revision"), parents=common
    ).set_defaults(run=_db_upgrade)
    save = command("backup", _("write every map with its history into a folder"))
    save.add_argument("folder", type=Path)
    save.set_defaults(run=_backup)
    load = command("restore", _("bring a backup folder into an empty database"))
    load.add_argument("folder", type=Path)
    load.set_defaults(run=_restore)

    passcode = command("passcode", _("prompt for a facilitator passcode and print its hash"))
    passcode.set_defaults(run=_passcode)

    serve = command(
        "serve",
        _("start the app behind its gate (Streamlit options follow, e.g. --server.port 8501)"),
    )
    serve.set_defaults(run=_serve)
    return parser


def _read(path: Path) -> ImportResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Unusable(
            _("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror),
            EXIT_UNREADABLE,
        ) from None
    try:
        return import_workbook(data, path.name, sandboxed=True)
    except UnreadableFile as exc:
        raise _Unusable(f"{path}: {exc}", EXIT_UNREADABLE) from None
    except Exception as exc:  # a parser bug must still end in one line, not a traceback
        raise _Unusable(
            _("{path}: could not be read ({error})").format(path=path, error=type(exc).__name__),
            EXIT_UNREADABLE,
        ) from None


def _load(path: Path, *meanwhile: str) -> StakeholderMap:
    """The map in ``path``, or :class:`_Unusable`. ``meanwhile`` names the modules the command
    needs next (the planner's numpy and scipy take ~0.7 s to import): they are imported in a
    thread while the file is read in its child process, so the two use two cores."""
    importing = threading.Thread(target=_import_quietly, args=meanwhile, daemon=True)
    importing.start()
    try:
        result = _read(path)
    finally:
        importing.join()
    if result.map is None:
        raise _Unusable("\n".join(map(str, result.problems)), EXIT_PROBLEMS)
    return result.map


def _import_quietly(*names: str) -> None:
    """Import ``names``; a failure is left for the command's own import to report."""
    for name in names:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


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
    m = _load(args.file, "stakemap.planning.planner", "stakemap.planning.report")
    from stakemap.planning.planner import plan
    from stakemap.planning.report import plan_to_json, plan_to_text

    result = plan(m)
    if args.json:
        print(json.dumps(plan_to_json(result), ensure_ascii=False, indent=2))
    else:
        print(plan_to_text(result))
    return EXIT_OK


def _simulate(args: argparse.Namespace) -> int:
    m = _load(args.file, "stakemap.planning.whatif")
    from stakemap.planning.whatif import simulate
    from stakemap.values import BadValue, parse_stance

    overrides: dict[str, int] = {}
    for item in args.set:
        name, _equals, value = item.partition("=")
        if m.get(name.strip()) is None:
            raise _Unusable(
                _('--set {item}: "{name}" is not on the map').format(item=item, name=name.strip()),
                EXIT_PROBLEMS,
            )
        try:
            overrides[name.strip()] = parse_stance(value)[0]
        except BadValue as bad:
            raise _Unusable(
                _("--set {item}: stance {problem} ({accepted})").format(
                    item=item, problem=bad.problem, accepted=bad.accepted
                ),
                EXIT_PROBLEMS,
            ) from None
    for name in args.meet:
        if m.get(name.strip()) is None:
            raise _Unusable(
                _('--meet {item}: "{name}" is not on the map').format(item=name, name=name.strip()),
                EXIT_PROBLEMS,
            )
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
        print(_wrote(args.out, data))
        return EXIT_OK
    if args.lens or args.anonymise:
        raise _Unusable(
            _("{path}: --lens and --anonymise are for {endings}").format(
                path=args.out, endings=", ".join(_SHOWN)
            ),
            EXIT_PROBLEMS,
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
        raise _Unusable(
            _("{path}: the ending must be {endings} or {last}").format(
                path=args.out, endings=endings, last=_SHOWN[-1]
            ),
            EXIT_PROBLEMS,
        )
    args.out.write_bytes(data)
    print(_wrote(args.out, data))
    return EXIT_OK


def _wrote(path: Path, data: bytes) -> str:
    """The line saying a file was written."""
    return ngettext("wrote {path} ({size} byte)", "wrote {path} ({size} bytes)", len(data)).format(
        path=path, size=f"{len(data):,}"
    )


def _views(args: argparse.Namespace, ending: str) -> list[str]:
    """The views ``--lens`` names, checked: one for a picture, any for slides, none for the
    printed plan."""
    from stakemap.files.pictures import VIEWS, view_named, view_title

    if ending == ".pdf" and args.lens:
        raise _Unusable(
            _("--lens: a .pdf is the plan on one page, it shows no lens"), EXIT_PROBLEMS
        )
    if ending in (".png", ".svg") and len(args.lens) > 1:
        raise _Unusable(
            _("--lens: a picture shows one view, not {n}").format(n=len(args.lens)), EXIT_PROBLEMS
        )
    views = []
    for text in args.lens:
        view = view_named(text)
        if view is None:
            known = "; ".join(f'"{view_title(v)}"' for v in VIEWS)
            raise _Unusable(
                _("--lens {text}: name one of {known}").format(text=text, known=known),
                EXIT_PROBLEMS,
            )
        views.append(view)
    if views:
        return views
    return list(VIEWS) if ending == ".pptx" else [VIEWS[0]]


def _size(text: str) -> tuple[int, int]:
    from stakemap.files.pictures import SIZE_LIMITS

    width, _x, height = text.lower().partition("x")
    low, high = SIZE_LIMITS
    if not (width.strip().isdigit() and height.strip().isdigit()) or not all(
        low <= int(side) <= high for side in (width, height)
    ):
        raise _Unusable(
            _("--size {text}: give WIDTHxHEIGHT in pixels, each {low} to {high}").format(
                text=text, low=low, high=high
            ),
            EXIT_PROBLEMS,
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
        print(_("wrote {path}").format(path=args.folder / filename))
    return EXIT_OK


def _store():
    from stakemap.settings import database_url
    from stakemap.store.maps import Store

    try:
        return Store(database_url())
    except Exception as exc:  # a wrong URL or an unreachable server: one line
        raise _Unusable(
            _("database: {reason}").format(reason=_one_line(exc)), EXIT_UNREADABLE
        ) from None


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


def _db_upgrade(args: argparse.Namespace) -> int:
    from stakemap.store.migrate import HEAD

    _store()  # the store upgrades its schema when it opens
    print(_("database at revision {revision} (newest)").format(revision=HEAD))
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    from stakemap.store.backup import backup

    count = backup(_store(), args.folder)
    print(
        ngettext(
            "wrote {n} map with their history to {folder}",
            "wrote {n} maps with their history to {folder}",
            count,
        ).format(n=count, folder=args.folder)
    )
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from stakemap.store.backup import restore

    try:
        count = restore(_store(), args.folder)
    except ValueError as exc:
        raise _Unusable(str(exc), EXIT_PROBLEMS) from None
    print(
        ngettext(
            "restored {n} map with their history from {folder}",
            "restored {n} maps with their history from {folder}",
            count,
        ).format(n=count, folder=args.folder)
    )
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """Run ``streamlit run serve.py`` in this process, after what must be set before its
    server starts: uvicorn trusts no forwarded address unless STAKEMAP_TRUSTED_PROXIES names
    the proxy, Streamlit never looks the machine's address up on the internet (its start-up
    banner would), and malloc keeps two arenas, not one per thread (docs/speed.md)."""
    from streamlit import net_util
    from streamlit.web import cli as streamlit_cli

    from stakemap import settings
    from stakemap.store.placing import fewer_arenas

    fewer_arenas()  # before the server's threads allocate (store.placing.fewer_arenas)
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
        first = getpass.getpass(_("Facilitator passcode: "))
        again = getpass.getpass(_("Again: "))
    else:  # piped in (scripts, tests): one line
        first = again = sys.stdin.readline().rstrip("\r\n")
    if first != again:
        raise _Unusable(_("The two passcodes differ."), EXIT_PROBLEMS)
    if len(first) < MIN_PASSCODE:
        raise _Unusable(
            ngettext(
                "Use at least {n} character.", "Use at least {n} characters.", MIN_PASSCODE
            ).format(n=MIN_PASSCODE),
            EXIT_PROBLEMS,
        )
    stored = hash_passcode(first)
    print(stored)
    print(
        _("Serve a room with: {command}").format(command=f"{PASSCODE_ENV}='{stored}' make room"),
        file=sys.stderr,
    )
    return EXIT_OK
