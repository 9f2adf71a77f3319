"""docs/dashboard.svg is drawn from the dashboard JSON: redrawing it gives the committed file.

After a change to `values/dashboard.py`, refresh it with `python scripts/dashboard_picture.py`.
"""

from __future__ import annotations

import sys

from support import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

import dashboard_picture  # noqa: E402

from flyte_gcp.values.dashboard import dashboard  # noqa: E402


def test_the_committed_picture_is_the_current_dashboard():
    assert (ROOT / "docs" / "dashboard.svg").read_text() == dashboard_picture.picture()


def test_the_picture_shows_every_tile_of_the_json():
    board = dashboard(dashboard_picture.example_inputs())
    picture = dashboard_picture.svg(board)
    for tile in board["mosaicLayout"]["tiles"]:
        assert f">{tile['widget']['title']}</text>" in picture.replace("&amp;", "&")
    moved = {**board, "mosaicLayout": {**board["mosaicLayout"], "tiles": board["mosaicLayout"]["tiles"][:-1]}}
    assert dashboard_picture.svg(moved) != picture  # a changed dashboard changes the picture
