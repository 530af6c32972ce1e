"""Language tools over the vocabularies in agents/data: language detection and tokens, the area
lexicon and the bilingual glossary for query expansion.

May import: agents.state, settings and the store's tokenizer (store.index). Nothing else of agents/.
"""
