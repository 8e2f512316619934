"""Candidate claims: sentences of a source that look worth checking.

``sentences`` splits a text into sentences with exact offsets, ``signals`` finds
what makes a sentence checkable, ``ranking`` scores and words the reasons, and
``proposing`` stores them as ``CandidateClaim`` rows (with history). Nothing
here turns a candidate into a claim: a researcher accepts it (``accepting``).
"""
