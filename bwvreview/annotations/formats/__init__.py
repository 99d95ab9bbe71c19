"""Interchange and file formats: ELAN, CSV, transcript JSON, SRT/VTT, YAML line numbers."""
