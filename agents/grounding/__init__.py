"""Grounding shared by both paths and the verifier: numbered citations that can only point at
this plan's evidence, and the lexical support judge.

May import: agents.state, agents.language, and the offline engine's sentence units.
"""
