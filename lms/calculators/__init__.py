"""Calculators learners use beside their lessons: the service-level (Erlang C) calculator."""
