"""The one CJK definition: what the index spaces out and what the page readers call Han."""

from bot.cjk import CJK, HAN, is_han
from bot.fulltext import tokens
from storage.fts import index_text


def test_han_is_the_ideographs_and_cjk_adds_kana_hangul_and_radicals():
    for char in "冷冻电镜生丽𠀋":  # 丽 U+F9E2 a compatibility ideograph; 𠀋 extension B
        assert is_han(char) and HAN.fullmatch(char) and CJK.fullmatch(char)
    for char in "かカ한⺀":
        assert not is_han(char) and CJK.fullmatch(char)
    for char in ("a", "é", "·", "、", "", "䷀"):  # ䷀ a Yijing hexagram, not a letter
        assert not is_han(char) and not CJK.fullmatch(char)


def test_the_index_and_the_matcher_split_cjk_alike():
    text = "冷冻电镜 and ひらがな Pruning"
    assert index_text(text).split()[:4] == ["冷", "冻", "电", "镜"]
    assert tokens(text) == tokens(index_text(text), indexed=False)
