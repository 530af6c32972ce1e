"""The offline extractive engine: pure functions over passages and the question that choose
sentences, assemble the plan and decide scope without an LLM.

May import: agents.state, agents.language, agents.grounding, store.records and store.index; the
store itself only through `agents.env` as the node hands it in.
"""
