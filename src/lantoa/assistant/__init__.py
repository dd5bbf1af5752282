"""The Q&A assistant: answers from the documents a unit published, with citations."""
