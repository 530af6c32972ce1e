"""The LLM path: the one chat-model factory and structured-output helper, prompts, output schemas,
the summary stream tap and PII redaction before any text leaves.

May import: agents.state and settings. Never the offline engine: a failed call degrades in the node.
"""
