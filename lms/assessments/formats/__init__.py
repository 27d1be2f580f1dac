"""Question file formats: GIFT (read and write) and Aiken (read)."""
