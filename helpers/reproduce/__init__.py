"""Reproducing published MNIST results with the course's own code (lesson
08_reproducing_the_classics, ``python -m helpers reproduce``).

``recipes`` holds the published numbers and the settings that reproduce them (Nielsen's
book, ch. 1 and 3; Srivastava et al. 2014, table 2); ``run`` trains them, checks them and
prints the comparison; ``full_runs.json`` keeps the full runs' results (``--save``), which the
lesson shows beside its quick runs.
Omits: results on other data sets.
"""

from .recipes import RECIPES, Recipe
from .run import describe, main, run_recipe, stored_results

__all__ = ["RECIPES", "Recipe", "describe", "main", "run_recipe", "stored_results"]
