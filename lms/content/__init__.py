"""Modules, outcomes, lessons and their revisions, loaded from `content/modules/`."""
