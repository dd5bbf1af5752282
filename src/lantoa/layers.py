"""The layers of Lantoa's apps (docs/architecture.md): each app imports only apps of a lower
layer, and the apps of one layer do not import each other. ``tests/test_layers.py`` reads every
module of every app and fails on an import that breaks this, lazy imports inside functions
included. Apps named here but not built yet (media, content, ...) keep their place.

The composition root (settings, urls, cli, wsgi, this module) stands above every layer: it wires
the apps together and may import any of them.
"""

LAYERS: dict[str, int] = {
    "core": 0,
    "orgs": 1,
    "indicators": 2,
    "plans": 3,
    "media": 3,
    "activities": 4,
    "content": 4,
    "channels": 5,
    "programme": 5,
    "analytics": 6,
    "reports": 7,
    "evaluation": 7,
    "assistant": 7,
    "portal": 8,
}

COMPOSITION_ROOT = frozenset({"settings", "urls", "cli", "wsgi", "layers", "__main__"})
