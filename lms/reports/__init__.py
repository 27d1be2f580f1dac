"""HR completion records, learners' transcripts and the exports of both."""
