"""Tests of rnnkit.textviz: the features of a play, the search for a unit, and the three pictures."""

import matplotlib
import numpy as np
import pytest

from rnnkit.textviz import plot_embedding_2d, plot_tbptt_chunks, plot_unit_over_text, text_features, unit_correlations

matplotlib.use("Agg")

PLAY = "MACBETH.\nSo foul a day.\n\n[Enter Banquo.]\n\nBANQUO.\nHow far?\n"


def test_text_features_mark_speakers_stage_directions_and_lines():
    f = text_features(PLAY)
    assert all(v.shape == (len(PLAY),) for v in f.values())
    as_text = {k: "".join(ch for ch, v in zip(PLAY, f[k]) if v) for k in ("speaker name", "inside [ ]", "upper case")}
    assert as_text["speaker name"] == "MACBETH.\nBANQUO.\n"
    assert as_text["inside [ ]"] == "[Enter Banquo.]"
    assert as_text["upper case"] == "MACBETHSEBBANQUOH"
    assert f["position in line"][PLAY.index("foul")] == 3
    assert "".join(ch for ch, v in zip(PLAY, f["end of line next"]) if v) == "..\n]\n.?"


def test_unit_correlations_find_the_unit_that_follows_a_feature():
    rng = np.random.default_rng(0)
    feature = (rng.random(500) < 0.2).astype(float)
    a = rng.standard_normal((6, 500))
    a[4] = -feature + 0.1 * rng.standard_normal(500)  # unit 4 is the feature, with the opposite sign
    a[2] = 0.0  # a constant unit counts as r = 0
    (unit, r), = unit_correlations(a, {"f": feature}).values()
    assert unit == 4 and r < -0.95
    assert unit_correlations(a, {"flat": np.ones(500)})["flat"][1] == 0.0
    with pytest.raises(ValueError, match=r"shape \(T,\)"):
        unit_correlations(a, {"f": feature[:10]})
    with pytest.raises(ValueError, match=r"a must have shape \(n_a, T\)"):
        unit_correlations(a[0], {"f": feature})


def test_plot_unit_over_text_draws_one_cell_per_character():
    fig = plot_unit_over_text(PLAY, np.linspace(-1, 1, len(PLAY)), title="unit 7", width=10)
    ax = fig.axes[0]
    coloured = ~np.isnan(np.asarray(ax.images[0].get_array(), dtype=float))
    assert coloured.sum() == len(PLAY) and len(ax.texts) == len(PLAY)
    assert coloured.shape == (PLAY.count("\n") + 1 + 2, 10)  # a newline ends a row; two lines wrap at 10
    assert ax.get_title(loc="left") == "unit 7"
    with pytest.raises(ValueError, match="one entry per character"):
        plot_unit_over_text(PLAY, np.zeros(3))


def test_plot_embedding_2d_projects_the_columns_and_names_the_grouped_ones():
    E = np.random.default_rng(1).standard_normal((4, 6))
    labels = ["a", "b", "c", "d", "e", "f"]
    fig = plot_embedding_2d(E, labels, {"a": "x", "b": "x", "c": "y"})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["a", "b", "c"]
    assert sorted(t.get_text() for t in ax.get_legend().get_texts()) == ["x", "y"]
    with pytest.raises(ValueError, match=r"E must have shape \(n_e, n_x\)"):
        plot_embedding_2d(E, labels[:5])


def test_plot_tbptt_chunks_draws_the_backward_arrows_inside_chunks_only():
    fig = plot_tbptt_chunks(T=10, k=4)
    red = [a for a in fig.axes[0].texts if getattr(a, "arrow_patch", None) is not None
           and a.arrow_patch.get_edgecolor()[0] > 0.5 and a.arrow_patch.get_linestyle() != "-"]
    assert len(red) == 10 - 3  # 9 links between steps, 2 of them chunk boundaries
    with pytest.raises(ValueError, match="1 <= k <= T"):
        plot_tbptt_chunks(T=3, k=5)
