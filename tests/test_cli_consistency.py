"""Options that mean the same thing are spelled the same way in every command."""

from __future__ import annotations


def test_info_takes_the_model_as_classify_and_evaluate_do(run, samples, tmp_path):
    """`textkit info -m m.model` (as `classify -m`, `evaluate -m`) was a usage error."""
    model = tmp_path / "m.model"
    assert run(["train-lr", samples / "labeled" / "reviews.tsv", "-o", model]).exit_code == 0
    positional = run(["info", model])
    option = run(["info", "-m", model])
    assert option.exit_code == 0, option.stderr
    assert option.stdout == positional.stdout and option.stdout.startswith("kind: ")
    for args in (["info"], ["info", "-m", model, model]):
        refused = run(args)
        assert refused.exit_code == 2 and "name one model file" in refused.stderr
