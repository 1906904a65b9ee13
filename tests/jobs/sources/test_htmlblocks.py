"""The one HTML reader (lxml): a fragment's text for feeds and calendars, a page's lines."""

from jobs.sources.htmlblocks import html_blocks, html_lines, html_text, html_to_text


def test_a_calendar_description_keeps_its_lines_and_its_links():
    # The shape of a Google Calendar event description (HTML with <br> and anchors).
    html = ('Speaker: Jane Doe<br>Title: Flows &amp; Maps<br><a href="https://zoom.us/j/123">'
            'Join Zoom</a><br><a href="https://x.org/b">https://x.org/b</a>')
    assert html_text(html, links=True).splitlines() == [
        "Speaker: Jane Doe", "Title: Flows & Maps", "Join Zoom (https://zoom.us/j/123)",
        "https://x.org/b"]
    assert "(https://zoom.us" not in html_text(html)


def test_paragraphs_and_cells_are_blocks_and_inline_elements_are_not():
    html = "<p><b>Ann</b>, Bo</p><table><tr><td>a</td><td>b</td></tr></table>x<br>y"
    assert html_blocks(html) == ["Ann, Bo", "a", "b", "x", "y"]
    assert html_to_text(html) == "Ann, Bo a b x y"
    assert html_to_text("") == "" and html_blocks(None) == [] and html_text("  ") == ""


def test_what_is_never_shown_is_dropped_once_and_its_tail_kept_once():
    html = "<div>Speaker<script>alert(1)</script>: Jane<select><option>x</select> Doe</div>"
    assert html_to_text(html) == "Speaker: Jane Doe"
    lines, _ = html_lines(html)
    assert [line.text for line in lines] == ["Speaker: Jane Doe"]
