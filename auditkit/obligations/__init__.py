"""Obligations: what the rules ask of a business that automates, kept as data with provenance.

``rubrics/obligations/*.yaml`` holds the crosswalk (one entry per obligation, linked to rubric
questions by id, each with its official source and the day it was last verified); ``parse``
reads and checks it with located errors and applies overlays (a country's rules); ``applies``
is the pure function that says, for one business on one date, which obligations can apply and
where each stands. Nothing here names a law in code.
"""
