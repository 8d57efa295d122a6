"""Titles inferred from a document's first sentence when it states none."""

from __future__ import annotations

import re

MAX_INFERRED = 40
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE_SPLIT = re.compile(r"[，,；;：:]")
_DATELINE = re.compile(
    r"^(?:[^，。！？（(]{0,20}?(?:[讯电]|消息)(?=[\s（(【：:])[\s：:]*(?:[（(【][^）)】]{0,40}[）)】])?[\s：:]*"
    r"|[（(【][^）)】]{0,40}?(?:记者|通讯员|实习生)[^）)】]{0,40}[）)】])"
)
"""`本报讯（记者 张三）`, `新华社北京3月5日电（记者 李四）`, `央视网消息（新闻联播）：`: who filed the
report, not what happened."""
_LEADING_TIME = re.compile(
    r"^(?:(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|近日|日前|近期|今天|今日|昨天|昨日|本周|上周)"
    r"\s*(?:[上中下]午|晚上?|早上?|凌晨|傍晚|夜间)?\s*[，,]?"
)
_EVENT = re.compile(r"召开|举行|举办|开展|印发|发布|出台|启动|部署|视察|调研|检查|督导|会见|出席|主持")


def _clauses(sentence: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(sentence) if c.strip()]


def infer_title(first_paragraph: str) -> str:
    """A title from the first sentence: its event clause if it has one, else its opening clauses."""
    match = _SENTENCE.match(first_paragraph.strip())
    sentence = (match.group() if match else first_paragraph).rstrip("。！？!?")
    sentence = _LEADING_TIME.sub("", _DATELINE.sub("", sentence).strip()).strip()
    if len(sentence) <= MAX_INFERRED:
        return sentence
    clauses = [_LEADING_TIME.sub("", c).strip() for c in _clauses(sentence)]
    for clause in clauses:
        if _EVENT.search(clause) and 6 <= len(clause) <= MAX_INFERRED:
            return clause
    title = ""
    for clause in clauses:
        candidate = f"{title}，{clause}" if title else clause
        if len(candidate) > MAX_INFERRED:
            break
        title = candidate
    return title or sentence[:MAX_INFERRED] + "…"
