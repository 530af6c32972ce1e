"""The advisor's graph nodes: planner, specialists, synthesizer and verifier."""
