"""The ``finetune-advisor`` command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bot.errors import AdvisorError, ConfigurationError, InvalidAnswers, KnowledgeBaseError

EXAMPLES = {
    "chat": (
        "example:\n  finetune-advisor chat\n  finetune-advisor chat --out ~/decisions   # where `export` writes the record\n"
        "  printf '1\\nyes\\nskip\\n' | finetune-advisor chat\n\n"
        "Ctrl-D or `quit` ends the chat; Ctrl-C ends it at once (exit 130)."
    ),
    "ask": 'example:\n  finetune-advisor ask "why does latency matter?" --json',
    "recommend": (
        "example:\n  echo '{\"sensitive_data\": \"no\", \"latency_critical\": \"yes\"}' > answers.json\n"
        "  finetune-advisor recommend --answers answers.json --json\n"
        "  finetune-advisor recommend --answers answers.json --format markdown > decision.md"
    ),
    "kb": "example:\n  finetune-advisor kb\n  finetune-advisor kb show lower-latency\n  finetune-advisor kb --json",
    "teams-package": "example:\n  finetune-advisor teams-package --app-id 00000000-0000-0000-0000-000000000000 --out teams.zip",
    "config": "example:\n  finetune-advisor config check",
    "serve": "example:\n  SLACK_SIGNING_SECRET=... SLACK_BOT_TOKEN=xoxb-... finetune-advisor serve --port 3000",
}


def _version() -> str:
    try:
        return version("finetune-advisor")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+source"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="finetune-advisor",
        description="Should you fine-tune an LLM, or try prompt engineering and prompt chaining first?",
        epilog="example:\n  finetune-advisor chat\n  finetune-advisor ask \"what is fine-tuning?\"",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(
            name, help=help_text, description=help_text, epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    chat = command("chat", "Run the assessment as a conversation in the terminal (reads lines from a pipe too).")
    chat.add_argument("--session", metavar="ID", help="resume (or name) a conversation kept in Redis (needs REDIS_URL)")
    chat.add_argument("--out", metavar="DIR", type=Path, help="folder `export` writes the decision record to (default: the current one)")
    ask = command("ask", "Answer one question from the knowledge base.")
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("--json", action="store_true", help='print {"answer", "citations"} as JSON')
    rec = command("recommend", "Recommend from a JSON file of answers {factor: value}.")
    rec.add_argument("--answers", required=True, metavar="FILE", help="JSON object of factor ids to values; '-' reads stdin")
    rec.add_argument("--json", action="store_true", help="print the recommendation as JSON (same as --format json)")
    rec.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format (default: text)")
    kb = command("kb", "List and validate the knowledge base; `kb show ID` prints one entry.")
    kb.add_argument("action", nargs="?", metavar="show", help="show: print the entry ID with its section")
    kb.add_argument("entry_id", nargs="?", metavar="ID", help="the entry to show (an id from the list)")
    kb.add_argument("--json", action="store_true", help="print the entries (or the one entry) as JSON")
    package = command("teams-package", "Write the Teams app package (zip) an admin uploads (run from a source checkout).")
    package.add_argument("--app-id", required=True, help="the bot's Microsoft App ID (a GUID)")
    package.add_argument("--out", default="finetune-advisor-teams.zip", help="zip file or folder to write")
    package.add_argument("--host", help="public host name for the developer URLs and validDomains")
    config = command("config", "Show the effective configuration (secrets redacted) and what each platform is missing.")
    config.add_argument("action", nargs="?", choices=("check",), help="check: print and validate the configuration")
    config.set_defaults(print_help=config.print_help)  # `config` alone prints this help
    serve = command("serve", "Serve Slack (/slack/events), Teams (/api/messages) and /healthz over HTTP.")
    serve.add_argument("--host", help="interface to bind (default: HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: PORT or 3000)")
    serve.add_argument("--workers", type=int, default=1, help="processes sharing the port (needs REDIS_URL; default 1)")
    return parser


def _read_answers(path: str) -> dict[str, str]:
    try:
        raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidAnswers(f"cannot read answers file {path!r}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidAnswers(f"answers file {path!r} is not UTF-8 text") from None
    try:
        data: Any = json.loads(raw)
    except ValueError as exc:
        raise InvalidAnswers(f"answers file {path!r} is not valid JSON: {exc}") from None
    except RecursionError:
        raise InvalidAnswers(f"answers file {path!r} is not valid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise InvalidAnswers(f"answers file {path!r} must hold a JSON object {{factor: value}}")
    return data


def cmd_recommend(args: argparse.Namespace) -> int:
    from bot.engine import recommend
    from bot.record import record_markdown
    from bot.replies import Card
    from knowledge import default_knowledge_base

    from bot.card import view_json

    rec = recommend(_read_answers(args.answers), default_knowledge_base())
    fmt = "json" if args.json else args.format
    if fmt == "json":  # every Recommendation field, plus what the card shows (docs/card.md)
        print(json.dumps(view_json(rec), indent=2))
    elif fmt == "markdown":
        import time

        sys.stdout.write(record_markdown(rec, time.time()))
    else:
        print(Card(rec).plain_text())
    return 0


def _language_model() -> Any:
    """The model when ``LLM_MODEL`` is set (ConfigurationError, exit 2, when its provider package
    is missing); None, with nothing imported, otherwise."""
    if not os.environ.get("LLM_MODEL", "").strip():
        return None
    from adapters.chat import language_model_from_env

    return language_model_from_env()


def _phrased(reply: Any, question: str, llm: Any) -> Any:
    """``reply`` reworded by the model from its cited entries, as the service does; the reply
    unchanged when the model fails or cites what it was not given."""
    import asyncio

    from bot.conversation import clean_text

    async def phrase() -> Any:
        try:
            replies, _ = await llm.phrase(
                [reply], question=clean_text(question), answers={}, budget=llm.budget(),
                context={"platform": "cli", "event_id": "ask"},
            )
            return replies[0]
        finally:
            await llm.aclose()

    return asyncio.run(phrase())


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.answers import answer_question
    from knowledge import default_index

    llm = _language_model()
    reply = answer_question(args.question, default_index())
    if llm is not None:
        reply = _phrased(reply, args.question, llm)
    if args.json:
        print(json.dumps({"answer": reply.text, "citations": [c.to_json() for c in reply.citations]}, indent=2))
    else:
        print(reply.plain_text())
    return 0


def cmd_kb(args: argparse.Namespace) -> int:
    from knowledge import default_knowledge_base

    kb = default_knowledge_base()
    if args.action == "show":
        return _kb_show(kb, args)
    if args.action is not None:
        raise InvalidAnswers(f"unknown kb action {args.action!r}: to read an entry, `kb show {args.action}`")
    if args.json:
        print(json.dumps([
            {"id": e.id, "title": e.title, "section": e.section, "stance": e.stance, "factors": list(e.factors)}
            for e in kb.entries
        ], indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Knowledge base: {len(kb)} entries, valid", caption="Read one: finetune-advisor kb show ID")
    table.add_column("id", no_wrap=True)
    for column in ("title", "section", "stance"):
        table.add_column(column)
    for e in kb.entries:
        table.add_row(e.id, e.title, e.section, e.stance)
    console = Console() if sys.stdout.isatty() else Console(width=200)
    console.print(table)
    return 0


def _kb_show(kb: Any, args: argparse.Namespace) -> int:
    import difflib

    if not args.entry_id:
        raise InvalidAnswers("kb show needs an entry id, e.g. `kb show lower-latency` (`kb` lists them)")
    entry = kb.find(args.entry_id.strip())
    if entry is None:
        ids = [e.id for e in kb.entries]
        close = difflib.get_close_matches(args.entry_id, ids, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `kb` lists the ids"
        raise InvalidAnswers(f"no knowledge entry {args.entry_id!r}{hint}")
    if args.json:
        print(json.dumps({
            "id": entry.id, "title": entry.title, "section": entry.section, "stance": entry.stance,
            "factors": list(entry.factors), "summary": entry.summary, "body": entry.body,
        }, indent=2))
        return 0
    print(f"{entry.title} ({entry.id})\nSection: {entry.section}\nFactors: {', '.join(entry.factors) or '-'}"
          f" · stance: {entry.stance}\n\n{entry.body}")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from adapters.chat import run_chat

    return run_chat(session=args.session, out=args.out)


def _check_metrics_dir() -> None:
    # adapters.metrics.MULTIPROC_ENV, spelt out: prometheus-client reads it when adapters.metrics
    # is first imported and fails with a bare FileNotFoundError, so this runs before that import.
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory and not os.path.isdir(directory):
        raise ConfigurationError(f"PROMETHEUS_MULTIPROC_DIR={directory!r} is not an existing directory")


def cmd_serve(args: argparse.Namespace) -> int:
    _check_metrics_dir()
    from adapters.logs import configure
    from adapters.server import serve
    from adapters.settings import load_settings

    overrides = {k: v for k, v in (("HOST", args.host), ("PORT", args.port)) if v is not None}
    if args.workers < 1:
        raise ConfigurationError(f"--workers must be 1 or more, got {args.workers}")
    settings = load_settings(**overrides)
    configure(settings.log_level)
    serve(settings, workers=args.workers)
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    if args.action is None:
        args.print_help()
        return 0
    from adapters.config_check import report
    from adapters.settings import load_settings

    print(report(load_settings()))
    return 0


def cmd_teams_package(args: argparse.Namespace) -> int:
    from adapters.teams.package import build_package

    try:
        path = build_package(args.app_id, Path(args.out), host=args.host)
    except (ValueError, OSError) as exc:
        raise ConfigurationError(str(exc)) from None
    print(path)
    return 0


COMMANDS = {"teams-package": cmd_teams_package, "config": cmd_config, "chat": cmd_chat, "ask": cmd_ask, "recommend": cmd_recommend, "kb": cmd_kb, "serve": cmd_serve}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except InvalidAnswers as exc:
        print(f"finetune-advisor: {exc}", file=sys.stderr)
        return 2
    except KnowledgeBaseError as exc:
        print(f"finetune-advisor: knowledge base invalid: {exc}", file=sys.stderr)
        return 1
    except ConfigurationError as exc:
        print(f"finetune-advisor: {exc}", file=sys.stderr)
        return 2
    except AdvisorError as exc:
        print(f"finetune-advisor: {exc.user_message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `| head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
