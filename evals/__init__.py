"""Evaluation against golden Q&A and the performance suite."""
