"""The validator that keeps control and direction characters out of names (prezent/core/validators.py)."""

import pytest
from django.core.exceptions import ValidationError

from prezent.core.validators import control_character_position, refuse_control_characters


@pytest.mark.parametrize(
    "character",
    [
        "\x00",  # NUL
        "\x07",  # bell
        "\t",  # tab
        "\n",  # line feed
        "\x0b",  # vertical tab: a word processor's line break
        "\r",  # carriage return
        "\x1b",  # escape
        "\x1f",  # unit separator
        "\x7f",  # DEL
        "\x85",  # C1: next line
        "\x9f",  # C1: the last one
        "\u202a",  # left-to-right embedding
        "\u202e",  # right-to-left override
        "\u2066",  # left-to-right isolate
        "\u2069",  # pop directional isolate
        "\xad",  # soft hyphen
        "\u200b",  # zero-width space
        "\u200d",  # zero-width joiner
        "\u200f",  # right-to-left mark
        "\u2028",  # line separator
        "\u2060",  # word joiner
        "\ufeff",  # byte order mark
    ],
)
def test_each_kind_of_control_or_direction_character_is_refused_with_its_position(character):
    with pytest.raises(ValidationError) as refused:
        refuse_control_characters(f"Ana{character}maria")
    error = refused.value.error_list[0]
    assert error.code == "control_character"
    assert error.params == {"position": 4}
    message = refused.value.messages[0]
    assert "caracter invizibil sau de control" in message and "(poziția 4)" in message


@pytest.mark.parametrize(
    "name",
    [
        "Ștefănescu",
        "Țurcanu-Pîrvu",
        "Ana Maria",
        "Mărioara Îngerașu",
        "D'Souza",
        "O’Brien",
        "Ioan-Ștefan I.",
        "Müller",
        "Ştefan",  # the cedilla spelling of the Ministry's files is a letter, not a control
        "",
    ],
)
def test_ordinary_names_pass(name):
    refuse_control_characters(name)
    assert control_character_position(name) is None


def test_neighbours_of_the_refused_ranges_pass():
    for character in (" ", "~", "\xa0", "\xa1", "\xae", "\u200a", "\u2010", "\u2027", "\u202f", "\u206a", "\ufefe"):
        refuse_control_characters(f"Ana{character}")
