"""Review marks and comments: text ids, the side file, surviving edits, orphans, ]/[ and print --review."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.cli import main
from budget_tui.core.editing import Editor
from budget_tui.core.ids import NodeId
from budget_tui.core.model import Fund, Kind, LineKey
from budget_tui.core.tree import ECONOMIC, Tree
from budget_tui.files.fileformat import load
from budget_tui.files.review import Review, ReviewFileError, read_notes, render_notes, review_path
from budget_tui.files.save import save

OFFICE = LineKey(Kind.BASIC, None, Fund.GENERAL, "2010301", "30201")


@pytest.mark.parametrize(
    ("node_id", "text"),
    [
        (("root",), "root"),
        (("f", "2010301"), "f:2010301"),
        (("f", "2010301", "basic", "302"), "f:2010301:basic:302"),
        (("f", "2010302", "project", "系统: 运维 100%", "302"), "f:2010302:project:系统%3A 运维 100%25:302"),
        (("e", "30201"), "e:30201"),
        (("line", OFFICE), "line:2010301:30201:basic:一般公共预算:"),
        (
            ("line", LineKey(Kind.PROJECT, "a:b", Fund.GOVERNMENT_FUND, "2120803", "31005")),
            "line:2120803:31005:project:政府性基金预算:a%3Ab",
        ),
    ],
)
def test_node_ids_read_as_text_and_back(node_id, text):
    assert NodeId(node_id).to_text() == text
    assert NodeId.from_text(text) == node_id


@pytest.mark.parametrize("text", ["", "x:1", "f", "line:2010301:30201:basic:一般公共预算", "line:1:2:other:一般公共预算:"])
def test_texts_that_are_no_node_id_are_refused(text):
    with pytest.raises(ValueError, match="is not a node id"):
        NodeId.from_text(text)


def test_every_node_of_both_views_round_trips(changji_copy):
    budget = load(changji_copy)
    for view in ("functional", ECONOMIC):
        for node in Tree(budget, view).root.walk():
            assert NodeId.from_text(node.id.to_text()) == node.id


def test_marks_and_comments_are_saved_beside_the_budget_and_read_back(changji_copy):
    tree = Tree(load(changji_copy))
    review = Review.open(changji_copy)
    assert review.path == changji_copy.with_name("changji-2020.review.toml") == review_path(changji_copy)
    review.mark(tree.by_id[("f", "2010301")], by="王")
    review.comment(tree.by_id[("line", OFFICE)], "办公费偏高？\n核对合同")
    assert review.dirty
    review.save()
    assert not review.dirty
    text = review.path.read_text("utf-8")
    assert 'node = "line:2010301:30201:basic:一般公共预算:"' in text and 'by = "王"' in text
    again = Review.open(changji_copy)
    assert again.is_reviewed(("f", "2010301"))
    assert again.note(("line", OFFICE)).comment == "办公费偏高？\n核对合同"
    assert changji_copy.read_bytes() == (changji_copy.parent / "changji-2020.toml").read_bytes()


def test_unmarking_and_clearing_the_comment_removes_the_note(changji_copy):
    tree = Tree(load(changji_copy))
    review = Review.open(changji_copy)
    node = tree.by_id[("f", "201")]
    review.toggle(node)
    assert review.is_reviewed(node.id)
    review.comment(node, "看一下")
    review.toggle(node)
    review.comment(node, "  ")
    assert review.note(node.id) is None
    review.save()
    assert read_notes(review.path) == {}


def test_marks_survive_edits_saves_and_reloads(changji_copy):
    budget = load(changji_copy)
    review = Review.open(changji_copy)
    review.mark(Tree(budget).by_id[("line", OFFICE)])
    review.save()
    editor = Editor(budget)
    editor.set_amount(OFFICE, Decimal("12.00"))
    save(budget, editor.changes())
    reloaded = load(changji_copy)
    assert Tree(reloaded).by_id[("line", OFFICE)].total == Decimal("12.00")
    assert Review.open(changji_copy).is_reviewed(("line", OFFICE))
    assert Review.open(changji_copy).orphans(reloaded) == []


def test_a_recoded_line_leaves_its_comment_orphaned_until_undone(changji_copy):
    budget = load(changji_copy)
    review = Review.open(changji_copy)
    review.comment(Tree(budget).by_id[("line", OFFICE)], "为何增加？")
    editor = Editor(budget)
    editor.change_economic(OFFICE, "30215")
    orphans = review.orphans(budget)
    assert [note.comment for note in orphans] == ["为何增加？"]
    assert orphans[0].label.endswith("30201 办公费")
    editor.undo()
    assert review.orphans(budget) == []


def test_a_second_reviewer_s_notes_are_kept_on_save(changji_copy):
    tree = Tree(load(changji_copy))
    first, second = Review.open(changji_copy), Review.open(changji_copy)
    first.comment(tree.by_id[("f", "201")], "甲的意见", by="甲")
    first.save()
    second.comment(tree.by_id[("f", "2010350")], "乙的意见", by="乙")
    second.save()
    assert {note.by for note in read_notes(first.path).values()} == {"甲", "乙"}


def test_next_flagged_skips_reviewed_nodes_and_wraps(changji_copy):
    tree = Tree(load(changji_copy))
    order = [node.id for node in tree.root.walk()]
    review = Review.open(changji_copy)
    for node in tree.root.walk():
        review.mark(node)
    commented, unreviewed = tree.by_id[("f", "2010301")], tree.by_id[("line", OFFICE)]
    review.comment(commented, "?")
    review.mark(unreviewed, reviewed=False)
    assert review.next_flagged(order, order[0], forward=True) == commented.id
    assert review.next_flagged(order, commented.id, forward=True) == unreviewed.id
    assert review.next_flagged(order, unreviewed.id, forward=True) == commented.id
    assert review.next_flagged(order, commented.id, forward=False) == unreviewed.id
    assert review.next_flagged(order, None, forward=False) == unreviewed.id
    review.comment(commented, "")
    assert review.next_flagged(order, unreviewed.id, forward=True) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("note = 3\n", "note must be [[note]] tables"),
        ("note = [3]\n", "note 1: expected a table"),
        ('[[note]]\nnode = "f:201"\nreviewed = "yes"\n', "reviewed must be true or false"),
        ('[[note]]\nnode = "x:201"\n', "'x:201' is not a node id"),
        ('[[note]]\nnode = "f:201"\ncolour = "red"\n', "unknown key 'colour'"),
        ('[[note]]\nnode = "f:201"\n[[note]]\nnode = "f:201"\n', "f:201 is listed twice"),
        ("format = 2\n", "format 2 is not 1"),
        ("node = [\n", "not a review file"),
    ],
)
def test_a_bad_review_file_is_refused_with_a_clear_message(changji_copy, content, message):
    review_path(changji_copy).write_text(content, "utf-8")
    with pytest.raises(ReviewFileError, match=message.replace("[", r"\[")):
        Review.open(changji_copy)


def test_print_review_lists_marks_comments_and_orphans_as_clean_text(changji_copy, capsys):
    budget = load(changji_copy)
    tree = Tree(budget)
    review = Review.open(changji_copy)
    review.mark(tree.by_id[("f", "2010301")], by="王")
    review.comment(tree.by_id[("line", OFFICE)], "核对\x1b[2J合同\n第二行")
    review.comment(tree.by_id[("line", LineKey(Kind.BASIC, None, Fund.GENERAL, "2010301", "30202"))], "印刷费")
    review.save()
    editor = Editor(budget)
    editor.delete_line(LineKey(Kind.BASIC, None, Fund.GENERAL, "2010301", "30202"))
    save(budget, editor.changes())

    assert main(["print", str(changji_copy), "--review"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert out.splitlines() == [
        "Review of 昌吉回族自治州人民政府办公室 2020 (changji-2020.review.toml)",
        "1 reviewed, 2 commented",
        "",
        "[x] 2010301 行政运行 (王)",
        "[ ] 2010301 30201 办公费",
        "      核对合同",  # the screen-clearing sequence is dropped whole
        "      第二行",
        "",
        "Orphaned (the node is no longer in the budget):",
        "[ ] 201 一般公共服务支出 / 20103 政府办公厅及相关机构事务 / 2010301 行政运行 / 302 商品和服务支出 / 30202 印刷费"
        " [line:2010301:30202:basic:一般公共预算:]",
        "      印刷费",
    ]


def test_print_review_without_a_side_file_says_so(changji_copy, capsys):
    assert main(["print", str(changji_copy), "--review"]) == 0
    assert capsys.readouterr().out == "No review marks or comments (changji-2020.review.toml has none).\n"


def test_print_review_of_a_broken_side_file_exits_2(changji_copy, capsys):
    review_path(changji_copy).write_text("format = 2\n", "utf-8")
    assert main(["print", str(changji_copy), "--review"]) == 2
    assert "format 2 is not 1" in capsys.readouterr().err


def test_the_documented_example_is_a_review_file(changji_copy):
    text = (Path(__file__).resolve().parents[2] / "docs" / "format.md").read_text("utf-8")
    example = re.search(r"## Review marks and comments\n.*?```toml\n(.*?)```", text, re.S).group(1)
    review_path(changji_copy).write_text(example, "utf-8")
    review = Review.open(changji_copy)
    assert review.is_reviewed(("f", "2010301"))
    assert review.note(("line", OFFICE)).comment == "办公费偏高？\n核对合同"
    assert review.orphans(load(changji_copy)) == []
    assert render_notes(review.notes, review.path) == example


FOLDER_FILES = ("a/changji.toml", "b:c.toml")
CHANGJI_IN_FOLDER = LineKey(Kind.BASIC, None, Fund.GENERAL, "2010301", "30201", 0)


@pytest.mark.parametrize(
    ("node_id", "text"),
    [
        (("d", 0), "d:a/changji.toml"),
        (("d", 1, "f", "201"), "d:b%3Ac.toml:f:201"),
        (("d", 0, "f", "2010301", "basic", "302"), "d:a/changji.toml:f:2010301:basic:302"),
        (("d", 1, "e", "30201"), "d:b%3Ac.toml:e:30201"),
        (("line", CHANGJI_IN_FOLDER), "line:2010301:30201:basic:一般公共预算::a/changji.toml"),
        (("line", CHANGJI_IN_FOLDER._replace(origin=1)), "line:2010301:30201:basic:一般公共预算::b%3Ac.toml"),
    ],
)
def test_folder_ids_name_the_department_file(node_id, text):
    assert NodeId(node_id).to_text(FOLDER_FILES) == text
    assert NodeId.from_text(text, FOLDER_FILES) == node_id


def test_a_note_on_a_file_no_longer_in_the_folder_decodes_to_no_node():
    assert NodeId.from_text("d:gone.toml:f:201", FOLDER_FILES) == ("d", "gone.toml", "f", "201")
    assert NodeId.from_text("line:2010301:30201:basic:一般公共预算::gone.toml", FOLDER_FILES)[1].origin == "gone.toml"


def test_without_file_names_a_folder_id_uses_the_index():
    key = CHANGJI_IN_FOLDER._replace(origin=2)
    assert NodeId(("line", key)).to_text() == "line:2010301:30201:basic:一般公共预算::2"
    assert NodeId.from_text("line:2010301:30201:basic:一般公共预算::2") == ("line", key)
    assert NodeId(("d", 2, "f", "201")).to_text() == "d:2:f:201"


def test_every_node_of_a_folder_round_trips_and_notes_follow_the_file(tmp_path):
    from budget_tui.files.review import departments

    folder = tmp_path / "prefecture"
    (folder / "x").mkdir(parents=True)
    (folder / "x" / "changji.toml").write_bytes((Path(__file__).resolve().parents[2] / "data" / "changji-2020.toml").read_bytes())
    (folder / "other.toml").write_text('[department]\nname = "乙"\nyear = 2020\n\n[basic.2010301]\n30101 = 1.00\n', "utf-8")
    budget = load(folder)
    files = departments(budget, folder)
    assert files == ("other.toml", "x/changji.toml")
    for view in ("functional", ECONOMIC):
        for node in Tree(budget, view).root.walk():
            assert NodeId.from_text(node.id.to_text(files), files) == node.id
    review = Review.open(folder, files)
    review.mark(Tree(budget).by_id[("d", 1, "f", "201")])
    review.save()
    assert review.path == tmp_path / "prefecture.review.toml"
    assert 'node = "d:x/changji.toml:f:201"' in review.path.read_text("utf-8")
    (folder / "a.toml").write_text('[department]\nname = "甲"\nyear = 2020\n\n[basic.2010301]\n30101 = 1.00\n', "utf-8")
    moved = load(folder)  # a new file sorts first: changji is now the third
    again = Review.open(folder, departments(moved, folder))
    assert again.is_reviewed(("d", 2, "f", "201")) and not again.orphans(moved)
    assert main(["print", str(folder), "--review"]) == 0


def test_node_ids_are_read_by_name(changji_copy):
    """A NodeId's parts by name: what the tree, the review file and the app read instead of positions."""
    tree = Tree(load(changji_copy))
    group = tree.by_id[("f", "2010301", "basic", "302")].parent
    assert group is not None and group.level == "项"  # a 项 with only 基本支出 shows its economic 类 directly
    office = NodeId.line(OFFICE)
    assert (office.kind, office.key, office.code, office.department_origin) == ("line", OFFICE, None, None)
    project_class = NodeId.functional("2010302", 1).group(Kind.PROJECT, "运维").economic_class("302")
    assert project_class == ("d", 1, "f", "2010302", "project", "运维", "302")
    assert (project_class.kind, project_class.code, project_class.project, project_class.department_origin) == ("f", "2010302", "运维", 1)
    assert project_class.item == ("d", 1, "f", "2010302") and not project_class.is_group
    assert project_class.local.item == ("f", "2010302") and NodeId(project_class[:-1]).is_project_group
    assert NodeId.department(1).kind == "d" and NodeId.department(1).local == ("d", 1)
    assert NodeId.functional("201").in_department(0) == ("d", 0, "f", "201") and office.in_department(0) == office
    assert NodeId.department(0).in_department("a.toml") == ("d", "a.toml")
