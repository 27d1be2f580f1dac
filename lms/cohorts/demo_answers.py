"""Demo data: what Nomvula Sithole, the cohort demo's floor-ready learner, wrote for the
summative assessments of M1, M2, M3 and M5, each judged Competent on every outcome. (For M4
she is given Naledi Khoza's answers, as the certificate demo gives Ayanda Dube's to others.)"""

# ruff: noqa: RUF001 -- the working is written as learners type it, with times and minus signs.

from __future__ import annotations

from lms.marking.demo_answers import AIMS, CHANGE, OVERSIGHT, RUSHING, DemoEssays

NOMVULA_M1 = DemoEssays(
    {
        AIMS: (
            "Ilanga runs Vela Mobile's customer service so well that Vela's customers stay, and "
            "it does so at a cost that keeps the contract renewed. Two objectives follow: 80 % "
            "of calls answered within 20 seconds in every half-hour interval, and no more than "
            "5 % of callers abandoning. For most customers the voice on our line is the only "
            "person from Vela Mobile they ever speak to, so what they think of the brand is "
            "what we give them. Meeting the objectives means the customer is helped quickly, "
            "correctly and politely; for Ilanga it means the contract is kept, no service "
            "credits are paid and its reputation with other clients grows."
        ),
        RUSHING: (
            "The colleague's AHT would improve, but FCR, QA scores and customer satisfaction "
            "would fall, coaching would find the pattern and the false wrap-up codes break the "
            "code of conduct, so the shortcut costs him development and trust. Vela Mobile's "
            "customers would wait again, repeat their story and stay unhappy. For Ilanga the "
            "repeat calls add cost and push the SLA off target, which puts the contract at "
            "risk. Thandi should keep solving each call fully and raise the tip with Sipho "
            "Ndlovu, her team leader, because it harms customers and the team."
        ),
        CHANGE: (
            "People: Lerato Khumalo, the trainer, briefs every agent on the new upgrade rules "
            "and the team leaders run a huddle on launch day. Process: Vela Mobile sends the "
            "rules early, one person owns the updated procedure and knowledge article, and the "
            "QA analyst adds the new steps to the scorecard. Technology: the knowledge base, "
            "scripts and wrap-up codes are changed before launch and the WFM analyst plans for "
            "the extra calls. An article alone changes nothing if nobody is briefed, owns it "
            "or is checked on using it. The operations manager agrees the plan with Vela "
            "Mobile. A strong agent can become a team leader, or move into QA or training."
        ),
        OVERSIGHT: (
            "Megan Clarke is Harbour & Hale's client liaison: she follows our daily work against "
            "the contract and its SLA (90 % of calls answered in 30 seconds) and keeps both "
            "sides talking. Harbour & Hale supplies the training, scripts and procedure manuals. "
            "Our QA analysts and team leaders score calls every day, and Megan listens to calls "
            "and joins calibration sessions. Front-office calls shape how UK customers see "
            "Harbour & Hale, so the client stays closer than on Sizwe Life's back-office claims "
            "work. Being offshore, the UK is one or two hours behind, so shifts are replanned "
            "when its clocks change, and agents learn UK terms and are treated with equal "
            "respect by the client's staff."
        ),
    }
)

NOMVULA_M2 = DemoEssays(
    {
        "m2-explain-ilanga": (
            "BPO means a company, the client, pays an outside company, the provider, to run one "
            "of its business processes under a contract. Ilanga is the provider; the customer "
            "is the client's customer, whom we serve in the client's name. A contact centre is "
            "the part of the work with live customer contact (calls, chats, WhatsApp), so "
            "Ilanga is a BPO whose work is mostly, but not only, contact-centre work: the Sizwe "
            "Life team never speaks to customers. BPM goes further: the provider also improves "
            "the process with automation, self-service and data. Outsourcing began in "
            "manufacturing supply chains, such as Coca-Cola's, before it reached offices. "
            "Judged from the client's country, Vela Mobile and Sizwe Life are onshore (South "
            "African) and Harbour & Hale Energy (UK) and Brightcart (US) are offshore. A UK "
            "company uses Durban for English, a small time difference and lower cost. As an "
            "illustration, a Namibian bank served from Cape Town would be nearshore."
        ),
        "m2-briefing-types": (
            "Vela Mobile is front office: we answer its customers' calls about bills and "
            "faults. Brightcart is front office too: we answer its shoppers' chats and emails. "
            "Sizwe Life is back office: we process claims and capture policy data, with no "
            "customer contact; the best name for it is industry-specific BPO (insurance). "
            "Inbound centres take contacts the customer starts, like Thandi's Vela Mobile team "
            "or the Harbour & Hale line. Outbound centres start the contact from a list, like "
            "the Vela Mobile upgrades team. Blended centres switch the same agents between "
            "both as the queues change, like the Vela Mobile collections team. Virtual centres "
            "have agents away from a site on a cloud platform, like Kabelo Molefe and the "
            "home-based Brightcart chat agents. KPO is expert work such as market research and "
            "data analysis for a client; ITO is IT work such as running an IT help desk; "
            "content moderation is reviewing what users post against a platform's rules."
        ),
        "m2-outsourcing-case": (
            "Benefits: lower cost, because Ilanga already has the buildings, systems and "
            "trained people, and South African costs are below the UK's; focus, because Harbour "
            "& Hale's managers can concentrate on supplying energy; expertise, because Ilanga "
            "already knows the account and has QA, WFM and training in place; and scale, "
            "because agents can be added for winter or a price change. Challenges: UK "
            "customers' personal data is handled in South Africa, so access controls, "
            "clean-desk rules and data-protection clauses in the contract are needed; "
            "complaints need skill, so an agreed QA scorecard and joint calibration sessions "
            "keep quality up; Harbour & Hale could lose its own know-how, so it should own the "
            "documented procedures and keep an exit plan; the time difference and UK culture "
            "need meetings in overlapping hours, Megan on site and language training; and "
            "moving the work has hidden costs (training, travel, managing the contract), which "
            "should be agreed and budgeted up front."
        ),
        "m2-industry-future": (
            "The 2017 BPO Services Global Industry Almanac estimated worldwide BPO revenue at "
            "about US$140 billion in 2016 and forecast about US$163 billion by the end of 2021: "
            "growth of US$23 billion, about 16 % over five years, or roughly 3 % a year. These "
            "are estimates made before COVID-19, but they show an industry that is growing, not "
            "dying. What is changing is the work: balance checks, order tracking and password "
            "resets move to apps, chatbots, self-service portals and the IVR, so that kind of "
            "outsourcing shrinks. Providers are moving from BPO to BPM: they redesign and "
            "improve the client's process with technology and data, often in one industry. "
            "For Thandi this means the contacts left for people are the hard ones (faults, "
            "disputes, complaints), so she should build problem-solving, calm handling of upset "
            "customers, judgement, product knowledge and comfort with new systems; those skills "
            "also lead to team leader, QA, training or WFM roles."
        ),
    }
)

NOMVULA_M3 = DemoEssays(
    {
        "m3-explain-sla": (
            "(a) The SLA is the part of the contract between Harbour & Hale Energy, the client, "
            "and Ilanga, the provider, that defines the service and how it is measured. It "
            "gives both sides shared, measurable expectations, makes each side accountable, is "
            "the basis for reports and reviews, and sets service credits when targets are "
            "missed. (b) Its parts include: scope (billing and moving-home calls and emails, no "
            "sales); hours of service (on UK time, so our shifts move when UK clocks change); "
            "channels (voice and email); metrics and targets (90 % of calls answered within 30 "
            "seconds, per half hour); measurement and reporting (which system, how often); "
            "responsibilities of both sides (Harbour & Hale gives notice of price-change "
            "letters); the escalation path; service credits; and exclusions (Harbour & Hale's "
            "billing system being down). (c) Megan Clarke, the client's liaison, follows the "
            "daily work and keeps communication open; reports go to the client and results "
            "are reviewed monthly; QA scores and the client's call listening are calibrated "
            "together, and Harbour & Hale supplies scripts, procedures and training."
        ),
        "m3-interval-report": (
            "(a) Calls offered = 386 − 6 = 380 (check: 362 answered + 18 abandoned = 380). "
            "Service level = answered within 20 s ÷ offered × 100 = 310 ÷ 380 × 100 = 81.6 %. "
            "Abandonment rate = 18 ÷ 380 × 100 = 4.7 %. AHT = (talk + hold + after-call work) "
            "÷ calls handled = (1,520 + 145 + 326) ÷ 362 = 1,991 ÷ 362 = 5.5 minutes = 330 "
            "seconds. Occupancy = handling time ÷ available time × 100 = (362 × 330) ÷ (74 × "
            "1,800) × 100 = 119,460 ÷ 133,200 × 100 = 89.7 %. (b) The service-level target of "
            "80 % was met (81.6 %), and the abandonment limit of 5 % was met, only just (4.7 "
            "%). (c) The average speed of answer would show how long answered callers waited "
            "on average; the service level only counts how many got through within 20 "
            "seconds, and the rest may have waited a long time. First-contact resolution "
            "would show whether the customers' problems were solved on this call or will come "
            "back as repeat calls, which none of the speed figures can tell Ayesha."
        ),
        "m3-staffing-plan": (
            "(a) Traffic = calls × AHT ÷ interval = 300 × 270 ÷ 1,800 = 45 erlangs: 45 agents' "
            "worth of handling work for the whole half hour. (b) Erlang C is the standard "
            "model: from the traffic, the number of agents and the AHT it predicts how likely "
            "a call is to wait, and so the service level, the speed of answer and occupancy. "
            "Calls arrive in bunches, not evenly, so with 45 agents there is no spare capacity "
            "and the queue keeps growing; more agents than the traffic are always needed. "
            "(c) 51 agents must take calls: 51 gives 81.5 %, while 50 gives 74.9 % and misses. "
            "Near the traffic figure each agent adds badly needed spare capacity, so going "
            "from 46 to 47 lifts the service level by about 18 points (22.7 % to 40.8 %); from "
            "51 to 52 adds only 5 points, because extra agents past the target mostly add idle "
            "time. (d) Shrinkage is paid time when scheduled agents are not taking calls: "
            "breaks, training, coaching, meetings, leave and absence. Scheduled = 51 ÷ (1 − "
            "0.30) = 72.9, so 73 agents must be scheduled."
        ),
        "m3-your-numbers": (
            "(a) The SLA target is Ilanga's promise in the Vela Mobile contract: 80 % of calls "
            "answered within 20 seconds per interval and no more than 5 % abandoned, judged on "
            "the whole queue, with service credits if missed; nine missed intervals count "
            "against it. Schedule adherence is a KPI that managers track for the team and each "
            "agent (our 86 %). The 92 % is an internal target Ilanga sets itself, not in the "
            "contract, to protect the SLA. (b) Coming back from breaks and logging in on time "
            "raises adherence, so more agents are available and service level and abandonment "
            "improve. Using hold only when needed and finishing after-call work promptly keeps "
            "AHT down. Solving the problem fully raises FCR and cuts repeat calls. Verifying "
            "every caller and following the procedure keeps the QA score up. Our low adherence "
            "probably helped miss those intervals. (c) Meeting the SLA means customers are "
            "answered quickly, Ilanga earns its full fee and Vela Mobile's trust, and agents "
            "keep their breaks and training. Missing it means customers wait, hang up and "
            "complain, Ilanga pays service credits and risks the account and its jobs, and "
            "agents face overtime, moved breaks and closer monitoring."
        ),
    }
)

NOMVULA_M5 = DemoEssays(
    {
        "m5-ten-functions-explained": (
            "Customer support: explaining a higher Vela Mobile bill. Technical support: getting "
            "mobile data working after a Vela customer moves her SIM to a new phone. Sales and "
            "telemarketing: outbound calls offering Vela Mobile contract upgrades. Order "
            "processing and payments: tracking a late Brightcart parcel and starting a refund. "
            "Complaints and conflict resolution: a Harbour & Hale customer billed for a house "
            "she has left. Market research and surveys: asking customers who left Vela Mobile "
            "why they went. Appointment scheduling: booking a Harbour & Hale engineer visit. "
            "Emergency and crisis support: a Harbour & Hale customer who smells gas. Internal "
            "help desk: a home-based agent who cannot sign in calls Ilanga's IT help desk. "
            "Fraud prevention and identity verification: refusing a SIM swap for a caller who "
            "cannot be verified."
        ),
        "m5-one-customer-three-channels": (
            "The email and the social-media post are complaints and conflict resolution (and "
            "billing support). The agent verifies her, acknowledges the problem and "
            "apologises, checks the moving date and final meter readings, asks for the account "
            "to be corrected, logs the complaint under Harbour & Hale's procedure and tells her "
            "when she will hear back. On social media the reply must come quickly and "
            "politely in public but never with account details; the agent moves her to a "
            "private message where she can be verified. Email is not live, so the reply must "
            "be complete and answer every point within the SLA time. The phone call is live, "
            "so tone and silences matter and the fastest reply is expected. When she mentions "
            "gas, the call becomes emergency support: the agent stops the billing "
            "conversation at once and follows the gas-emergency script, giving the national "
            "gas emergency line, 0800 111 999; the bill is picked up later. Good CRM notes in "
            "every channel mean she never has to repeat herself."
        ),
        "m5-chatbot-briefing": (
            "(a) The cloud contact-centre platform is software the supplier runs and we reach "
            "over the internet: agents in Umhlanga, Rosebank and at home work the same queues, "
            "and calls, chats and WhatsApp messages arrive in one desktop. The IVR greets "
            "callers, collects their number and reason and routes them, and offers simple "
            "self-service. CRM integration opens the customer's record as the contact arrives, "
            "with the history of every channel, and saves our notes and wrap-up codes. "
            "Analytics and reporting show live queues so the team leader can move agents, and "
            "the interval reports Vela Mobile reads. (b) The chatbot will take routine "
            "questions, so fewer but harder and more emotional contacts reach us and AHT will "
            "rise even when we work well; problem-solving, clear writing, judgement and calm "
            "handling of upset customers matter more. (c) Read the bot's conversation before "
            "replying so the customer never repeats it, and never paste customer details into "
            "an outside app: use only approved tools, as POPIA (Act 4 of 2013) requires."
        ),
        "m5-why-it-matters": (
            "Staff turnover: stress, shift work and difficult customers make people leave, "
            "which costs hiring and training; Ilanga offers coaching, career paths and wellness "
            "support, and an agent should ask for help early. Quality at high volume: pressure "
            "to rush and skip steps; the QA scorecard and coaching help, and the agent follows "
            "every verification step. Customer expectations: fast, right-first-time answers in "
            "any channel; be honest about what can be done and keep promises. Keeping up with "
            "technology: new systems need training before go-live and downtime procedures; "
            "agents read updates and report problems. Example: a Vela Mobile customer whose "
            "data stops working is helped patiently and solved on the first call, so she stays "
            "on her R399 contract for another 24 months, R9,576 of revenue for Vela Mobile, and "
            "tells friends good things about Vela's brand, which is the name she sees, not "
            "Ilanga's. Handled badly, she leaves and posts about it. Vela judges Ilanga on "
            "these results, which decide whether the contract, and our jobs, are renewed."
        ),
    }
)
