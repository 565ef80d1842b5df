"""Lone UTF-16 surrogates in case data: found wherever they sit, pairs left alone."""

from __future__ import annotations

import json

from docservice.errors import FieldError
from docservice.render.schema import SURROGATE_MESSAGE, lone_surrogates


def test_pairs_and_plain_text_pass() -> None:
    assert lone_surrogates(json.loads('{"a": ["\\ud83d\\ude00", "ñandú", 1, null]}')) == []


def test_every_lone_surrogate_is_named_at_any_depth() -> None:
    deep: object = "\udfff"
    for _ in range(5000):  # deeper than json or recursion would go
        deep = [deep]
    datos = json.loads('{"a": "\\ud800", "b": {"c": ["x", "y\\udc00"]}}') | {"d": deep}
    found = lone_surrogates(datos)
    assert found[:2] == [
        FieldError("/a", SURROGATE_MESSAGE),
        FieldError("/b/c/1", SURROGATE_MESSAGE),
    ]
    assert found[2] == FieldError("/d" + "/0" * 5000, SURROGATE_MESSAGE)


def test_a_whole_document_that_is_one_surrogate_points_at_the_root() -> None:
    assert lone_surrogates("\ud800") == [FieldError("/", SURROGATE_MESSAGE)]
