"""Named entities from the segmenter's part-of-speech tags, checked by the shape of Chinese names.

The segmenter's dictionary tags many ordinary words as names (`严格执行/nr`, `加大力度/ns`), so a tag
is only a candidate: a person's name must begin with a surname and be two to four characters long, a
place must end in a place suffix, an organisation in an organisation suffix, and generic words such as
`人民政府` without a place before them are not names.
"""

from __future__ import annotations

import re

from corpus_site.model import EntryKind

SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
    "查麻苑迟邝代"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "西门")
PLACE_SUFFIXES = (
    "省", "市", "县", "区", "镇", "乡", "村", "州", "国", "京", "岛", "山", "河", "江", "湖", "街道",
    "盟", "旗", "港", "洲", "湾", "城", "屯", "寨", "社区",
)  # fmt: skip
ORGANIZATION_SUFFIXES = (
    "中央", "国务院", "政府", "委员会", "党委", "党工委", "党组", "人大", "政协", "法院", "检察院", "公安局",
    "院", "部", "委", "局", "厅", "办", "署", "会", "公司", "集团", "大学", "学院", "学校", "医院", "银行",
    "支队", "大队", "中队", "中心", "协会", "学会", "联合会", "研究所", "所", "站", "社",
)  # fmt: skip
_NOT_A_NAME_START = frozenset("各全本该我这那其此某")
GENERIC = frozenset(
    [
        "人民政府",
        # Words for countries that name none: `王国` (a kingdom), `祖国`, `外国`.
        "王国",
        "帝国",
        "祖国",
        "外国",
        "两国",
        "大国",
        "强国",
        "邻国",
        "他国",
        "异国",
        "党委政府",
        "党组织",
        "党委",
        "政府",
        "党中央",
        "各部门",
        "有关部门",
        "委员会",
        "城市",
        "中心",
        "全国",
        "全省",
        "全市",
        "全县",
        "地方",
        "社区",
        "农村",
        "乡镇",
        "街道",
        "基层",
        "机关",
        "单位",
        "企业",
        "学校",
        "医院",
        "部门",
    ]
) - {"党中央"}


def entity_kind(word: str, pos: str) -> EntryKind | None:
    """The kind of entity a tagged word names, or None when it is not a credible name."""
    if not word or word[0] in _NOT_A_NAME_START or word in GENERIC or not _all_han(word):
        return None
    if pos in ("nr", "nrfg", "nrt"):
        return EntryKind.PERSON if is_person_name(trim_name(word)) else None
    if pos == "ns":
        return EntryKind.PLACE if _has_suffix(word, PLACE_SUFFIXES) and not word.endswith("城市") else None
    if pos == "nt":
        return EntryKind.ORGANIZATION if len(word) >= 3 and _has_suffix(word, ORGANIZATION_SUFFIXES) else None
    return None


_COMPOUND_PLACE = re.compile(r"^(?P<larger>\w{2,}?(?:省|市|自治区))(?P<within>\w{2,})$")


def place_parts(word: str) -> tuple[str, ...]:
    """A place named with the larger one holding it, as the segmenter may leave it in one word, in its
    parts: `上海市浦东新区` → `上海市`, `浦东新区`; `济南市市中区` → `济南市`, `市中区`."""
    match = _COMPOUND_PLACE.match(word)
    if match is None or not _has_suffix(match["within"], PLACE_SUFFIXES):
        return (word,)
    return (match["larger"], *place_parts(match["within"]))


_TITLES = (
    "书记", "副书记", "主任", "局长", "县长", "市长", "省长", "区长", "镇长", "乡长", "村长", "部长", "厅长",
    "处长",
    "科长", "主席", "委员", "总理", "总书记", "支队长", "大队长", "队长", "院长", "校长", "董事长", "总经理",
    "经理", "记者", "通讯员", "教授", "专家", "代表", "同志", "先生", "女士", "政委", "主任委员",
)  # fmt: skip
_NAME_CUES = (
    "同志", "出席", "表示", "强调", "指出", "主持", "讲话", "说", "要求", "介绍", "参加", "带队", "率队",
    "一行",
    "在会上", "作了", "认为", "提出", "希望", "调研", "检查", "致辞", "宣布",
)  # fmt: skip


def _names_a_person(before: str, after: str) -> bool:
    """A title just before (`副市长`), or a speech verb or title just after, `常务`/`副` allowed first."""
    after = after.removeprefix("常务").removeprefix("副")
    return before.endswith(_TITLES) or after.startswith(_NAME_CUES + _TITLES)


def is_person_in_context(name: str, text: str) -> bool:
    """True when, somewhere in `text`, the name follows a title or comes before a speech verb or title.

    The segmenter's dictionary tags many common words as names (`杜绝/nr`); a real name in a news report
    is nearly always introduced by a title (`副市长张帆`) or does something (`张帆强调`).
    """
    start = text.find(name)
    while start >= 0:
        # Spaces apart, as in a byline: `（记者 张伟 通讯员 李娜）`.
        before = text[max(0, start - 6) : start].rstrip()
        after = text[start + len(name) : start + len(name) + 5].lstrip()
        if _names_a_person(before, after):
            return True
        start = text.find(name, start + 1)
    return False


def _introduced(tagged: list[tuple[str, str]], surname: int, given: int) -> bool:
    """True when the words around a surname and a given name mark them as a person: a title before
    (`副市长 孙 国庆`) or a title or speech verb after (`黄 建国 出席`)."""
    before = tagged[surname - 1][0] if surname > 0 else ""
    after = tagged[given + 1][0] if given + 1 < len(tagged) else ""
    return _names_a_person(before, after)


def merge_surnames(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join a lone surname onto the given name after it: `张/q 高潮/nr` → `张高潮/nr`, and
    `孙/zg 国庆/t` → `孙国庆/nr` where a title or a speech verb stands beside them."""
    joins = [
        i
        for i, (word, pos) in enumerate(tagged)
        if i
        and tagged[i - 1][0] in SURNAMES
        and len(word) <= 2
        and _HAN_ONLY.fullmatch(word)
        and (pos[:2] == "nr" or _introduced(tagged, i - 1, i))
    ]
    joined = set(joins)
    joins = [i for i in joins if i - 1 not in joined]  # a surname is joined once
    if not joins:
        return tagged
    merged = list(tagged)
    for i in reversed(joins):
        merged[i - 1 : i + 1] = [(tagged[i - 1][0] + tagged[i][0], "nr")]
    return merged


_FUNCTION_TAGS = frozenset("b c d e f m o p q r t u v x y uj ul uz ug uv ud".split())
"""Tags of words that are no part of a name: distinguishing words (`副`), conjunctions, adverbs,
localisers, numerals, prepositions, measure words, pronouns, times, particles, verbs, interjections
(`刘海/nr 还/d 强调`, `王强/nr 副/b 市长`)."""


_NAME_LIKE_TAGS = frozenset({"ns", "nz", "nt", "j", "ng", "zg"})
"""Tags the segmenter gives a name it did not know as one: another kind of name, an abbreviation or a
morpheme (`苏海/ns`, `王国/ns 材/zg`); a common word (`任期/n 内`) is never taken for a name."""


def complete_names(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Mend the names the segmenter cut, where a title or speech verb marks a person: a two-character
    name cut before its last character (`副局长 刘海/nr 波/j`, `刘海/nr 波/j 主持会议` → `刘海波/nr`),
    and a name tagged as another word between a title and a speech verb (`市长 苏海/ns 出席会议` →
    `苏海/nr`)."""
    mended: list[tuple[str, str]] = []
    i = 0
    while i < len(tagged):
        word, pos = tagged[i]
        before = mended[-1][0] if mended else ""
        if _cut_before_last(tagged, i):
            mended.append((word + tagged[i + 1][0], "nr"))
            i += 2
            continue
        after = tagged[i + 1][0] if i + 1 < len(tagged) else ""
        if _named_between(word, pos, before, after):
            pos = "nr"
        mended.append((word, pos))
        i += 1
    return mended


def _cut_before_last(tagged: list[tuple[str, str]], i: int) -> bool:
    """True at `姓名/nr 字/j` after a title or before a speech verb or title: the lone character
    ends the name. Two characters the segmenter took for another word (`交通部长 王国/ns 材 表示`)
    need both, a title before and a speech verb or title after."""
    if i + 1 >= len(tagged):
        return False
    (word, pos), (last, last_pos) = tagged[i : i + 2]
    before = tagged[i - 1][0] if i else ""
    after = tagged[i + 2][0] if i + 2 < len(tagged) else ""
    if pos[:2] == "nr":
        introduced = _names_a_person(before, after)
    else:
        introduced = pos in _NAME_LIKE_TAGS and before.endswith(_TITLES) and _names_a_person("", after)
    return (
        introduced
        and len(word) == 2
        and word[0] in SURNAMES
        and _HAN_ONLY.fullmatch(word) is not None
        and len(last) == 1
        and _HAN_ONLY.fullmatch(last) is not None
        and last not in _VERB_AFTER_NAME
        and last_pos not in _FUNCTION_TAGS
    )


def _named_between(word: str, pos: str, before: str, after: str) -> bool:
    """True for a word that reads as a name, tagged as another word, with a title before it and a
    speech verb or title after it."""
    return (
        pos in _NAME_LIKE_TAGS
        and is_person_name(word)
        and _HAN_ONLY.fullmatch(word) is not None
        and before.endswith(_TITLES)
        and _names_a_person("", after)
    )


_VERB_AFTER_NAME = frozenset("作在说是和与到对等为就也都")
"""Characters that, glued after a two-character name by the segmenter, begin what the person does."""


def trim_name(word: str) -> str:
    """`刘洋作` (from 刘洋作动员讲话) → `刘洋`: a verb's first character glued onto a name."""
    if len(word) == 3 and word[0] in SURNAMES and word[2] in _VERB_AFTER_NAME:
        return word[:2]
    return word


def is_person_name(word: str) -> bool:
    """Two to four Han characters beginning with a surname (four only after a compound surname)."""
    if word.startswith(COMPOUND_SURNAMES):
        return 3 <= len(word) <= 4
    return 2 <= len(word) <= 3 and word[0] in SURNAMES


def _has_suffix(word: str, suffixes: tuple[str, ...]) -> bool:
    return any(word.endswith(suffix) and len(word) > len(suffix) for suffix in suffixes)


_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def _all_han(word: str) -> bool:
    return _HAN_ONLY.fullmatch(word) is not None
