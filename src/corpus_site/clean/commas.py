"""collapse_comma_damage: `,,` `， ，` → `，`; a comma set before another mark (`,、` `,;` `,。`) → that mark.

A full stop or an enumeration comma doubled by the same damage (`。 。`, `、、`) is collapsed too, and
an enumeration comma before a full stop (`、。`) gives way to it. No paragraph opens with a comma:
one there goes.
"""

from __future__ import annotations

import re

from corpus_site.clean.base import Changes, Context, Step, per_line, sub_noting
from corpus_site.model import Line

NAME = "collapse_comma_damage"
_BEFORE_MARK = re.compile("[,，]+(?=[、；;。：:！!？?])")
_AFTER_MARK = re.compile("(?<=[、；。：！？:;!?])[,，]+")
_DOUBLED = re.compile("[,，](?:\\s*[,，])+")
_DOUBLED_SEMICOLON = re.compile("[;；](?:\\s*[;；])+")
_DOUBLED_COLON = re.compile("(?:：\\s*[：:]|:\\s*：)[：:]*")  # a full-width one: `10::30` stays
_DOUBLED_STOP = re.compile("。(?:\\s*。)+")
_DOUBLED_PAUSE = re.compile("、{2,}")
_PAUSE_BEFORE_STOP = re.compile("、+(?=[。！？；])")
_AT_START = re.compile("^\\s*[,，、]+\\s*")


def _fix(text: str) -> tuple[str, Changes]:
    changes: Changes = []
    text = sub_noting(_BEFORE_MARK, "", text, changes)
    text = sub_noting(_AFTER_MARK, "", text, changes)
    text = sub_noting(_DOUBLED, "，", text, changes)
    text = sub_noting(_DOUBLED_SEMICOLON, "；", text, changes)
    text = sub_noting(_DOUBLED_COLON, "：", text, changes)
    text = sub_noting(_DOUBLED_STOP, "。", text, changes)
    text = sub_noting(_DOUBLED_PAUSE, "、", text, changes)
    text = sub_noting(_PAUSE_BEFORE_STOP, "", text, changes)
    text = sub_noting(_AT_START, "", text, changes)
    return text, changes


def collapse_comma_damage(lines: tuple[Line, ...], context: Context) -> Step:
    """Repair commas doubled or set beside another punctuation mark."""
    return per_line(NAME, _fix, lines)
