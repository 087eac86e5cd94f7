"""CDK stacks for Sabeghe."""
from .sabeghe_stack import FUNCTIONS, SabegheStack

__all__ = ["FUNCTIONS", "SabegheStack"]
