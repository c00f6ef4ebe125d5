"""``tlsfence.readers``: every bounded, validated read refuses bad files with one line naming file and path."""

import os

import pytest

from tlsfence import readers
from tlsfence.errors import InputError


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 5000 + "]" * 5000, "x.json: nesting deeper than 200 levels"),
    ("[" * 250 + "]" * 250,
     "x.json: at [0][0][0][0][0][0][0][0]…(188 more)…[0][0][0][0]: nesting deeper than 200 levels"),
    ('{"a": NaN}', "x.json: not JSON: NaN is not a JSON number"),
    ('{"a": -Infinity}', "x.json: not JSON: -Infinity is not a JSON number"),
    ('{"a": {"b": [1e400]}}', "x.json: at a.b[0]: the number inf (NaN and Infinity are not JSON numbers)"),
    ("1" * 4301, "x.json: not JSON: an integer with more than 4,300 digits"),
    ("1" + "0" * 400, "x.json: at $: an integer too large for a float64 number"),
    ('{"urn": "a\\ud800b"}', "x.json: at urn: a string with a lone UTF-16 surrogate"),
    ('{"\\udc00": 1}', "x.json: at $: a key with a lone UTF-16 surrogate"),
    ('{"a b": ["\\udc00"]}', 'x.json: at ["a b"][0]: a string with a lone UTF-16 surrogate'),
    ('{"a":', "x.json: not JSON: Expecting value (line 1, column 6)"),
])
def test_json_refusals_name_the_path(text, message):
    with pytest.raises(InputError) as err:
        readers.parse_json(text, "x.json")
    assert str(err.value) == message


def test_json_plain_values_pass_unchanged():
    assert readers.parse_json('{"a": [1, 2.5, true, null, "é"], "b": {}}', "x") == \
        {"a": [1, 2.5, True, None, "é"], "b": {}}


@pytest.mark.parametrize(("text", "expected"), [
    ("config:\n  p:since: 2024-01-01\n", {"config": {"p:since": "2024-01-01"}}),   # dates stay strings (CLI)
    ("- a\n- b\n", ["a", "b"]),
    ("", None),
])
def test_yaml_values(text, expected):
    assert readers.parse_yaml(text, "s.yaml") == expected


@pytest.mark.parametrize(("text", "message"), [
    ("1: x\n", "s.yaml: at $: a key of type int (1); keys must be strings"),
    ("a: &a [*a]\n", "s.yaml: at a[0][0][0][0][0][0][0]…(188 more)…[0][0][0][0]: nesting deeper than 200 levels"),
    ("a: !!python/object:os.system x\n", "s.yaml: not valid YAML: could not determine a constructor"),
    ("a: b\n---\nc: d\n", "s.yaml: not valid YAML: expected a single document"),
    ("a: " + "1" * 5000 + "\n", "s.yaml: not valid YAML: an integer with more than 4,300 digits"),
    ("a: &a ['x','x','x','x','x','x','x','x','x','x']\n" + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)),
     "more than 1,000,000 values"),
])
def test_yaml_refusals(text, message):
    with pytest.raises(InputError) as err:
        readers.parse_yaml(text, "s.yaml")
    assert message in str(err.value) and str(err.value).startswith("s.yaml: ")


def test_toml_dates_are_refused():
    with pytest.raises(InputError, match=r"^p.toml: at a: a date value"):
        readers.parse_toml("a = 1979-05-27\n", "p.toml")


def test_only_bounded_regular_utf8_files_are_read(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2049)
    binary = tmp_path / "bin.json"
    binary.write_bytes(b'{"a": "\xff"}')
    bom = tmp_path / "bom.json"
    bom.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    cases = {
        "/dev/zero": "/dev/zero: cannot read policy config: a device (only regular files are read)",
        str(fifo): f"{fifo}: cannot read policy config: a FIFO (only regular files are read)",
        str(tmp_path): f"{tmp_path}: cannot read policy config: a directory (only regular files are read)",
        str(tmp_path / "none"): f"{tmp_path / 'none'}: cannot read policy config: No such file or directory",
        str(big): f"{big}: policy config is 0.00195408 MiB, over the 0.00195312 MiB limit",
        str(binary): f"{binary}: not UTF-8 (byte 0xff at offset 7)",
    }
    for path, message in cases.items():
        with pytest.raises(InputError) as err:
            readers.load_json(path, limit=2048, what="policy config")
        assert str(err.value) == message
    assert readers.load_json(bom) == {"a": 1}


def test_structured_by_suffix(tmp_path):
    for name, text in (("p.json", '{"a": 1}'), ("p.toml", "a = 1\n"), ("p.yaml", "a: 1\n"), ("p", '{"a": 1}')):
        (tmp_path / name).write_text(text)
        assert readers.load_structured(tmp_path / name) == {"a": 1}


def test_unusable_file_names_are_input_errors():
    for name in ("a\x00b", "\ud800"):
        with pytest.raises(InputError, match="cannot read file: not a usable file name"):
            readers.read_text(name)
