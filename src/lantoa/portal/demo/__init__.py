"""The demo: units and one login per role per level (``units``), the seed plans (``plans``, with
their texts beside them), and a little evidence and reporting (``reporting``)."""
