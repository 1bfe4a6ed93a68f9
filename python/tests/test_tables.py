"""Network tables: the zoo, one network, an ONNX import, as DataFrames equal to the CLI's CSV."""
import io

import pandas as pd
import pytest

import elaa
from conftest import SHARED_DIR


def test_zoo_listing_equals_the_cli(cli):
    zoo = elaa.nets()
    expected = pd.read_csv(io.StringIO(cli("nets", "--csv").stdout), na_values=["-"], keep_default_na=False)
    pd.testing.assert_frame_equal(zoo, expected)
    resnet50 = zoo[zoo["name"] == "resnet50"].iloc[0]
    assert resnet50["top1"] == 76.13  # torchvision ResNet50_Weights.IMAGENET1K_V1
    assert pd.isna(zoo[zoo["name"] == "alexnet_caffe"].iloc[0]["top1"])  # no published row: missing, not "-"
    assert set(elaa.nets(family="resnet")["family"]) == {"resnet"}


def test_one_network():
    layers = elaa.net("resnet50")
    assert layers.attrs["macs"] == 4089184256  # torchvision: 4.09 GMACs
    assert layers["macs"].sum() == 4089184256
    assert layers.attrs["top1"] == 76.13 and layers.attrs["resolution"] == 224
    conv1 = layers.iloc[0]
    assert (conv1["layer"], conv1["K"], conv1["C"], conv1["OY"], conv1["FY"]) == ("conv1", 64, 3, 112, 7)


def test_onnx_import_matches_the_zoo_network():
    path = SHARED_DIR / "data" / "onnx" / "resnet18.onnx"
    if not path.exists():
        pytest.skip(f"{path} is not here (optional shared data)")
    imported = elaa.import_onnx(path)
    assert imported.attrs["family"] == "onnx" and "top1" not in imported.attrs
    assert imported["macs"].sum() == 1814073344  # the torchvision ResNet-18
