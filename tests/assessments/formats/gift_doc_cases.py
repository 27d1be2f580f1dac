"""The examples of Moodle's documentation page "GIFT format" (docs.moodle.org/en/GIFT_format)
up to its "Options" part, re-typed, with what Moodle's importer makes of each; the rest of the
page is in gift_doc_options.py.

Two examples read differently from what the page says around them, because the importer does
not do what the page describes: Q4 of the quick examples has two matching pairs where the page
asks for three (an error here), and Q7 has no `#` after its `{`, so Moodle imports it as a
short answer question accepting the texts "1822:0" and "1822:2".
"""

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
from tests.assessments.formats.gift_doc_texts import (
    GRANT_BORN,
    GRANTS_TOMB,
    MISSING_WORD_LAID_OUT,
    PI,
    QUICK_EXAMPLES,
    SYMBOLS_EXPLAINED,
    TOMB,
    TRUE_FALSE,
)

DOC_CASES = [
    GiftCase(
        "quick-examples",
        QUICK_EXAMPLES,
        [
            (2, question("truefalse", "1+1=2", name="Q1", truefalse=verdict(True))),
            (
                5,
                question(
                    "multichoice",
                    "What's between orange and green in the spectrum?",
                    name="Q2",
                    answers=[
                        right("yellow", "right; good!"),
                        wrong("red", "wrong, it's yellow"),
                        wrong("blue", "wrong, it's yellow"),
                    ],
                ),
            ),
            (
                9,
                question(
                    "shortanswer",
                    "Two plus _____ equals four.",
                    name="Q3",
                    answers=[right("two"), right("2")],
                ),
            ),
            (
                15,
                question(
                    "numerical",
                    "What is a number from 1 to 5?",
                    name="Q5",
                    numerical=[number(3, 2)],
                ),
            ),
            (
                18,
                question(
                    "numerical",
                    "What is a number from 1 to 5?",
                    name="Q6",
                    numerical=[number(3, 2)],
                ),
            ),
            (
                22,
                question(
                    "shortanswer",
                    GRANT_BORN,
                    name="Q7",
                    answers=[
                        right("1822:0", "Correct! Full credit."),
                        answer("1822:2", 50, "He was born in 1822. Half credit for being close."),
                    ],
                ),
            ),
            (28, question("essay", "How are you?", name="Q8")),
        ],
        ["12: a matching question needs at least three pairs, not 2"],
    ),
    GiftCase(
        "symbols-explained",
        SYMBOLS_EXPLAINED,
        [
            (
                2,
                question(
                    "multichoice",
                    "Question",
                    name="Question title",
                    answers=[right("A correct answer")]
                    + [
                        wrong(f"Wrong answer{n}", f"A response to wrong answer{n}")
                        for n in range(1, 5)
                    ],
                ),
            )
        ],
    ),
    GiftCase(
        "shortest-multiple-choice",
        "Question{= A Correct Answer ~Wrong answer1 ~Wrong answer2 ~Wrong answer3 "
        "~Wrong answer4 }\n",
        [
            (
                1,
                question(
                    "multichoice",
                    "Question",
                    answers=[right("A Correct Answer")]
                    + [wrong(f"Wrong answer{n}") for n in range(1, 5)],
                ),
            )
        ],
    ),
    GiftCase(
        "multiple-choice",
        "Who's buried in Grant's tomb?{=Grant ~no one ~Napoleon ~Churchill ~Mother Teresa }\n",
        [
            (
                1,
                question(
                    "multichoice",
                    "Who's buried in Grant's tomb?",
                    answers=[right("Grant")]
                    + [
                        wrong(text) for text in ("no one", "Napoleon", "Churchill", "Mother Teresa")
                    ],
                ),
            )
        ],
    ),
    GiftCase(
        "multiple-choice-with-feedback",
        GRANTS_TOMB,
        [
            (
                2,
                question(
                    "multichoice",
                    "Who is buried in Grant's tomb in New York City?",
                    name="Grants tomb",
                    answers=[
                        right("Grant"),
                        wrong(
                            "No one",
                            "Was true for 12 years, but Grant's remains were buried in the tomb "
                            "in 1897",
                        ),
                        wrong("Napoleon", "He was buried in France"),
                        wrong("Churchill", "He was buried in England"),
                        wrong("Mother Teresa", "She was buried in India"),
                    ],
                ),
            )
        ],
    ),
    GiftCase(
        "multiple-right-answers",
        f"{TOMB} {{\n   ~%-100%No one\n   ~%50%Grant\n   ~%50%Grant's wife\n"
        "   ~%-100%Grant's father\n}\n",
        [
            (
                1,
                question(
                    "multiresponse",
                    TOMB,
                    answers=[
                        answer("No one", -100),
                        answer("Grant", 50),
                        answer("Grant's wife", 50),
                        answer("Grant's father", -100),
                    ],
                ),
            )
        ],
    ),
    GiftCase(
        "true-false",
        TRUE_FALSE,
        [
            (
                2,
                question(
                    "truefalse",
                    "Grant was buried in a tomb in New York City.",
                    name="TrueStatement about Grant",
                    truefalse=verdict(True),
                ),
            ),
            (
                5,
                question(
                    "truefalse",
                    "The sun rises in the West.",
                    name="FalseStatement about sun",
                    truefalse=verdict(False),
                ),
            ),
        ],
    ),
    GiftCase(
        "short-answer",
        "Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant =Ulysses Grant}\n\n"
        "Two plus two equals {=four =4}\n",
        [
            (
                1,
                question(
                    "shortanswer",
                    "Who's buried in Grant's tomb?",
                    answers=[right("Grant"), right("Ulysses S. Grant"), right("Ulysses Grant")],
                ),
            ),
            (
                3,
                question("shortanswer", "Two plus two equals", answers=[right("four"), right("4")]),
            ),
        ],
    ),
    GiftCase(
        "matching",
        "Match the following countries with their corresponding capitals. {\n"
        "   =Canada -> Ottawa\n   =Italy  -> Rome\n   =Japan  -> Tokyo\n   =India  -> New Delhi\n"
        "   }\n",
        [
            (
                1,
                question(
                    "matching",
                    "Match the following countries with their corresponding capitals.",
                    pairs=[
                        pair("Canada", "Ottawa"),
                        pair("Italy", "Rome"),
                        pair("Japan", "Tokyo"),
                        pair("India", "New Delhi"),
                    ],
                ),
            )
        ],
    ),
    GiftCase(
        "missing-word",
        "Moodle costs {~lots of money =nothing ~a small amount} to download from moodle.org.\n",
        [
            (
                1,
                question(
                    "multichoice",
                    "Moodle costs _____ to download from moodle.org.",
                    answers=[wrong("lots of money"), right("nothing"), wrong("a small amount")],
                ),
            )
        ],
    ),
    GiftCase(
        "missing-word-laid-out",
        MISSING_WORD_LAID_OUT,
        [
            (
                1,
                question(
                    "multichoice",
                    "Mahatma Gandhi's birthday is an Indian holiday on  _____ of October.",
                    answers=[wrong("15th"), wrong("3rd"), right("2nd")],
                ),
            ),
            (
                7,
                question(
                    "multichoice",
                    'Since _____\nthe town of Hastings England has been "famous with visitors".',
                    answers=[wrong("495 AD"), right("1066 AD"), wrong("1215 AD"), wrong("43 AD")],
                ),
            ),
        ],
    ),
    GiftCase(
        "numerical",
        f"{GRANT_BORN}{{#1822:5}}\n",
        [(1, question("numerical", GRANT_BORN, numerical=[number(1822, 5)]))],
    ),
    GiftCase(
        "numerical-pi",
        "What is the value of pi (to 3 decimal places)? {#3.14159:0.0005}.\n",
        [(1, question("numerical", PI, numerical=[number(3.14159, 0.0005)]))],
    ),
    GiftCase(
        "numerical-span",
        "What is the value of pi (to 3 decimal places)? {#3.141..3.142}.\n",
        [(1, question("numerical", PI, numerical=[number(3.1415, 0.0005)]))],
    ),
    GiftCase(
        "numerical-several-spans",
        f"{GRANT_BORN} {{#\n   =1822:0\n   =%50%1822:2\n}}\n",
        [(1, question("numerical", GRANT_BORN, numerical=[number(1822), number(1822, 2, 50)]))],
    ),
    GiftCase(
        "essay",
        "Write a short biography of Dag Hammarskjöld. {}\n",
        [(1, question("essay", "Write a short biography of Dag Hammarskjöld."))],
    ),
    GiftCase(
        "description",
        "You can use your pencil and paper for these next math questions.\n",
        [
            (
                1,
                question(
                    "description",
                    "You can use your pencil and paper for these next math questions.",
                ),
            )
        ],
    ),
]
