"""The private parts of tomlkit that budget_tui.files.tomlkit_shim wraps still behave as saving needs."""

import tomlkit
from tomlkit.container import OutOfOrderTableProxy
from tomlkit.items import Whitespace

from budget_tui.files.tomlkit_shim import blank, insert_after, table_parts


def test_table_parts_are_the_parts_of_a_split_table_in_file_order():
    document = tomlkit.parse("[a.b]\nx = 1\n[c]\ny = 2\n[a.d]\nz = 3\n")
    proxy = document["a"]
    assert isinstance(proxy, OutOfOrderTableProxy)
    parts = table_parts(proxy)
    assert len(parts) == 2 and "b" in parts[0] and "d" in parts[1]


def test_blank_makes_whitespace_print_nothing():
    document = tomlkit.parse("t = { a = 1, b = 2 }\n")
    inline = document["t"]
    spaces = [item for _, item in inline.value.body if isinstance(item, Whitespace)]
    assert spaces
    for item in spaces:
        blank(item)
    assert document.as_string() == "t = {a = 1,b = 2}\n"


def test_insert_after_puts_the_key_after_the_given_one():
    document = tomlkit.parse("[basic.2010301]\n30101 = 1.00\n30201 = 3.00\n")
    table = document["basic"]["2010301"]
    insert_after(table, "30101", "30102", tomlkit.item(2))
    assert document.as_string() == "[basic.2010301]\n30101 = 1.00\n30102 = 2\n30201 = 3.00\n"
