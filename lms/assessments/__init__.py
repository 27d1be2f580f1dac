"""Quizzes: question banks, attempts, automatic marking and feedback."""
