"""Demo data: Naledi Khoza's essays for M4's summative assessment, judged Competent on both
outcomes a year ago."""

from __future__ import annotations

from lms.marking.demo_answers import DemoEssays

SATURDAY, COLLECTIONS, ROSTER, CONDUCT = (
    "m4-saturday-campaign",
    "m4-brightcart-collections",
    "m4-night-roster",
    "m4-conduct-and-quality",
)

NALEDI = DemoEssays(
    {
        SATURDAY: (
            "(1) A call at 09:05 on a Saturday is fine, because the regulations under the "
            "Consumer Protection Act 68 of 2008 (CPA) allow marketing calls on Saturdays only "
            "from 09:00 to 13:00. Thandi opens with her own name and the company she is calling "
            "for, then warns the customer that the call is recorded. RICA, the Regulation of "
            "Interception of Communications and Provision of Communication-Related Information "
            "Act 70 of 2002, lets a business record a call only if the caller is warned first. "
            "She then verifies the customer before touching the account, as the Protection of "
            "Personal Information Act 4 of 2013 (POPIA) requires. "
            "(2) She is honest with him: the number comes from his own Vela Mobile account, and "
            "POPIA section 69 lets Vela Mobile offer its existing customers its own similar "
            "products, as long as it is open about who is calling and why. She then drops the "
            'offer, promises him no further sales calls and sets the "do not market" flag in '
            "the CRM, because section 11 of the CPA gives him the right to stop direct "
            "marketing. Bills and network notices will still reach him. "
            "(3) Before he reads out his card, she pauses the recording or moves him to the "
            "keypad system, writes nothing down, and restarts the recording once the payment "
            "goes through. PCI DSS, a card-industry standard enforced by contract and "
            "not a law, bans keeping the security code after authorisation, even encrypted. "
            "Before ending she tells him he may cancel within five business days without a "
            "penalty (CPA section 16). "
            "(4) She says no: after 13:00 on a Saturday no marketing calls are allowed unless a "
            "customer asked for a later time, so she stops at 13:00 and tells Sipho Ndlovu."
        ),
        COLLECTIONS: (
            "Brightcart's cardholders live in the US, and their own laws protect them no matter "
            "where the agent phoning them sits. Brightcart's contract also has compliance "
            "clauses that make those US rules Ilanga's duty, with penalties or the end of the "
            "contract if we break them. The Protection of Personal Information Act 4 of 2013 "
            "(POPIA) still binds Ilanga here too, so Kabelo follows both and keeps to the "
            "stricter rule. "
            "(1) In January Los Angeles is 10 hours behind us, so 08:00 there is 18:00 here on "
            "the same day. The Fair Debt Collection Practices Act of 1977 (FDCPA) allows calls "
            "from 08:00 to 21:00 in the customer's own time, so the request is fine and Kabelo "
            "books the callback for 18:00 South African time tomorrow. "
            "(2) He tells the sister nothing about the debt and leaves no message about the "
            "bill, because the FDCPA bans discussing a debt with other people and POPIA lets us "
            "share account details only with the verified holder. He may say he will try again "
            "later, without giving a reason. "
            "(3) He refuses. Saying a customer could be arrested is a threat and a false "
            "statement, and the FDCPA forbids both. He reports the colleague to his team leader "
            "or to Nomsa Zulu, the compliance manager. "
            "(4) This is a data breach. He reports it at once to his team leader or Nomsa Zulu, "
            "deletes nothing and does not try to fix it quietly. Ilanga is only the operator, "
            "so under POPIA it must tell Brightcart, the responsible party, immediately; "
            "Brightcart then decides how the customer and any regulator are told. "
            "On every call he also says that it comes from a debt collector."
        ),
        ROSTER: (
            "From 21:00 to 07:00 is 10 hours on site. Less the 30-minute meal, that leaves 9.5 "
            "hours of work a night, and 9.5 x 6 nights = 57 hours a week. The Basic Conditions "
            "of Employment Act 75 of 1997 (BCEA) allows 45 ordinary hours a week, and only 8 a "
            "day when someone works six days, so the draft is 12 hours too long. Those 12 hours "
            "cannot count as overtime, which needs agreement and is capped at 10 hours a week. "
            "From 21:00 to 03:00 is also 6 hours without a break, but a meal interval is due "
            "after 5 hours and must last 60 minutes unless a written agreement cuts it to 30. "
            "Rest is fine: 07:00 to 21:00 is 14 hours a day (12 needed), and Sunday 07:00 to "
            "Monday 21:00 is 38 hours a week (36 needed). "
            "As the shift falls between 18:00 and 06:00, agents must sign night-work "
            "agreements, get an allowance or shorter hours, and have transport both ways. For "
            "regular night work they must also hear about the health risks, be offered medical "
            "checks paid by Ilanga and be moved to day shifts where practicable if their health "
            "suffers. A fix: five nights of 22:00 to 07:00 with a 60-minute meal at 02:00, so "
            "8 x 5 = 40 hours, plus signed agreements, an allowance and a shuttle. "
            "Under the Occupational Health and Safety Act 85 of 1993 (OHSA), Ilanga must do an "
            "ergonomic risk assessment and supply adjustable chairs and screens, and must build "
            "screen breaks into the roster. Each agent must set up their own workstation and take "
            "those breaks, and must report hazards quickly and any incident before the shift "
            "ends."
        ),
        CONDUCT: (
            'Skipping a verification question broke the "verify first" data-protection rule, '
            "which comes from the Protection of Personal Information Act 4 of 2013 (POPIA), and "
            "it broke the script. Someone who sounds right may still be a stranger, so Thandi "
            "had to ask every question before discussing the account, however angry the "
            "customer was. "
            "Promising the refund broke the honesty rule in the code of conduct, since she may "
            "not offer what her role cannot approve. She should have escalated to Sipho Ndlovu, "
            "her team leader, who can approve it or pass it to Ayesha Patel and then Vela "
            "Mobile, and told the customer truthfully what would happen next. The demand for a "
            "manager was in itself a reason to escalate to Sipho. "
            "Not logging the complaint broke the complaints procedure. She should have entered "
            "it in the CRM under the right category, given the customer a reference number and "
            "explained the next steps and how long they take. "
            "The sticky note and her own phone broke the clean-desk and information-security "
            "rules: customer details may not sit on paper or leave the client's systems, and "
            "personal phones stay in the locker. A callback goes through the CRM and Ilanga's "
            "own lines, and the note must be shredded. "
            "When Priya scores the call, the skipped verification is a failed compliance item, "
            "so the whole evaluation scores 0 % however good the rest was, and Thandi is "
            "coached. Scripts and call flows exist to build legal and client requirements into "
            "every contact, and quality monitoring checks that they were really followed. That "
            "protects customers and gives the client evidence that Ilanga complies."
        ),
    }
)
