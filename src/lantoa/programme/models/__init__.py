"""The programme's registers, one module each: trainings, awards, state-funded S&T tasks, the
communication network, budget. Every model is imported here so Django finds it."""

from .awards import *  # noqa: F401,F403
from .budget import *  # noqa: F401,F403
from .network import *  # noqa: F401,F403
from .sttasks import *  # noqa: F401,F403
from .trainings import *  # noqa: F401,F403
