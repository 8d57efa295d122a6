"""The command line through CliRunner, and as a module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus_site import __version__
from corpus_site.cli import cli

from conftest import SEEDS, CorpusMaker, site_tree

DOC = "标题行在这里\n来源：某某网  作者：张三\n2023年5月1日，某县召开会议。\n会议要求，各单位要落实责任。\n"


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_module_entry_point() -> None:
    done = subprocess.run([sys.executable, "-m", "corpus_site", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and __version__ in done.stdout


def test_the_command_flushes_its_output_and_keeps_its_status(tmp_path: Path) -> None:
    """`main` ends the process at once; what it printed and its exit status must survive that."""
    command = [sys.executable, "-m", "corpus_site", "build", "--input", str(SEEDS), "--output"]
    built = subprocess.run([*command, str(tmp_path / "site")], capture_output=True, text=True)
    assert built.returncode == 0 and "Built 5 document(s)" in built.stdout, built.stderr
    assert json.loads((tmp_path / "site" / ".corpus-site").read_text(encoding="utf-8"))["pages"]
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    refused = subprocess.run([*command, str(tmp_path / "taken")], capture_output=True, text=True)
    assert refused.returncode == 1 and "taken" in refused.stderr
    usage = subprocess.run([sys.executable, "-m", "corpus_site", "build", "--jobs", "0"], capture_output=True)
    assert usage.returncode == 2


def test_a_profiled_run_ends_as_usual(tmp_path: Path) -> None:
    """A profiler writes its results as the interpreter ends, which the quick exit would skip."""
    profile = tmp_path / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "corpus_site", "--version"]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0 and __version__ in done.stdout, done.stderr
    assert profile.stat().st_size > 0


def test_build_seeds(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = runner.invoke(cli, ["build", "--input", str(SEEDS), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Built 5 document(s)" in result.output
    assert (out / "index.html").is_file()
    assert len(list((out / "docs").glob("*.html"))) == 5
    lines = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and all(list(json.loads(line)) == sorted(json.loads(line)) for line in lines)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["documents"] == 5 and report["rules"]["strip_pinyin_annotations"] > 0


def test_defaults_are_seeds_to_build(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(DOC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "docs" / "a.html").is_file()


def test_missing_input_is_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["build", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'nope'}: input folder not found"


def test_refuses_an_output_folder_it_did_not_make(
    runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path
) -> None:
    root = make_corpus({"a.txt": DOC})
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    result = runner.invoke(cli, ["build", "--input", str(root), "--output", str(out)])
    assert result.exit_code == 1
    assert "refusing to replace it" in result.output
    assert (out / "thesis.docx").read_bytes() == b"precious"
    assert sorted(p.name for p in out.iterdir()) == ["thesis.docx"]


def test_rebuild_replaces_its_own_output(runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path) -> None:
    root = make_corpus({"a.txt": DOC, "b.txt": DOC.replace("张三", "李四")})
    out = tmp_path / "site"
    assert runner.invoke(cli, ["build", "--input", str(root), "--output", str(out)]).exit_code == 0
    (root / "b.txt").unlink()
    assert runner.invoke(cli, ["build", "--input", str(root), "--output", str(out)]).exit_code == 0
    assert not (out / "docs" / "b.html").exists()
    assert sorted(p.name for p in out.parent.iterdir()) == [".corpus-site-cache", "input", "site"]


def test_a_site_built_inside_the_input_folder_is_no_part_of_the_corpus(
    runner: CliRunner, make_corpus: CorpusMaker
) -> None:
    root = make_corpus({"a.txt": DOC, "b.txt": DOC.replace("张三", "李四")})
    out = root / "site"
    first = runner.invoke(cli, ["build", "--input", str(root), "--output", str(out)])
    assert first.exit_code == 0 and "Built 2 document(s)" in first.output, first.output
    again = runner.invoke(cli, ["build", "--input", str(root), "--output", str(out)])
    assert again.exit_code == 0 and "Up to date: 2 document(s)" in again.output, again.output
    (root / "c.txt").write_text(DOC.replace("张三", "王五"), encoding="utf-8")
    third = runner.invoke(cli, ["build", "--input", str(root), "--output", str(out), "--strict"])
    assert third.exit_code == 0 and "Built 3 document(s)" in third.output, third.output
    assert "site/" not in third.output


def test_bad_files_are_reported_and_the_rest_builds(
    runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path
) -> None:
    root = make_corpus(
        {
            "good.txt": DOC,
            "empty.txt": "",
            "binary.txt": bytes(range(256)) * 8,
            "only-boilerplate.txt": "首页 > 新闻 > 正文\n上一篇：某某\n下一篇：某某\n",
            "one line.txt": "某县召开会议。",
            "中文 名.txt": DOC,
            ".hidden.txt": DOC,
            "nested/deeper/doc.txt": DOC,
            "picture.png": b"\x89PNG",
        }
    )
    out = tmp_path / "site"
    result = runner.invoke(cli, ["build", "--input", str(root), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "empty.txt: error: skipped: empty file" in result.output
    assert "binary.txt: error: skipped: binary data, not text" in result.output
    assert "only-boilerplate.txt: error: no text left after cleaning" in result.output
    assert "picture.png: warning: skipped: not a text document (.png)" in result.output
    built = sorted(p.name for p in (out / "docs").iterdir())
    assert built == ["good.html", "hidden.html", "nested-deeper-doc.html", "one-line.html", "中文-名.html"]


def test_links_in_a_loop_are_reported_and_the_rest_builds(
    runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path
) -> None:
    root = make_corpus({"good.txt": DOC})
    (root / "loop-a.txt").symlink_to(root / "loop-b.txt")
    (root / "loop-b.txt").symlink_to(root / "loop-a.txt")
    out = tmp_path / "site"
    result = runner.invoke(cli, ["build", "--input", str(root), "--output", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("loop-a.txt", "loop-b.txt"):
        assert f"{name}: error: skipped: cannot be read: Too many levels of symbolic links" in result.output
    assert sorted(p.name for p in (out / "docs").iterdir()) == ["good.html"]


def test_strict_fails_on_warnings_and_writes_nothing(
    runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path
) -> None:
    root = make_corpus({"good.txt": DOC, "empty.txt": ""})
    out = tmp_path / "site"
    result = runner.invoke(cli, ["build", "--input", str(root), "--output", str(out), "--strict"])
    assert result.exit_code == 1
    assert "empty.txt: error: skipped: empty file" in result.output
    assert not out.exists()


def test_user_templates_override_and_extend_the_default(
    runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path
) -> None:
    root = make_corpus({"a.txt": DOC})
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "base.html").write_text(
        '{% extends "!default/base.html" %}{% block head %}<meta name="theme" content="mine">{% endblock %}',
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = runner.invoke(
        cli, ["build", "--input", str(root), "--output", str(out), "--templates", str(theme)]
    )
    assert result.exit_code == 0, result.output
    page = (out / "docs" / "a.html").read_text(encoding="utf-8")
    assert '<meta name="theme" content="mine">' in page and "<title>标题行在这里" in page


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ('{% extends "base.html" %}{% block main %}\n{% if %}{% endblock %}',
         "about.html:2: Expected an expression"),
        ('{% extends "base.html" %}{% block main %}\n\n{{ no_such_value }}{% endblock %}',
         "about.html:3: 'no_such_value' is undefined (rendering about.html)"),
        ('{% extends "base.html" %}{% block main %}{{ site_title|no_filter }}{% endblock %}',
         "about.html:1: No filter named 'no_filter'"),
        ('{% extends "no-such-base.html" %}', "about.html:1: template 'no-such-base.html' not found"),
        ('{% extends "base.html" %}{% block main %}\n{% include "gone.html" %}{% endblock %}',
         "about.html:2: template 'gone.html' not found"),
    ],
    ids=["syntax", "undefined value", "unknown filter", "missing parent", "missing include"],
)  # fmt: skip
def test_a_broken_template_is_reported_at_its_line_and_the_site_is_left_as_it_was(
    runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path, template: str, message: str
) -> None:
    root, theme, out = make_corpus({"a.txt": DOC}), tmp_path / "theme", tmp_path / "site"
    assert runner.invoke(cli, ["build", "--input", str(root), "--output", str(out)]).exit_code == 0
    before = site_tree(out)
    theme.mkdir()
    (theme / "about.html").write_text(template, encoding="utf-8")
    arguments = ["build", "--input", str(root), "--output", str(out), "--templates", str(theme), "--force"]
    result = runner.invoke(cli, arguments)
    assert result.exit_code == 1 and result.exception is not None
    assert f"Error: {theme / message}" in result.output and "Traceback" not in result.output
    assert site_tree(out) == before


def test_two_builds_are_byte_identical(runner: CliRunner, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        assert runner.invoke(cli, ["build", "--input", str(SEEDS), "--output", str(out)]).exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_settings_file_errors_are_reported_together(
    runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path
) -> None:
    root = make_corpus({"a.txt": DOC})
    (root / "corpus-site.toml").write_text(
        'colour = "red"\ntraditional = "t2s"\nbase_url = "ftp://x"\ntitle = 3\n', encoding="utf-8"
    )
    out = tmp_path / "site"
    result = runner.invoke(cli, ["build", "--input", str(root), "--output", str(out)])
    assert result.exit_code == 1
    for expected in (
        "colour: unknown setting",
        "traditional: must be one of",
        "base_url: must start",
        "title:",
    ):
        assert expected in result.output
    assert not out.exists()


def test_settings_file_and_options(runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path) -> None:
    root = make_corpus({"a.txt": "软件信息系统建设推进会召开\n会议部署了软件和信息系统建设工作。\n"})
    (root / "corpus-site.toml").write_text('title = "我的文库"\nabout = "notes/about.md"\n', encoding="utf-8")
    (root / "notes").mkdir()
    (root / "notes" / "about.md").write_text(
        "# 说明\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(1))\n", encoding="utf-8"
    )
    out = tmp_path / "site"
    result = runner.invoke(
        cli, ["build", "--input", str(root), "--output", str(out), "--traditional", "s2twp"]
    )
    assert result.exit_code == 0, result.output
    assert "<title>全部文献 · 我的文库</title>" in (out / "index.html").read_text(encoding="utf-8")
    about = (out / "about.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in about and "<script>alert" not in about
    assert 'href="javascript:' not in about
    hant = (out / "zh-Hant" / "docs" / "a.html").read_text(encoding="utf-8")
    assert "軟體" in hant and "資訊" in hant  # Taiwan phrases, as s2twp gives


def test_base_url_must_be_http(runner: CliRunner, make_corpus: CorpusMaker, tmp_path: Path) -> None:
    root = make_corpus({"a.txt": DOC})
    result = runner.invoke(
        cli, ["build", "--input", str(root), "--output", str(tmp_path / "s"), "--base-url", "javascript:x"]
    )
    assert result.exit_code == 1 and "base_url: must start with http:// or https://" in result.output


def test_source_date_epoch_is_the_only_date_shown(runner: CliRunner, tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1637107200"}  # 2021-11-17 00:00 UTC
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        result = runner.invoke(cli, ["build", "--input", str(SEEDS), "--output", str(out)], env=env)
        assert result.exit_code == 0, result.output
    page = (first / "index.html").read_text(encoding="utf-8")
    assert "构建于 <time>2021-11-17</time>" in page
    assert all(
        (first / p.relative_to(second)).read_bytes() == p.read_bytes()
        for p in second.rglob("*")
        if p.is_file()
    )
    result = runner.invoke(
        cli,
        ["build", "--input", str(SEEDS), "--output", str(tmp_path / "x")],
        env={"SOURCE_DATE_EPOCH": "soon"},
    )
    assert result.exit_code == 1 and "SOURCE_DATE_EPOCH" in result.output
