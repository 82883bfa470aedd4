"""Test contacts: evidence from the customer's side for businesses that keep no decision log.

Plan (``plan.py``: scenarios, personas differing in one cue, pairs in random order, the pairs
needed), record (``record.py``: the CSV/xlsx sheet and the form), check (``check.py``: pairs
analysed as pairs into the bias result object, so score, report and compare read it unchanged).
The method, its sources, limits and ethics: docs/contacts.md.
"""
