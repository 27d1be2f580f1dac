"""The learner's side: catalogue, lesson reader, progress and acknowledgements."""
