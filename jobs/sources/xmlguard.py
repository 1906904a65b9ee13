"""Refusing hostile XML before a feed parser sees it: entity tricks and absurd nesting.

A count of its tags, then one expat pass over the document (entity references left
unexpanded) that stops at the first entity declaration that could expand or reach outside
(billion laughs, external entities), a DOCTYPE that points at a non-web file, or elements
nested deeper than any feed needs.
A document that is not well-formed is left to the feed reader and its own error reporting.
"""

from __future__ import annotations

import re
import xml.parsers.expat

from bot.models import ParseError

MAX_DEPTH = 256  # feeds nest about 5 deep; Atom XHTML content a few dozen at most
# feedparser spends ~10 us a tag: a 10 MB document of empty tags would cost 20 s of CPU.
# arXiv's API at 2,000 results is ~60,000 tags; no feed lectern reads comes near this.
MAX_TAGS = 100_000
# feedparser is quadratic in the attributes of one element: 40,000 (430 KB) cost 18 s.
# A feed's root declares a dozen namespaces; no element needs more than this.
MAX_ATTRIBUTES = 256
# Only tags this long can hold that many attributes; the scan looks at no other.
_LONG_TAG = re.compile(r"<[^<>]{1024,}>")
MAX_ENTITY_VALUE = 8  # `<!ENTITY nbsp "&#160;">` is fine; anything longer may amplify
# Every `&` that is not one of XML's own references: the scan never expands an entity.
BARE_AMP = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)")


# A system id with a scheme other than http(s), or an absolute path: it names a local file.
_LOCAL_ID = re.compile(r"^\s*(?:/|\\|(?!https?:)[A-Za-z][A-Za-z0-9+.-]*:)", re.IGNORECASE)


class _Refused(Exception):
    pass


def _check_attributes(text: str) -> None:
    """Refuse an element with more attributes than any feed's, well-formed or not (the
    feed reader's loose parser reads both)."""
    for tag in _LONG_TAG.finditer(text):
        count = tag.group().count("=")
        if count > MAX_ATTRIBUTES:
            name = tag.group()[1:40].split()[0] if tag.group()[1:40].split() else "?"
            raise ParseError(f"the document was refused: its element <{name[:30]}> has "
                             f"about {count} attributes, more than the {MAX_ATTRIBUTES} any "
                             "feed needs; this is not a feed lectern will read")


def check_xml(text: str) -> None:
    """ParseError when the document declares dangerous entities, nests too deep or holds
    more tags than any feed."""
    tags = text.count("<")
    if tags > MAX_TAGS:
        raise ParseError(f"the document has {tags} tags, more than the {MAX_TAGS} any feed "
                         "lectern reads has; if it is a real feed, ask it for fewer entries")
    _check_attributes(text)
    parser = xml.parsers.expat.ParserCreate()
    depth = 0

    def start(name: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_DEPTH:
            raise _Refused(f"its elements nest more than {MAX_DEPTH} deep (at <{name}>), "
                           "which no feed does")

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(name: str, system_id: str | None, public_id: str | None,
                internal: int) -> None:
        if system_id and _LOCAL_ID.match(system_id):
            raise _Refused(f"its DOCTYPE points at {system_id!r}, a file outside the feed")

    def entity(name: str, is_parameter: int, value: str | None, base: str | None,
               system_id: str | None, public_id: str | None, notation: str | None) -> None:
        if is_parameter or value is None:
            what = system_id or public_id or "a parameter entity"
            raise _Refused(f"it declares the external or parameter entity {name!r} "
                           f"({what}), which could read files or expand without end")
        if "&" in value or "<" in value or len(value) > MAX_ENTITY_VALUE:
            raise _Refused(f"it declares the entity {name!r} with a long or nested value, "
                           "the shape of a 'billion laughs' attack")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(BARE_AMP.sub("&amp;", text), True)
    except _Refused as refused:
        raise ParseError(f"the document was refused: {refused}; this is not a feed lectern "
                         "will read") from None
    except xml.parsers.expat.ExpatError:
        return  # not well-formed: the feed reader reports that in its own words
