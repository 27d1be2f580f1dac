"""The examples of the "Options" part of Moodle's "GIFT format" page (comments, names,
feedback, weights, formats, special characters, categories), re-typed, with what Moodle's
importer makes of each.

The page's two `$CATEGORY` lines are each followed by a question here, to show what they do.
The PHP line about case-sensitive short answers is not GIFT and is left out.
"""

from __future__ import annotations

from tests.assessments.formats.expected import (
    GiftCase,
    answer,
    number,
    question,
    right,
    verdict,
    wrong,
)

FEEDBACK = """\
What's the answer to this multiple-choice question? {
  ~wrong answer#feedback comment on the wrong answer
  ~another wrong answer#feedback comment on this wrong answer
  =right answer#Very good!
}

//From The Hitchhiker's Guide to the Galaxy
Deep Thought said " {
  =forty two#Correct according to The Hitchhiker's Guide to the Galaxy!
  =42#Correct, as told to Loonquawl and Phouchg
  =forty-two#Correct!
}  is the Ultimate Answer to the Ultimate Question of Life, The Universe, and Everything."

   42 is the Absolute Answer to everything.{
FALSE#42is the Ultimate Answer.#You gave the right answer.}
"""

WEIGHTS = """\
Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}

::Jesus' hometown::Jesus Christ was from {
   ~Jerusalem#This was an important city, but the wrong answer.
   ~%25%Bethlehem#He was born here, but not raised here.
   ~%50%Galilee#You need to be more specific.
   =Nazareth#Yes! That's right!
}.

::Jesus' hometown:: Jesus Christ was from {
   =Nazareth#Yes! That's right!
   =%75%Nazereth#Right, but misspelled.
   =%25%Bethlehem#He was born here, but not raised here.
}
"""

SPECIAL_CHARACTERS = r"""
Which answer equals 5? {
   ~ \= 2 + 2
   = \= 2 + 3
   ~ \= 2 + 4
}

::GIFT Control Characters::
Which of the following is NOT a control character for the GIFT import format? {
  ~ \~     # \~ is a control character.
  ~ \=     # \= is a control character.
  ~ \#     # \# is a control character.
  ~ \{     # \{ is a control character.
  ~ \}     # \} is a control character.
  = \      # Correct! \ (backslash) is not a control character. BUT,
             it is used to escape the control characters.
}
"""

LATEX = r"""::Odd_Part_Formula::The odd part of a continuous-time signal \\( x(t) \\), denoted as \\( \mathcal\{Odd\} (x(t)) \\), is given by which formula? {
=\\( 0.5 * [x(t) - x(-t)] \\)
~\\( 0.5 * [x(t) + x(-t)] \\)
~\\( x(t) + x(-t) \\)
~\\( x(t) - x(-t) \\)
}
"""  # noqa: E501 - the page's example is one long line

TOMB = "What two people are entombed in Grant's tomb?"
FRANCE = "What's the answer to this multiple-choice question?"
DEEP_THOUGHT = (
    'Deep Thought said " _____  is the Ultimate Answer to the Ultimate Question of Life, '
    'The Universe, and Everything."'
)
JESUS = "Jesus Christ was from _____."
THANKSGIVING = (
    "The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of November."
)

OPTION_CASES = [
    GiftCase(
        "line-comments",
        "// Subheading: Numerical questions below\nWhat's 2 plus 2? {#4}\n",
        [(2, question("numerical", "What's 2 plus 2?", numerical=[number(4)]))],
    ),
    GiftCase(
        "exported-by-moodle",
        "// question: 914  name: What's 2 plus 2?\n"
        "::What's 2 plus 2?::What's 2 plus 2?{#\n    =4:0#\n}\n",
        [
            (
                2,
                question(
                    "numerical", "What's 2 plus 2?", name="What's 2 plus 2?", numerical=[number(4)]
                ),
            )
        ],
    ),
    GiftCase("id-and-tags-comment", "//  [id:123] [tag:basic] [tag:set 1]\n", []),
    GiftCase(
        "question-names",
        "::Kanji Origins::Japanese characters originally\ncame from what country? {=China}\n\n"
        "::Thanksgiving Date::The American holiday of Thanksgiving is\n"
        "celebrated on the {~second ~third =fourth} Thursday of November.\n",
        [
            (
                1,
                question(
                    "shortanswer",
                    "Japanese characters originally\ncame from what country?",
                    name="Kanji Origins",
                    answers=[right("China")],
                ),
            ),
            (
                4,
                question(
                    "multichoice",
                    THANKSGIVING,
                    name="Thanksgiving Date",
                    answers=[wrong("second"), wrong("third"), right("fourth")],
                ),
            ),
        ],
    ),
    GiftCase(
        "feedback",
        FEEDBACK,
        [
            (
                1,
                question(
                    "multichoice",
                    FRANCE,
                    answers=[
                        wrong("wrong answer", "feedback comment on the wrong answer"),
                        wrong("another wrong answer", "feedback comment on this wrong answer"),
                        right("right answer", "Very good!"),
                    ],
                ),
            ),
            (
                8,
                question(
                    "shortanswer",
                    DEEP_THOUGHT,
                    answers=[
                        right(
                            "forty two",
                            "Correct according to The Hitchhiker's Guide to the Galaxy!",
                        ),
                        right("42", "Correct, as told to Loonquawl and Phouchg"),
                        right("forty-two", "Correct!"),
                    ],
                ),
            ),
            (
                14,
                question(
                    "truefalse",
                    "42 is the Absolute Answer to everything.",
                    # FALSE is right: a learner who picks True sees the first (wrong-answer) text.
                    truefalse=verdict(
                        False, "42is the Ultimate Answer.", "You gave the right answer."
                    ),
                ),
            ),
        ],
    ),
    GiftCase(
        "percentage-weights",
        WEIGHTS,
        [
            (
                1,
                question(
                    "multichoice",
                    "Difficult question.",
                    answers=[
                        wrong("wrong answer"),
                        answer("half credit answer", 50),
                        right("full credit answer"),
                    ],
                ),
            ),
            (
                3,
                question(
                    "multichoice",
                    JESUS,
                    name="Jesus' hometown",
                    answers=[
                        wrong("Jerusalem", "This was an important city, but the wrong answer."),
                        answer("Bethlehem", 25, "He was born here, but not raised here."),
                        answer("Galilee", 50, "You need to be more specific."),
                        right("Nazareth", "Yes! That's right!"),
                    ],
                ),
            ),
            (
                10,
                question(
                    "shortanswer",
                    "Jesus Christ was from",
                    name="Jesus' hometown",
                    answers=[
                        right("Nazareth", "Yes! That's right!"),
                        answer("Nazereth", 75, "Right, but misspelled."),
                        answer("Bethlehem", 25, "He was born here, but not raised here."),
                    ],
                ),
            ),
        ],
    ),
    GiftCase(
        "text-format",
        "[markdown]The *American holiday of Thanksgiving* is celebrated on the {\n"
        "   ~second\n   ~third\n   =fourth\n} Thursday of November.\n",
        [
            (
                1,
                question(
                    "multichoice",
                    "The *American holiday of Thanksgiving* is celebrated on the _____ "
                    "Thursday of November.",
                    format="markdown",
                    answers=[wrong("second"), wrong("third"), right("fourth")],
                ),
            )
        ],
    ),
    GiftCase(
        "multiple-answers",
        f"{TOMB} {{\n   ~No one\n   ~%50%Grant\n   ~%50%Grant's wife\n   ~Grant's father\n}}\n\n"
        f"{TOMB} {{\n   ~%-50%No one\n   ~%50%Grant\n   ~%50%Grant's wife\n"
        "   ~%-50%Grant's father\n}\n",
        [
            (
                1,
                question(
                    "multiresponse",
                    TOMB,
                    answers=[
                        wrong("No one"),
                        answer("Grant", 50),
                        answer("Grant's wife", 50),
                        wrong("Grant's father"),
                    ],
                ),
            ),
            (
                8,
                question(
                    "multiresponse",
                    TOMB,
                    answers=[
                        answer("No one", -50),
                        answer("Grant", 50),
                        answer("Grant's wife", 50),
                        answer("Grant's father", -50),
                    ],
                ),
            ),
        ],
    ),
    GiftCase(
        "special-characters",
        SPECIAL_CHARACTERS,
        [
            (
                2,
                question(
                    "multichoice",
                    "Which answer equals 5?",
                    answers=[wrong("= 2 + 2"), right("= 2 + 3"), wrong("= 2 + 4")],
                ),
            ),
            (
                8,
                question(
                    "multichoice",
                    "Which of the following is NOT a control character for the GIFT import format?",
                    name="GIFT Control Characters",
                    answers=[wrong(char, f"{char} is a control character.") for char in "~=#{}"]
                    + [
                        right(
                            "\\",
                            "Correct! \\ (backslash) is not a control character. BUT,\n"
                            "it is used to escape the control characters.",
                        )
                    ],
                ),
            ),
        ],
    ),
    GiftCase(
        "categories",
        "$CATEGORY: tom/dick/harry\n\nGrant is buried in Grant's tomb.{F}\n\n"
        "$CATEGORY: mycategory\n\nThe sun rises in the east.{T}\n",
        [
            (
                3,
                question(
                    "truefalse",
                    "Grant is buried in Grant's tomb.",
                    category="tom/dick/harry",
                    truefalse=verdict(False),
                ),
            ),
            (
                7,
                question(
                    "truefalse",
                    "The sun rises in the east.",
                    category="mycategory",
                    truefalse=verdict(True),
                ),
            ),
        ],
    ),
    GiftCase(
        "latex",
        LATEX,
        [
            (
                1,
                question(
                    "multichoice",
                    r"The odd part of a continuous-time signal \( x(t) \), denoted as "
                    r"\( \mathcal{Odd} (x(t)) \), is given by which formula?",
                    name="Odd_Part_Formula",
                    answers=[
                        right(r"\( 0.5 * [x(t) - x(-t)] \)"),
                        wrong(r"\( 0.5 * [x(t) + x(-t)] \)"),
                        wrong(r"\( x(t) + x(-t) \)"),
                        wrong(r"\( x(t) - x(-t) \)"),
                    ],
                ),
            )
        ],
    ),
]
