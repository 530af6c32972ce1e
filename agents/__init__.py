"""The advisor's agents: what runs inside the graph that `graph.py` wires.

At the root: `state` (graph state and the plan schema), `context` (what a run is given),
`env` (settings, store and groups for a node), `service` (run or stream a plan on a compiled
graph the caller hands in), `render` (plan -> Markdown), `checkpoint`, `cache`.
Sub-packages: `nodes` (one module per graph node), `llm` (the LLM path), `grounding`
(citations and the support judge), `language` (text, lexicon, glossary), `offline` (the
extractive engine); `data/` holds the vocabularies as YAML.

May import: settings; from the store only its records (`store.records`), the tokenizer
(`store.index`) and `store.knowledge` for the store a run falls back to (env.py). Never api/,
evals/, graph.py or server.py: the graph imports the agents, not the other way round.
"""
