"""Shared text helpers: folding for matching, comma-below letters for official names."""

from prezent.core.text import fold, romanian_commas


def test_romanian_commas_writes_the_comma_below_letters():
    assert romanian_commas("ŞCOALA GIMNAZIALĂ, MIROSLOVEŞTI") == "ȘCOALA GIMNAZIALĂ, MIROSLOVEȘTI"
    assert romanian_commas("Ţibăneşti, ţara Ş") == "Țibănești, țara Ș"


def test_romanian_commas_leaves_everything_else_alone():
    text = "ȘCOALA „Ion Creangă” din Târgu Frumos — ș ț Ș Ț ç Ç"
    assert romanian_commas(text) == text
    assert romanian_commas("") == ""


def test_fold_makes_cedilla_and_comma_below_alike():
    assert fold("GÂRBEŞTI") == fold("GÂRBEȘTI") == fold("Gârbești") == fold("garbesti") == "garbesti"
    assert fold(romanian_commas("ŢIBĂNEŞTI")) == "tibanesti"
