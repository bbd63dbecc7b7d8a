"""The shapes of Slack payloads, checked before Bolt or a listener reads them.

One schema per payload kind (pydantic ``TypedDict``s in strict mode: no coercion, unknown keys
ignored and not copied). A schema declares every field that Bolt's context builder and
listener matchers (``slack_bolt.request.internals``, ``listener_matcher.builtins``) or our
translators (``events.py``) read, with the type they assume; a payload whose field has another
type, or lacks a required one, is refused with the field's dotted path. So no payload reaches
Bolt's matchers in a shape that can crash them, and no turn dies after the ack.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Union

from pydantic import StringConstraints, TypeAdapter, ValidationError
from typing_extensions import Required, TypedDict

Str = Union[str, None]
#: A Slack id (user, team, channel, enterprise) or message timestamp: they go into conversation
#: keys and block_ids (255 characters at most), so they are bounded here. Slack's are under 32.
Id = Annotated[str, StringConstraints(max_length=64)]
OptId = Union[Id, None]


class _Ref(TypedDict, total=False):
    """``user`` / ``team`` / ``channel`` / ``enterprise`` as an object."""

    id: OptId
    team_id: OptId
    enterprise_id: OptId


IdRef = Union[Id, _Ref, None]


class _Authorization(TypedDict, total=False):
    enterprise_id: Str
    team_id: Str
    user_id: Str
    is_enterprise_install: Union[bool, None]


class _MessageRef(TypedDict, total=False):
    user: IdRef
    ts: OptId
    thread_ts: OptId
    bot_id: Str
    subtype: Str


class _ResponseUrl(TypedDict, total=False):
    response_url: Str


class _Common(TypedDict, total=False):
    """Fields any payload may carry, as Bolt's context builder reads them."""

    type: str
    token: Str
    api_app_id: Str
    team_id: OptId
    enterprise_id: OptId
    user_id: OptId
    channel_id: OptId
    thread_ts: OptId
    is_enterprise_install: Union[bool, str, None]
    is_ext_shared_channel: Union[bool, None]
    enterprise: IdRef
    team: IdRef
    user: IdRef
    channel: IdRef
    authorizations: Union[list[_Authorization], None]
    response_url: Str
    response_urls: Union[list[_ResponseUrl], None]
    trigger_id: Str
    message: Union[_MessageRef, None]
    previous_message: Union[_MessageRef, None]
    function_execution_id: Str
    bot_access_token: Str
    function_data: Union[dict[str, Any], None]
    workflow_step: Union[dict[str, Any], None]


# --- interactivity ----------------------------------------------------------------------------


class _Action(TypedDict, total=False):
    action_id: Required[str]
    block_id: Union[Annotated[str, StringConstraints(max_length=255)], None]
    type: Str
    value: Str
    action_ts: OptId


class _Container(TypedDict, total=False):
    type: Str
    message_ts: OptId
    channel_id: OptId
    is_ephemeral: Union[bool, None]
    view_id: Str


class _ActingUser(TypedDict, total=False):
    id: Required[Id]
    team_id: OptId


class _View(TypedDict, total=False):
    id: Str
    type: Required[str]
    callback_id: Str
    team_id: Str
    app_installed_team_id: Str


class _SubmittedView(_View, total=False):
    callback_id: Required[str]  # type: ignore[misc]


class BlockActions(_Common, total=False):
    user: Required[_ActingUser]  # type: ignore[misc]
    actions: Required[list[_Action]]
    container: Union[_Container, None]
    view: Union[_View, None]


class ViewPayload(_Common, total=False):
    """``view_submission`` and ``view_closed``."""

    view: Required[_SubmittedView]  # type: ignore[misc]


class CallbackPayload(_Common, total=False):
    """Shortcuts, message actions, dialogs, attachment actions, workflow step edits."""

    callback_id: Required[str]


class BlockSuggestion(_Common, total=False):
    action_id: Required[str]
    block_id: Str
    view: Union[_View, None]


# --- Events API ---------------------------------------------------------------------------------


class _Event(TypedDict, total=False):
    """Any event: what Bolt's matchers and context builder read."""

    type: Required[str]
    subtype: Str
    user: IdRef
    user_id: OptId
    user_team: OptId
    team: OptId
    channel: IdRef
    channel_type: Str
    ts: OptId
    event_ts: OptId
    thread_ts: OptId
    bot_id: Str
    tab: Str
    callback_id: Str
    item: Union[dict[str, Any], None]
    message: Union[_MessageRef, None]
    previous_message: Union[_MessageRef, None]
    assistant_thread: Union[dict[str, Any], None]
    function_execution_id: Str
    bot_access_token: Str
    inputs: Union[dict[str, Any], None]


class _MessageEvent(_Event, total=False):
    """``message`` and ``app_mention``: what events.from_message / from_mention read."""

    user: OptId  # type: ignore[misc]
    channel: Required[Id]  # type: ignore[misc]
    ts: Required[Id]  # type: ignore[misc]
    text: Str


class _HomeEvent(_Event, total=False):
    user: OptId  # type: ignore[misc]


class EventCallback(_Common, total=False):
    event: Required[_Event]
    event_id: Str
    event_time: Union[int, float, None]


class MessageCallback(EventCallback, total=False):
    event: Required[_MessageEvent]  # type: ignore[misc]


class HomeCallback(EventCallback, total=False):
    event: Required[_HomeEvent]  # type: ignore[misc]


class UrlVerification(TypedDict, total=False):
    type: Required[str]
    challenge: Required[str]


class Command(TypedDict, total=False):
    command: Required[str]
    user_id: Required[Id]
    channel_id: Required[Id]
    team_id: OptId
    text: Str
    response_url: Str
    trigger_id: Str


_INTERACTIONS: dict[str, type] = {
    "block_actions": BlockActions,
    "view_submission": ViewPayload,
    "view_closed": ViewPayload,
    "shortcut": CallbackPayload,
    "message_action": CallbackPayload,
    "interactive_message": CallbackPayload,
    "dialog_submission": CallbackPayload,
    "dialog_cancellation": CallbackPayload,
    "dialog_suggestion": CallbackPayload,
    "workflow_step_edit": CallbackPayload,
    "block_suggestion": BlockSuggestion,
}
_EVENTS: dict[str, type] = {"message": MessageCallback, "app_mention": MessageCallback, "app_home_opened": HomeCallback}


@cache
def _adapter(schema: type) -> TypeAdapter[Any]:
    return TypeAdapter(schema)


def _where(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    path = ".".join(str(part) for part in first["loc"])
    return f"{path or 'body'} ({first['msg'].lower()})"


def _check(schema: type, data: dict[str, Any]) -> str | None:
    try:
        _adapter(schema).validate_python(data, strict=True)
    except ValidationError as exc:
        return _where(exc)
    return None


def _schema_of(kind: str, data: dict[str, Any]) -> tuple[str, type]:
    if kind == "command":
        return "command", Command
    payload_type = str(data["type"])
    if kind == "event":
        if payload_type == "url_verification":
            return payload_type, UrlVerification
        if payload_type == "event_callback":
            event = data.get("event")
            event_type = event.get("type") if isinstance(event, dict) else None
            schema = _EVENTS.get(event_type, EventCallback) if isinstance(event_type, str) else EventCallback
            return f"event_callback ({event_type if isinstance(event_type, str) else '?'})", schema
        return payload_type, _Common
    return payload_type, _INTERACTIONS.get(payload_type, _Common)


def problem(kind: str, data: dict[str, Any]) -> str | None:
    """Why ``data`` (an ``event`` JSON body, an ``interaction`` payload or a ``command`` form)
    cannot be handed to Bolt, naming the field; None when its shape is sound."""
    if kind != "command" and not (isinstance(data.get("type"), str) and data["type"]):
        return f"{kind} payload: type (missing, empty or not a string)"
    name, schema = _schema_of(kind, data)
    found = _check(schema, data)
    if found is None and kind == "interaction" and data.get("type") == "block_actions" and not data.get("actions"):
        found = "actions (empty)"
    if found is None and kind == "command":
        blank = [field for field in ("command", "user_id", "channel_id") if not data.get(field)]
        found = f"{blank[0]} (empty)" if blank else None
    return f"{name}: {found}" if found else None
