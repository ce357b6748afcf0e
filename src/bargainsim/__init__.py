"""bargainsim: agent-based simulation of sentencing negotiation under China's plea leniency system."""

from bargainsim.params import Behaviour, Caseload, ConfigError, Rules

__all__ = ["Behaviour", "Caseload", "ConfigError", "Rules"]
__version__ = "0.1.0"
