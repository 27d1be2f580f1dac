"""Every construct of GIFT the reader knows, one small case each, with its expected as_json()."""

from __future__ import annotations

from tests.assessments.formats.expected import (
    GiftCase,
    answer,
    number,
    pair,
    question,
    right,
    verdict,
    wrong,
)


def single(gift: str, *expected: dict) -> GiftCase:
    """A case whose text is one question on line 1 (the id is the GIFT itself)."""
    return GiftCase(gift, gift, [(1, expected[0])])


CONSTRUCT_CASES = [
    # Multiple choice: '=' right, '~' wrong; any '=' makes it single-answer.
    single(
        "Q? {=a ~b ~c}", question("multichoice", "Q?", answers=[right("a"), wrong("b"), wrong("c")])
    ),
    single(
        "Q? {~%50%a ~%50%b ~%-100%c}",
        question(
            "multiresponse", "Q?", answers=[answer("a", 50), answer("b", 50), answer("c", -100)]
        ),
    ),
    single(
        "Q? {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}",
        question(
            "multiresponse",
            "Q?",
            answers=[*(answer(x, 33.33333) for x in "abc"), answer("d", -100)],
        ),
    ),
    # Moodle takes a grade within 0.00001 of one it offers, and stores the one it offers.
    single(
        "Q? {=a ~%33.333%b ~%-14.2857%c}",
        question(
            "multichoice", "Q?", answers=[right("a"), answer("b", 33.33333), answer("c", -14.28571)]
        ),
    ),
    single(
        "Q? {=a ~%100%b ~%0%c}",
        question("multichoice", "Q?", answers=[right("a"), right("b"), wrong("c")]),
    ),
    # Text before the first mark is an answer too (a wrong one here), as in Moodle.
    single(
        "Q? {a ~b =c}", question("multichoice", "Q?", answers=[wrong("a"), wrong("b"), right("c")])
    ),
    # Missing word: the text keeps a blank where the block was and goes on after it.
    single(
        "The {=cat ~dog} sat on the mat.",
        question("multichoice", "The _____ sat on the mat.", answers=[right("cat"), wrong("dog")]),
    ),
    single(
        "{=Paris ~Lyon} is the capital.",
        question("multichoice", "_____ is the capital.", answers=[right("Paris"), wrong("Lyon")]),
    ),
    single(
        "The sun is {T} hot.",
        question("truefalse", "The sun is _____ hot.", truefalse=verdict(True)),
    ),
    single(
        "Pi is {#3.14:0.01} or so.",
        question("numerical", "Pi is _____ or so.", numerical=[number(3.14, 0.01)]),
    ),
    # True/false: the first feedback is for a wrong answer, the second for a right one.
    single("Q {T}", question("truefalse", "Q", truefalse=verdict(True))),
    single("Q {F}", question("truefalse", "Q", truefalse=verdict(False))),
    single("Q {TRUE}", question("truefalse", "Q", truefalse=verdict(True))),
    single("Q {FALSE}", question("truefalse", "Q", truefalse=verdict(False))),
    single(
        "Q {T#wrong#right}", question("truefalse", "Q", truefalse=verdict(True, "right", "wrong"))
    ),
    single(
        "Q {F#wrong#right}", question("truefalse", "Q", truefalse=verdict(False, "wrong", "right"))
    ),
    single(
        "Q {TRUE#only wrong}",
        question("truefalse", "Q", truefalse=verdict(True, None, "only wrong")),
    ),
    single(
        "Q {FALSE##only right}",
        question("truefalse", "Q", truefalse=verdict(False, None, "only right")),
    ),
    single(
        "Q {T # no # yes ####Always.}",
        question(
            "truefalse", "Q", general_feedback="Always.", truefalse=verdict(True, "yes", "no")
        ),
    ),
    # Moodle compares T/F in capitals: {true} is a short answer accepting "true".
    single("Q {true}", question("shortanswer", "Q", answers=[right("true")])),
    # Short answer: all '=', weights as =%n%, a single answer may go without '='.
    single(
        "Who? {=Ana =%50%Anna#Almost. =%-25%Bob}",
        question(
            "shortanswer",
            "Who?",
            answers=[right("Ana"), answer("Anna", 50, "Almost."), answer("Bob", -25)],
        ),
    ),
    single(
        "What's 6 plus 2? {eight}",
        question("shortanswer", "What's 6 plus 2?", answers=[right("eight")]),
    ),
    # Numerical: tolerance, range (its middle, and half its width), several weighted answers.
    single("N {#3.5:0.1}", question("numerical", "N", numerical=[number(3.5, 0.1)])),
    single("N {#1..5}", question("numerical", "N", numerical=[number(3, 2)])),
    single("N {#2}", question("numerical", "N", numerical=[number(2)])),
    single("N {#-1..1}", question("numerical", "N", numerical=[number(0, 1)])),
    single("N {#-2.5e3:+1E2}", question("numerical", "N", numerical=[number(-2500, 100)])),
    single(
        "N {#=%100%3:0#Exact. =%50%3:1#Close.}",
        question(
            "numerical", "N", numerical=[number(3, 0, 100, "Exact."), number(3, 1, 50, "Close.")]
        ),
    ),
    single(
        "N {# 7 ####Seven.}",
        question("numerical", "N", general_feedback="Seven.", numerical=[number(7)]),
    ),
    # Matching: '=prompt -> answer'; a pair with no prompt adds a wrong answer.
    single(
        "Match. {=a -> 1 =b->2 =c  ->  3 = -> 4}",
        question(
            "matching",
            "Match.",
            pairs=[pair("a", "1"), pair("b", "2"), pair("c", "3"), pair("", "4")],
        ),
    ),
    # Essay and description.
    single("Tell us about yourself. {}", question("essay", "Tell us about yourself.")),
    single(
        "Tell us about yourself. {####Be brief.}",
        question("essay", "Tell us about yourself.", general_feedback="Be brief."),
    ),
    single(
        "Read the next three questions carefully.",
        question("description", "Read the next three questions carefully."),
    ),
    single("[html]<p>Read this.</p>", question("description", "<p>Read this.</p>", format="html")),
    # Names, general feedback, per-answer feedback.
    single("::My name::Q {T}", question("truefalse", "Q", name="My name", truefalse=verdict(True))),
    single(
        r"::Ratio 1\:2::Q {T}",
        question("truefalse", "Q", name="Ratio 1:2", truefalse=verdict(True)),
    ),
    single(
        "Q {=a#Yes. ~b#No. ####Both are letters.}",
        question(
            "multichoice",
            "Q",
            general_feedback="Both are letters.",
            answers=[right("a", "Yes."), wrong("b", "No.")],
        ),
    ),
    # Text formats: the tag before the text; the same tag may start an answer or feedback.
    *(
        single(f"[{name}]Q {{T}}", question("truefalse", "Q", format=name, truefalse=verdict(True)))
        for name in ("moodle", "html", "plain", "markdown")
    ),
    single(
        "::n::[html]<b>Q</b> {=[html]<i>a</i>#[html]<u>yes</u> ~b}",
        question(
            "multichoice",
            "<b>Q</b>",
            name="n",
            format="html",
            answers=[right("<i>a</i>", "<u>yes</u>"), wrong("b")],
        ),
    ),
    # Brackets that are not a single word are text, as in Moodle.
    single("[1] Q {T}", question("truefalse", "[1] Q", truefalse=verdict(True))),
    single("[moodle][Note] Q {T}", question("truefalse", "[Note] Q", truefalse=verdict(True))),
    # Escapes: resolved in text, answers and feedback; other backslashes are kept.
    single(
        r"1 + 1 \= 2\: \{\~\#\} {=\= yes#\#1\n\\ ~no}",
        question("multichoice", "1 + 1 = 2: {~#}", answers=[right("= yes", "#1\n\\"), wrong("no")]),
    ),
    single(
        r"Line one\nline two {T}",
        question("truefalse", "Line one\nline two", truefalse=verdict(True)),
    ),
    single(
        r"LaTeX \(x^2\) and \\n {T}",
        question("truefalse", r"LaTeX \(x^2\) and \n", truefalse=verdict(True)),
    ),
    single("Mind //this {T}", question("truefalse", "Mind //this", truefalse=verdict(True))),
    single(
        "Café, naïve, 東京? {=はい ~いいえ}",
        question("multichoice", "Café, naïve, 東京?", answers=[right("はい"), wrong("いいえ")]),
    ),
    # Whole-line comments, even indented or inside a question, are left out.
    GiftCase(
        "comments-inside",
        "// before\n   // indented\n::n::Q\n// between\n{\n\t=a\n  // among the answers\n\t~b\n}\n",
        [(3, question("multichoice", "Q", name="n", answers=[right("a"), wrong("b")]))],
    ),
    # Several lines, blank-line separation (blank lines may hold spaces), categories.
    GiftCase(
        "multi-line-and-blank-lines",
        "First line\n  second line\n{\n  =a\n  ~b\n}\n \n\t\n\n\nNext {T}\n",
        [
            (
                1,
                question(
                    "multichoice", "First line\nsecond line", answers=[right("a"), wrong("b")]
                ),
            ),
            (11, question("truefalse", "Next", truefalse=verdict(True))),
        ],
    ),
    GiftCase(
        "categories",
        "Before {T}\n\n$CATEGORY: induction/week 1\n\nA {T}\n\nB {F}\n\n"
        "$CATEGORY:   $course$/top/x \n\nC {T}\n",
        [
            (1, question("truefalse", "Before", truefalse=verdict(True))),
            (5, question("truefalse", "A", category="induction/week 1", truefalse=verdict(True))),
            (7, question("truefalse", "B", category="induction/week 1", truefalse=verdict(False))),
            (11, question("truefalse", "C", category="$course$/top/x", truefalse=verdict(True))),
        ],
    ),
    # Files: a BOM, Windows and old Mac line ends.
    GiftCase(
        "bom-crlf",
        "\ufeff// c\r\nQ one {T}\r\n\r\nQ two\r\n{F}\r\n",
        [
            (2, question("truefalse", "Q one", truefalse=verdict(True))),
            (4, question("truefalse", "Q two", truefalse=verdict(False))),
        ],
    ),
    GiftCase(
        "old-mac",
        "Q one {T}\r\rQ two\r{F}\r",
        [
            (1, question("truefalse", "Q one", truefalse=verdict(True))),
            (3, question("truefalse", "Q two", truefalse=verdict(False))),
        ],
    ),
    GiftCase("empty-file", "", []),
    GiftCase("only-comments-and-blanks", "// one\n\n   \n// two\n", []),
]
