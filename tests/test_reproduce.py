"""``python -m helpers reproduce``: the recipe list, the stored full runs against the published
numbers, and the command's machinery on a tiny recipe (lesson 08 runs the real quick ones)."""

import dataclasses
import math

import pytest

from helpers.__main__ import main as helpers_main
from helpers.reproduce import RECIPES, run, stored_results


def test_list_shows_at_least_five_recipes_with_source_number_and_time(capsys):
    assert helpers_main(["reproduce", "--list"]) == 0
    out = capsys.readouterr().out
    assert len(RECIPES) >= 5
    for r in RECIPES.values():
        assert r.name in out and r.source in out and f"{r.published:.2f}%" in out
        assert f"about {r.minutes} min" in out and f"--quick about {r.quick_seconds} s" in out


def test_every_recipe_has_a_full_run_stored_within_tolerance_of_the_published_number():
    stored = stored_results()
    assert sorted(stored) == sorted(RECIPES)
    for name, recipe in RECIPES.items():
        result = stored[name]
        assert not result["quick"] and result["settings"] == recipe.settings, name
        assert abs(result["ours"] - recipe.published) <= run.TOLERANCE, (name, result["ours"])
        assert result["ours"] == pytest.approx(
            sum(run.reported(recipe, r) for r in result["runs"]) / len(result["runs"]))
        assert len(result["runs"][0]["curve"]) == recipe.settings["epochs"]


TINY = dict(layers=[784, 16, 10], activation="relu", output="softmax", loss="cross_entropy",
            optimizer="sgd_momentum", batch_size=50, n_train=500, epochs=2, lr=0.1,
            report="final", n_test=500)


@pytest.mark.parametrize("works", [True, False])
def test_a_quick_run_prints_the_comparison_and_fails_when_the_effect_does_not_show(
        monkeypatch, capsys, works):
    recipe = dataclasses.replace(
        RECIPES["srivastava-dropout"], name="tiny", settings=TINY, quick={"epochs": 1},
        effect=("the effect", {"keep_prob": 0.5}, lambda ours, base: works))
    monkeypatch.setitem(RECIPES, "tiny", recipe)
    assert run.main(["tiny", "--quick", "--no-progress"]) == (0 if works else 1)
    out = capsys.readouterr().out
    assert "published: 1.25% test error" in out and "seeds [0]" in out and "wall time" in out
    assert f"effect:    the effect: {'yes' if works else 'NO'}" in out


def test_a_diverging_run_is_reported_not_raised(monkeypatch):
    result = run.train({**TINY, "l2": 5.0, "optimizer": "sgd", "lr": 0.5, "batch_size": 5,
                        "epochs": 3}, progress=False)
    assert result["diverged"] and "lr * l2" in result["error"] and math.isnan(result["test_acc"])


def test_unknown_recipes_are_named(capsys):
    with pytest.raises(SystemExit):
        run.main(["nielsen-ch9"])
    assert "unknown recipe 'nielsen-ch9'" in capsys.readouterr().err
