"""Issue 14 item 9 (core): search normalised with NFKC and case folding, and the filters that narrow the tree (text,
lines changed since loading, unreviewed nodes, amount above N), with the parents a narrowed tree keeps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_tui.core.search import (
    Query,
    QueryError,
    changed_keys,
    find,
    normalise,
    parse_query,
    position,
    predicate,
    text_matches,
    with_ancestors,
)
from budget_tui.core.tree import Tree
from budget_tui.files.fileformat import load
from budget_tui.session import Session
from tests.conftest import CHANGJI

OFFICE = ("f", "20103")  # 政府办公厅（室）及相关机构事务


def changji_tree() -> Tree:
    return Tree(load(CHANGJI))


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("办公厅(室)", "政府办公厅（室）及相关机构事务"),  # ASCII parentheses find full-width ones
        ("办公厅（室）", "政府办公厅（室）及相关机构事务"),
        ("ABC", "ａｂｃ 项目"),  # case and width folded
        ("ａｂｃ", "ABC 项目"),
        ("12", "第１２号"),
        ("１２", "第12号"),
        ("straße", "STRASSE"),  # case folding, not lower()
    ],
)
def test_text_matches_whatever_the_width_or_case(typed, name):
    assert normalise(typed) in normalise(name)


@given(text=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20))
def test_full_width_forms_of_ascii_normalise_to_the_same_text(text):
    wide = "".join(chr(ord(ch) + 0xFEE0) for ch in text)
    assert normalise(wide) == normalise(text)


NAMED = """\
[department]
name = "测试局"
year = 2020

[names]
20103 = "政府办公厅（室）及相关机构事务"
30239 = "其他交通费用（ＡＢＣ１２）"

[basic.2010301]
30101 = 10.00
30239 = 2.00
"""


def test_a_search_finds_full_width_names_with_ascii_parentheses_letters_and_digits(write_budget):
    tree = Tree(load(write_budget(NAMED)))
    names = [node.id for node in find(tree.root.walk(), predicate(parse_query("办公厅(室)")))]
    assert names == [OFFICE]
    found = find(tree.root.walk(), predicate(parse_query("(abc12)")))
    assert [node.code for node in found] == ["30239"] and found[0].is_leaf


def test_a_search_finds_codes_by_prefix_typed_full_width():
    tree = changji_tree()
    codes = find(tree.root.walk(), predicate(parse_query("２０１０３")))  # full-width code
    assert codes and all(node.code.startswith("20103") for node in codes)
    assert find(tree.root.walk(), predicate(parse_query("201030 ")))[0].id == ("f", "2010301")


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("302", Query("302")),
        ("  办公  ", Query("办公")),
        ("is:changed", Query(changed=True)),
        ("IS:Unreviewed", Query(unreviewed=True)),
        (">1000", Query(above=Decimal("1000"))),
        ("＞１，０００．５", Query(above=Decimal("1000.5"))),
        ("302 >10 is:changed", Query("302", changed=True, above=Decimal("10"))),
        ("", Query()),
    ],
)
def test_a_query_reads_text_and_filters(typed, query):
    assert parse_query(typed) == query


@pytest.mark.parametrize(("typed", "message"), [(">abc", "after > type an amount"), (">1,2", "after > type an amount"),
                                                ("is:new", "is not a filter"), (">", "is not a filter")])
def test_a_filter_that_cannot_be_read_says_what_to_type(typed, message):
    with pytest.raises(QueryError, match=message):
        parse_query(typed)


def test_amount_above_n_keeps_nodes_strictly_above():
    tree = changji_tree()
    found = find(tree.root.walk(), predicate(parse_query(">100")))
    assert found and all(node.total > 100 for node in found)
    assert not any(node.total <= 100 for node in found)
    assert len(found) == sum(1 for node in tree.root.walk() if node.total > 100)
    exactly = next(node for node in tree.root.walk() if node.is_leaf)
    assert exactly not in find(tree.root.walk(), predicate(Query(above=exactly.total)))


def test_unreviewed_keeps_the_nodes_not_marked_reviewed():
    tree = changji_tree()
    reviewed = {("f", "201"), OFFICE}
    found = find(tree.root.walk(), predicate(Query(unreviewed=True), is_reviewed=reviewed.__contains__))
    assert {node.id for node in found} == {node.id for node in tree.root.walk()} - reviewed
    everything = find(tree.root.walk(), predicate(Query(unreviewed=True)))  # no review marks: nothing is reviewed
    assert len(everything) == len(list(tree.root.walk()))


def test_changed_keeps_the_lines_changed_since_loading_and_not_those_undone(changji_copy):
    session = Session.open(changji_copy)
    first, second, third = session.budget.lines[:3]
    session.set_amount(first.key, "+1")
    session.set_amount(second.key, "+1")
    session.undo()
    session.change_economic(third.key, "30239")
    found = session.search_matches("is:changed")
    assert {node.line.key for node in found if node.line} == {first.key, third.key._replace(economic="30239")}
    assert all(node.is_leaf for node in found)
    session.save()  # changed since loading, not since saving
    assert len(session.search_matches("is:changed")) == 2
    assert session.search_matches("is:changed 30101")[0].line.key == first.key


def test_changed_keys_skips_deleted_lines():
    lines = load(CHANGJI).lines
    assert changed_keys([(lines[0], None), (None, lines[1]), (lines[2], lines[2])]) == {lines[1].key, lines[2].key}


def test_a_narrowed_tree_keeps_the_matches_and_every_parent():
    tree = changji_tree()
    matches = find(tree.root.walk(), predicate(parse_query("30101")))
    kept = with_ancestors(matches)
    for node in matches:
        assert {step.id for step in node.path()} <= kept
    assert kept == {step.id for node in matches for step in node.path()}
    assert with_ancestors([]) == set()


def test_position_says_which_match_of_how_many():
    tree = changji_tree()
    matches = find(tree.root.walk(), predicate(parse_query("302")))
    assert position(matches, matches[1].id) == f"match 2 of {len(matches)}"
    assert position(matches, ("f", "nowhere")) == f"{len(matches)} matches"
    assert position(matches[:1], ("f", "nowhere")) == "1 match"


def test_empty_text_matches_every_node_but_an_empty_query_finds_nothing(changji_copy):
    tree = changji_tree()
    assert all(text_matches(node, "") for node in tree.root.walk())
    assert Session.open(changji_copy).search_matches("   ") == []


def test_nothing_flagged_until_a_node_is_reviewed_or_commented(changji_copy):
    session = Session.open(changji_copy)
    assert session.nothing_flagged()
    node = session.tree.by_id[OFFICE]
    session.review.comment(node, "why?")
    assert not session.nothing_flagged()
    session.review.comment(node, "")
    assert session.nothing_flagged()
    session.review.toggle(node)
    assert not session.nothing_flagged()
