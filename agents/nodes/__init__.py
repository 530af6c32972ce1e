"""The graph nodes, one module each, named after the node: planner, specialist, synthesizer, verifier.

May import: the rest of agents/ and store.records. Nodes stay thin: the work is in llm/,
offline/ and grounding/.
"""
