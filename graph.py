"""The advisor graph, wiring only: planner -> [review] -> specialists (parallel, via Send) ->
synthesizer -> verifier. `review` runs only when the request asked to approve the plan first.

`graph` is compiled without a checkpointer for `langgraph dev` / LangGraph Studio (see
langgraph.json); the service builds its own with a SQLite checkpointer for threads.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from agents.context import AdvisorContext
from agents.nodes.planner import planner, refuse, route
from agents.nodes.recall import recall
from agents.nodes.review import review, review_or_route
from agents.nodes.specialist import specialist
from agents.nodes.synthesizer import synthesizer
from agents.nodes.verifier import verifier
from agents.state import AdvisorState, InputState, OutputState


def build_graph(checkpointer: Any = None) -> Any:
    builder = StateGraph(
        AdvisorState, context_schema=AdvisorContext, input_schema=InputState, output_schema=OutputState
    )
    builder.add_node(planner)
    builder.add_node(specialist)
    builder.add_node(synthesizer)
    builder.add_node(verifier)
    builder.add_node(refuse)
    builder.add_node(review)
    builder.add_node(recall)
    builder.add_edge(START, "planner")
    builder.add_conditional_edges("planner", review_or_route, ["specialist", "refuse", "review", "recall"])
    builder.add_conditional_edges("review", route, ["specialist", "refuse"])
    builder.add_edge("specialist", "synthesizer")
    builder.add_edge("synthesizer", "verifier")
    builder.add_edge("verifier", END)
    builder.add_edge("refuse", END)
    builder.add_edge("recall", END)
    return builder.compile(checkpointer=checkpointer, name="advisor")


graph = build_graph()
