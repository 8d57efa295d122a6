"""Metadata read from whole files: bylines in their common forms, and titles inferred past datelines."""

from __future__ import annotations

import pytest

from corpus_site.clean import Context
from corpus_site.clean.metadata import parse_metadata_line
from corpus_site.decode import decode
from corpus_site.loader import load_document
from corpus_site.titles import infer_title


def _load(text: str) -> tuple[str, str | None, dict[str, str], str]:
    document = load_document("doc", "doc.txt", decode(text.encode()), Context()).document
    assert document is not None
    meta = document.metadata
    return meta.title, meta.author, meta.extra, document.paragraphs[0].text


@pytest.mark.parametrize(
    ("text", "author", "extra"),
    [
        ("某县召开会议\n文/张三\n会议要求压实责任。\n", "张三", {}),
        ("某县召开会议\n文 | 李四 图 | 王五\n会议要求压实责任。\n", "李四", {"photographer": "王五"}),
        ("某县召开会议\n文/图 赵六\n会议要求压实责任。\n", "赵六", {}),
        ("某县召开会议\n本报记者 周九 吴十\n会议要求压实责任。\n", "周九、吴十", {}),
        ("某县召开会议\n来源：某某日报 作者：记者 陈晨\n会议要求压实责任。\n", "陈晨", {}),
        ("某县召开会议\n（記者 孫八）近日，某縣召開會議。\n", "孙八", {}),
        ("某县召开会议\n〔記者孫八／台北報導〕近日，某縣召開會議。\n", "孙八", {}),
        ("某县召开会议\n本报讯（通讯员 郑一）近日，某县召开会议。\n", "郑一", {}),
        ("某县召开会议\n新华社北京3月5日电（记者 周九 吴十）今天上午，某会议开幕。\n", "周九、吴十", {}),
    ],
)
def test_bylines(text: str, author: str, extra: dict[str, str]) -> None:
    _, found_author, found_extra, first = _load(text)
    assert found_author == author
    assert found_extra == extra
    assert first.endswith("。")


def test_a_bracketed_byline_stays_in_the_body_with_its_space() -> None:
    _, author, _, first = _load("某区推进垃圾分类\n（记者 孙八）近日，某区推进垃圾分类工作。\n")
    assert author == "孙八"
    assert first == "（记者 孙八）近日，某区推进垃圾分类工作。"


@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("全市重点项目集中开工\n全市举行开工仪式，总投资达320亿元。（记者 吴刚）\n", "吴刚"),
        ("全市重点项目集中开工\n全市举行开工仪式。\n共有56个项目开工。（記者 吳剛 通訊員 李強）\n", "吴刚"),
        ("全市重点项目集中开工\n全市举行开工仪式。\n会议由县长主持（记者会另行通知）。\n", None),
    ],
)
def test_a_bracketed_byline_closing_the_text_names_its_reporter(text: str, author: str | None) -> None:
    _, found, _, _ = _load(text)
    assert found == author


def test_an_opening_byline_wins_over_a_closing_one() -> None:
    _, author, _, _ = _load("某区推进垃圾分类\n（记者 孙八）近日，某区推进垃圾分类工作。（通讯员 李四）\n")
    assert author == "孙八"


def test_a_bracketed_byline_without_spaces_names_its_reporters() -> None:
    _, author, _, _ = _load(
        "某区推进垃圾分类\n本报北京5月7日电（记者王浩、李明）近日，某区推进垃圾分类工作。\n"
    )
    assert author == "王浩、李明"


def test_a_sentence_after_a_key_is_not_an_author() -> None:
    _, author, _, first = _load("（记者 孙八 近日，某区推进垃圾分类工作，取得明显成效。\n")
    assert author is None
    assert first.startswith("（记者")


@pytest.mark.parametrize(
    ("paragraph", "title"),
    [
        ("本报讯（记者 张三）近日，某县举办消防培训。", "某县举办消防培训"),
        ("新华社北京3月5日电（记者 李四）今天上午，全国会议在北京开幕。", "全国会议在北京开幕"),
        (
            "11月3日上午，某县召开安全生产工作会议，部署冬季安全生产工作。",
            "某县召开安全生产工作会议，部署冬季安全生产工作",
        ),
        ("（一）加强组织领导。", "（一）加强组织领导"),
        ("央视网消息（新闻联播）：5月8日，全国安全生产工作会议召开。", "全国安全生产工作会议召开"),
    ],
)
def test_inferred_titles_skip_datelines(paragraph: str, title: str) -> None:
    assert infer_title(paragraph) == title


def test_a_word_ending_in_a_dateline_character_is_kept() -> None:
    assert infer_title("供电公司召开安全生产会议。") == "供电公司召开安全生产会议"


@pytest.mark.parametrize(
    ("line", "date", "source"),
    [
        ("2022年08月03日 來源：縣委辦", "2022-08-03", "县委办"),
        ("2023-02-15 10:32  来源：人民网-人民日报", "2023-02-15", "人民网-人民日报"),
        ("来源：新华网 2023-02-15 09:30", "2023-02-15", "新华网"),
        ("作者：张三　来源：市政府办公室　2021年11月17日", "2021-11-17", "市政府办公室"),
    ],
)
def test_a_date_without_a_key_beside_the_fields(line: str, date: str, source: str) -> None:
    document = load_document(
        "doc", "doc.txt", decode(f"某县召开会议\n{line}\n会议要求压实责任。\n".encode()), Context()
    ).document
    assert document is not None
    assert (document.metadata.date, document.metadata.source) == (date, source)
    assert [p.text for p in document.paragraphs] == ["会议要求压实责任。"]


@pytest.mark.parametrize("line", ["会议于3月召开 来源：某某", "作者：李四 2023"])
def test_a_line_with_more_than_a_date_before_its_keys_is_not_a_date(line: str) -> None:
    assert "date" not in (parse_metadata_line(line) or {})


def test_a_post_header_gives_author_source_and_date() -> None:
    fields = parse_metadata_line("原創 張小北 某某發佈 2023-05-06 18:30 發表於雲南")
    assert fields == {"author": "张小北", "source": "某某发布", "date": "2023-05-06"}


@pytest.mark.parametrize("line", ["发布者：县政府办", "供稿单位：县政府办", "信息提供：县政府办"])
def test_other_keys_for_the_source(line: str) -> None:
    assert parse_metadata_line(line) == {"source": "县政府办"}


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        (
            "发布者：admin  发布时间：2021-11-17 18:50:12  信息来源：市应急管理局",
            {"date": "2021-11-17", "source": "市应急管理局"},
        ),
        (
            "时间：2021年11月17日 来源：本站原创 作者：管理员 阅读：1234次",
            {"date": "2021-11-17", "views": "1234"},
        ),
        ("來源：網絡", {}),
    ],
)
def test_a_source_that_names_no_outlet_is_metadata_of_nothing(line: str, fields: dict[str, str]) -> None:
    """The site itself, or the web at large, is no outlet: a later key may name one."""
    assert parse_metadata_line(line) == fields


def test_a_labelled_title_keeps_its_comma() -> None:
    assert parse_metadata_line("标题：坚持人民至上，推动高质量发展") == {
        "title": "坚持人民至上，推动高质量发展"
    }
    assert parse_metadata_line("标题：会议召开。会议要求各单位落实责任。") is None


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("发布时间：2023年3月5日 10时20分", "2023-03-05"),
        ("发布时间：2023年3月5日10:20:33", "2023-03-05"),
        ("时间：2023年05月05日 星期五 上午 10:00", "2023-05-05"),
        ("日期：2023-03-05（周日）", "2023-03-05"),
        ("发布时间：2021-11-17T18:50:00+08:00", "2021-11-17"),
        ("发布日期：2021-11-17T18:50:00.000Z", "2021-11-17"),
    ],
)
def test_a_date_field_may_hold_a_time_and_a_weekday(line: str, date: str) -> None:
    assert parse_metadata_line(line) == {"date": date}


@pytest.mark.parametrize(
    ("name", "text", "date"),
    [
        ("2023-05-08_会议.txt", "全县召开会议\n5月8日，全县召开防汛工作会议。\n", "2023-05-08"),
        ("20230508.txt", "全县召开会议\n全县召开防汛工作会议。\n", "2023-05-08"),
        ("2023-05-08_会议.txt", "全县召开会议\n6月1日，全县召开防汛工作会议。\n", "--06-01"),
        ("2023-05-08_会议.txt", "全县召开会议\n2022年5月8日，全县召开会议。\n", "2022-05-08"),
    ],
)
def test_a_date_in_the_file_name(name: str, text: str, date: str) -> None:
    """It dates a text that states no date, and gives the year to one on the same day; a date the
    text states otherwise wins."""
    loaded = load_document("doc", name, decode(text.encode()), Context())
    assert loaded.document is not None
    assert loaded.document.metadata.date == date


def test_an_editors_credit_after_the_last_sentence_names_the_editor() -> None:
    document = load_document(
        "doc",
        "doc.txt",
        decode("某县召开会议\n会议要求，各地要压实责任。（責任編輯：張三）\n".encode()),
        Context(),
    ).document
    assert document is not None
    assert document.metadata.editor == "张三"
    assert document.paragraphs[-1].text == "会议要求，各地要压实责任。"


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("记者：张三", {"author": "张三"}),
        ("記者：張三、李四", {"author": "張三、李四"}),
        ("记者：买买提·艾力", {"author": "买买提·艾力"}),
        (
            "点击数:9049 记者 周 敏 文章来源:临江新闻网",
            {"views": "9049", "author": "周 敏", "source": "临江新闻网"},
        ),
        ("记者：下一步有什么打算", None),
    ],
)
def test_names_after_the_reporters_key_or_no_byline(line: str, fields: dict[str, str] | None) -> None:
    assert parse_metadata_line(line) == fields


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("🔥重磅！市消防救援支队发布冬季火灾防范提示🔥", "重磅！市消防救援支队发布冬季火灾防范提示"),
        ("★全县召开防汛工作会议★", "全县召开防汛工作会议"),
        ("⚠️ 防汛预警", "防汛预警"),
    ],
)
def test_a_posts_title_without_the_emoji_around_it(first_line: str, title: str) -> None:
    found_title, _, _, first = _load(f"{first_line}\n冬季气候干燥，火灾风险明显上升。\n")
    assert found_title == title
    assert first == "冬季气候干燥，火灾风险明显上升。"


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("来源丨平安临江", {"source": "平安临江"}),
        ("文丨张三 图丨李四", {"author": "张三", "photographer": "李四"}),
        ("图文来源：临江发布", {"source": "临江发布"}),
        ("本文转载自微信公众号“平安临江”", {"source": "平安临江"}),
        ("文章转载自人民网", {"source": "人民网"}),
        ("本文转自：临江发布", {"source": "临江发布"}),
        ("本文来自网络", {}),
    ],
)
def test_a_posts_credits_and_where_it_was_reprinted_from(line: str, fields: dict[str, str]) -> None:
    """Posts set keys apart with the character 丨, and say where a text was reprinted from unkeyed."""
    assert parse_metadata_line(line) == fields


@pytest.mark.parametrize(
    "line", ["临政办发〔2023〕12号", "臨政辦發〔2023〕12號", "某安委〔2022〕3号", "国办发[2021]36号"]
)
def test_an_official_documents_number_alone_on_a_line(line: str) -> None:
    assert parse_metadata_line(line) == {"document_number": line}


def test_an_official_document_under_its_issuers_mark() -> None:
    text = (
        "临江区人民政府办公室文件\n临政办发〔2023〕12号\n"
        "临江区人民政府办公室关于做好安全生产工作的通知\n各单位：\n现将有关事项通知如下。\n"
    )
    document = load_document("doc", "doc.txt", decode(text.encode()), Context()).document
    assert document is not None
    assert document.metadata.title == "临江区人民政府办公室关于做好安全生产工作的通知"
    assert document.metadata.extra == {"document_number": "临政办发〔2023〕12号"}
    assert [p.text for p in document.paragraphs] == ["各单位：", "现将有关事项通知如下。"]
