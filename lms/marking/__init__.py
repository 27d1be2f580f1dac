"""Assessor marking, outcome judgements, moderation sampling, appeals and outcome records."""
