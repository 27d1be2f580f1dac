"""Cohorts: intake waves, enrolment, due dates, standings, dashboards and reminders."""
