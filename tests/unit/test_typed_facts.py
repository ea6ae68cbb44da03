"""Typed facts (issue 13): the loader builds one dataclass per fact table, every key typed and checked with its
line; an unknown key is refused with PATH:LINE:COL; [prior.functional] reads only 项 codes; a fact's line is the
line of its key, in the messages of `check`."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from decimal import Decimal
from pathlib import Path

import pytest
import tomli

from budget_tui.cli import main
from budget_tui.core.checks import check_budget
from budget_tui.core.factmodel import (
    AMOUNT,
    AMOUNTS_BY_ITEM,
    COUNT,
    DATE,
    FACT_SECTIONS,
    TEXT,
    TEXTS,
    TEXTS_BY_KEY,
    Facts,
    Prior,
    PriorThreePublic,
    Reasons,
    Vehicle,
    fact_kinds,
)
from budget_tui.core.model import Budget, Department
from budget_tui.core.problems import fact_line
from budget_tui.files.fileformat import BudgetFileError, load, parse
from tests.conftest import CHANGJI, MINIMAL, SYNTHETIC

HEAD_LINES = MINIMAL.count("\n")


def tables(table: type = Facts, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], type]]:
    """Every fact table the format defines (sections and sub-tables), with its dataclass."""
    found = []
    for key, kind in fact_kinds(table).items():
        if isinstance(kind, type):
            found.append((path + (key,), kind))
            found += tables(kind, path + (key,))
    return found


def leaves() -> list[tuple[tuple[str, ...], str, str]]:
    """Every single-valued fact: (the table's path, the key, its kind); vehicles as the table of one kind."""
    found = []
    for path, table in tables():
        for key, kind in fact_kinds(table).items():
            if kind in (AMOUNT, COUNT, TEXT, DATE, TEXTS):
                found.append((path, key, kind))
    found += [(("assets", "vehicles", "轿车"), key, kind) for key, kind in fact_kinds(Vehicle).items()]
    return found


GOOD = {
    AMOUNT: ("12.50", Decimal("12.50")),
    COUNT: ("7", 7),
    TEXT: ('"说明文字"', "说明文字"),
    DATE: ("2019-12-31", "2019-12-31"),
    TEXTS: ('["甲", "乙"]', ["甲", "乙"]),
}
WRONG = {  # a value of another kind, and what the message says
    AMOUNT: ('"12.50"', "is not a number but text in quotes"),
    COUNT: ("7.5", "must be a whole number such as 58"),
    TEXT: ("7", "must be text in quotes"),
    DATE: ("7", "must be a date such as 2019-12-31"),
    TEXTS: ('"甲"', "must be a list of texts"),
}


def header(path: tuple[str, ...]) -> str:
    return "[" + ".".join(part if re.fullmatch(r"[a-z_]+", part) else f'"{part}"' for part in path) + "]"


def with_fact(path: tuple[str, ...], key: str, value: str) -> tuple[str, int]:
    """MINIMAL with the fact written under its table after a comment; the text and the fact's line."""
    text = MINIMAL + f"\n{header(path)}\n# 说明\n{key} = {value}\n"
    return text, HEAD_LINES + 4


def value_at(facts: Facts, path: tuple[str, ...], key: str):
    value = facts
    for part in path + (key,):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


# -- the loader builds the typed facts -----------------------------------------------------------


@pytest.mark.parametrize(("path", "key", "kind"), leaves(), ids=lambda x: ".".join(x) if isinstance(x, tuple) else x)
def test_every_fact_of_the_format_is_read_into_its_typed_field(write_budget, path, key, kind):
    written, expected = GOOD[kind]
    text, _ = with_fact(path, key, written)
    facts = load(write_budget(text)).facts
    value = value_at(facts, path, key)
    assert value == expected and type(value) is type(expected)
    for end in range(1, len(path) + 1):
        assert path[:end] in facts.given
    assert list(facts.leaves()) == [(path + (key,), expected)]  # nothing else is invented


@pytest.mark.parametrize(("path", "key", "kind"), leaves(), ids=lambda x: ".".join(x) if isinstance(x, tuple) else x)
def test_a_fact_of_the_wrong_type_is_refused_with_its_line(write_budget, path, key, kind):
    written, says = WRONG[kind]
    text, line = with_fact(path, key, written)
    target = write_budget(text)
    with pytest.raises(BudgetFileError) as caught:
        load(target)
    assert (caught.value.line, caught.value.column) == (line, 1)
    assert says in caught.value.message
    assert str(caught.value).startswith(f"{target}:{line}:1: ")


@pytest.mark.parametrize("name", [CHANGJI, SYNTHETIC], ids=lambda p: p.name)
def test_the_typed_facts_hold_exactly_what_the_file_says(name: Path):
    """Every value of every fact table of the samples, as TOML reads it, is in the typed facts at the same key path,
    and nothing else is."""
    raw = tomli.loads(name.read_text("utf-8"), parse_float=Decimal)

    def flat(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from flat(item, path + (key,))
        else:
            yield path, str(value) if isinstance(value, dt.date) else value

    expected = {path: value for section in FACT_SECTIONS if section in raw for path, value in flat(raw[section], (section,))}
    facts = load(name).facts
    assert dict(facts.leaves()) == expected
    assert facts.sections() == [section for section in FACT_SECTIONS if section in raw]
    assert dict(facts.amounts()) == {path: value for path, value in expected.items() if isinstance(value, Decimal)}


def test_a_section_the_file_lacks_reads_as_nothing_given(write_budget):
    facts = load(write_budget(MINIMAL)).facts
    assert facts == Facts() and facts.given == frozenset() and facts.sections() == []
    assert facts.prior.total is None and facts.prior.functional == {} and facts.assets.vehicles is None
    assert facts.prior.three_public == PriorThreePublic()


def test_empty_tables_are_given_and_told_apart_from_absent_ones(write_budget):
    text = MINIMAL + "\n[prior]\n[prior.functional]\n[assets]\n[assets.vehicles]\n[profile]\noffices = []\n"
    facts = load(write_budget(text)).facts
    assert {("prior",), ("prior", "functional"), ("assets",), ("assets", "vehicles"), ("profile",)} == facts.given
    assert facts.assets.vehicles == {} and facts.profile.offices == [] and facts.profile.functions is None
    assert facts.prior == Prior()


def test_vehicles_read_as_typed_records_in_file_order(write_budget):
    text = MINIMAL + '\n[assets.vehicles]\n"轿车" = { count = 2, value = 30.00 }\n"越野车" = { count = 1 }\n'
    vehicles = load(write_budget(text)).facts.assets.vehicles
    assert vehicles == {"轿车": Vehicle(2, Decimal("30.00")), "越野车": Vehicle(1, None)}
    assert list(vehicles) == ["轿车", "越野车"]


def test_every_field_has_a_docstring_in_the_model():
    """Each fact says what it is: a string right after each field of every fact table."""
    for _, table in [((), Facts), *tables(), ((), Vehicle)]:
        source = Path(inspect.getsourcefile(table)).read_text("utf-8")  # factmodel.py, or factprior.py for [prior]
        for key in fact_kinds(table):
            body = re.split(rf"\nclass {table.__name__}\b", source)[1].split("\n@dataclass", 1)[0]
            assert re.search(rf"\n    {key}: [^\n]+\n    \"\"\"[^\n]+\"\"\"\n", body), (table.__name__, key)


# -- unknown keys --------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "table"), [*tables(), (("assets", "vehicles", "轿车"), Vehicle)], ids=lambda x: ".".join(x) if isinstance(x, tuple) else "")
def test_an_unknown_key_in_any_fact_table_is_refused_with_its_line_and_the_keys(write_budget, path, table):
    text, line = with_fact(path, "totl", "1.00")
    target = write_budget(text)
    with pytest.raises(BudgetFileError) as caught:
        load(target)
    assert str(caught.value) == (
        f"{target}:{line}:1: unknown key 'totl' in [{'.'.join(path)}]; the keys are: {', '.join(fact_kinds(table))}"
    )


NOT_CODES = ["201030", "20103011", "2010", "2010301a", '"一般公共服务支出"', '"２０１０３０１"', '" 2010301"']


@pytest.mark.parametrize("key", NOT_CODES)
def test_prior_functional_refuses_a_key_that_is_no_code_of_its_levels_with_its_line(write_budget, capsys, key):
    text, line = with_fact(("prior", "functional"), key, "95.00")
    target = write_budget(text)
    with pytest.raises(BudgetFileError) as caught:
        load(target)
    message = str(caught.value)
    assert message.startswith(f"{target}:{line}:1: ")
    assert "is not a functional code (3-digit 类, 5-digit 款, 7-digit 项)" in message
    assert "such as 201 = 95.00, or remove this line" in message
    assert main(["check", str(target)]) == 2  # the command says the same, on one line
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{target}:{line}:1: " in err and "is not a functional code" in err


def test_prior_functional_codes_of_every_level_are_read(write_budget):
    text = MINIMAL + "\n[prior.functional]\n208 = 1\n20805 = 1\n2010301 = 95.00\n2080505 = 1\n"
    assert load(write_budget(text)).facts.prior.functional == {
        "208": Decimal("1"), "20805": Decimal("1"), "2010301": Decimal("95.00"), "2080505": Decimal("1")
    }


# -- the line of a fact in messages ------------------------------------------------------------


def test_every_fact_of_the_sample_is_located_on_the_line_of_its_key():
    budget = load(CHANGJI)
    lines = CHANGJI.read_text("utf-8").splitlines()
    for path, _ in budget.facts.leaves():
        number = fact_line(budget, path)
        assert re.search(rf'(^|[\s{{,])"?{re.escape(path[-1])}"?\s*=', lines[number - 1]), (path, number, lines[number - 1])


FINDINGS = [  # (extra facts, the rule, the key whose line the finding is on)
    ("[stated]\n# 公开数\ntotal = 99.00\n", "stated-mismatch", "total = 99.00"),
    ("[stated]\noperating_costs = 99.00\n", "operating-costs", "operating_costs = 99.00"),
    ("[staffing]\nadministrative = 1\n\nauthorized = 5\n", "staffing-authorized", "authorized = 5"),
    ("[staffing]\nactual = 1\nin_service = 2\n", "staffing-actual", "actual = 1"),
    ("[procurement]\ngoods = 1\nworks = 1\nservices = 1\n\ntotal = 9\n", "procurement-total", "total = 9"),
    ("[procurement]\ngoods = 1\nworks = 1\nservices = 1\nsme_reserved = 9\n", "procurement-reserve", "sme_reserved = 9"),
    ("[assets]\n# 日期\nas_of = \"2019-02-30\"\n", "fact-date", "as_of ="),
    ("[prior]\nyear = 2011\n", "prior-year", "year = 2011"),
    ("[prior]\ntotal = 5.00\n[reasons]\n# 原因\nincome = \"主要原因是人员增加\"\n", "reason-lead", "income ="),
    ("[reasons.functional]\n# 原因\n2990101 = \"新增\"\n", "reason-orphan", "2990101 ="),
    ("[stated]\nreception = -1\n", "amount-negative", "reception = -1"),
    ('[assets.vehicles]\n"轿车" = { count = 1, value = 1.005 }\n', "amount-precision", '"轿车" ='),
]


@pytest.mark.parametrize(("extra", "rule", "needle"), FINDINGS, ids=[rule for _, rule, _ in FINDINGS])
def test_a_finding_on_a_fact_names_the_line_of_its_key(write_budget, capsys, extra, rule, needle):
    text = MINIMAL + "\n" + extra
    target = write_budget(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith(needle))
    found = [problem for problem in check_budget(load(target)) if problem.rule == rule]
    assert [problem.line for problem in found] == [line]
    main(["check", str(target)])
    assert f"{target}:{line}: " in capsys.readouterr().out


def test_a_budget_built_in_code_has_empty_facts_and_facts_on_line_one():
    budget = Budget(Department("测试局", 2020), [])
    assert budget.facts == Facts() and fact_line(budget, ("prior", "total")) == 1
    assert not hasattr(budget, "fact")  # facts are read by attribute, never by a path of strings


def test_a_folder_keeps_each_departments_typed_facts(tmp_path):
    (tmp_path / "a.toml").write_text(MINIMAL + "\n[prior]\ntotal = 9.00\n", "utf-8")
    (tmp_path / "b.toml").write_text(MINIMAL.replace("测试局", "乙局") + "\n[stated]\ntotal = 10.00\n", "utf-8")
    budget = load(tmp_path)
    assert budget.facts == Facts()
    assert [part.facts.prior.total for part in budget.parts] == [Decimal("9.00"), None]
    assert [part.facts.stated.total for part in budget.parts] == [None, Decimal("10.00")]


def test_tables_of_codes_read_as_dicts_and_their_texts_are_the_ones_checked():
    text = MINIMAL + '\n[reasons.functional]\n2010301 = "人员增加"\n[prior.functional]\n2010301 = 1.00\n[profile]\noffices = ["办公室"]\n'
    facts = parse(text.encode("utf-8")).facts
    assert (fact_kinds(Prior)["functional"], fact_kinds(Reasons)["functional"]) == (AMOUNTS_BY_ITEM, TEXTS_BY_KEY)
    assert facts.reasons.functional == {"2010301": "人员增加"} and facts.prior.functional == {"2010301": Decimal("1.00")}
    assert list(facts.texts(("profile", "reasons"))) == [
        (("profile", "offices"), "办公室"),
        (("reasons", "functional", "2010301"), "人员增加"),
    ]
    assert list(facts.amounts()) == [(("prior", "functional", "2010301"), Decimal("1.00"))]
