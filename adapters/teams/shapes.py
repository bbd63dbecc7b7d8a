"""The shape of an inbound Activity, checked before msrest or the bot reads it.

A pydantic ``TypedDict`` in strict mode (no coercion; unknown keys ignored, not copied) that
declares every field the endpoint, botbuilder's handler dispatch and ``events.py`` read, with
the type they assume. A wrong type or a missing required field is refused naming the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import StringConstraints, TypeAdapter, ValidationError
from typing_extensions import Required, TypedDict

Str = Union[str, None]
#: Ids go into conversation keys (Redis keys): bounded. Teams' longest, a channel thread's
#: conversation id, is under 200 characters.
Id = Annotated[str, StringConstraints(max_length=512)]
OptId = Union[Id, None]


class _Account(TypedDict, total=False):
    id: OptId
    name: Str
    aadObjectId: OptId
    role: Str


class _Conversation(TypedDict, total=False):
    id: Required[Id]
    conversationType: Str
    tenantId: OptId
    isGroup: Union[bool, None]
    name: Str


class _Ref(TypedDict, total=False):
    id: OptId


class _ChannelData(TypedDict, total=False):
    """What events.tenant_id reads (a tenant id goes into conversation keys)."""

    tenant: Union[_Ref, None]


class _Entity(TypedDict, total=False):
    type: Str
    text: Str
    mentioned: Union[_Account, None]


#: Functional syntax: ``from`` is a Python keyword.
Activity = TypedDict("Activity", {
    "type": Required[str],
    "id": OptId,
    "serviceUrl": Required[str],
    "channelId": Str,
    "timestamp": Str,
    "locale": Str,
    "text": Str,
    "textFormat": Str,
    "replyToId": OptId,
    "action": Str,
    "name": Str,
    "from": Union[_Account, None],
    "recipient": Union[_Account, None],
    "conversation": Required[_Conversation],
    "entities": Union[list[_Entity], None],
    "channelData": Union[_ChannelData, None],
    "membersAdded": Union[list[_Account], None],
    "membersRemoved": Union[list[_Account], None],
    "attachments": Union[list[dict[str, Any]], None],
}, total=False)

_ADAPTER: TypeAdapter[Any] = TypeAdapter(Activity)


class _CardAction(TypedDict, total=False):
    type: Str
    verb: Str
    data: Any


class _AdaptiveCardInvoke(TypedDict, total=False):
    """``invoke`` named ``adaptiveCard/action``: what botbuilder's handler reads of ``value``."""

    action: Union[_CardAction, None]
    authentication: Union[dict[str, Any], None]
    state: Str


_INVOKE_VALUES: dict[str, TypeAdapter[Any]] = {
    "adaptiveCard/action": TypeAdapter(Union[_AdaptiveCardInvoke, None]),
}


def problem(body: dict[str, Any]) -> str | None:
    """Why ``body`` cannot be read as an Activity, naming the field; None when it can."""
    try:
        _ADAPTER.validate_python(body, strict=True)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        return f"{'.'.join(str(part) for part in first['loc']) or 'body'} ({first['msg'].lower()})"
    if body["type"] == "invoke" and body.get("name") in _INVOKE_VALUES:
        try:
            _INVOKE_VALUES[body["name"]].validate_python(body.get("value"), strict=True)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            return f"{'.'.join(['value', *(str(p) for p in first['loc'])])} ({first['msg'].lower()})"
    for name, value in (("type", body["type"]), ("conversation.id", body["conversation"]["id"]),
                        ("serviceUrl", body["serviceUrl"])):
        if not value:
            return f"{name} (empty)"
    return None
