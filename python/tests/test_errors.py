"""Bad input raises elaa.Error with the command line's message; nothing crashes."""
import pytest

import elaa


def cli_message(cli, *args):
    done = cli(*args, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("elaa: error: ")
    return done.stderr[len("elaa: error: "):].rstrip("\n")


def test_unknown_network_message_is_the_clis(cli):
    expected = cli_message(cli, "eval", "--arch", "tpu_like", "--net", "resnet_51")
    with pytest.raises(elaa.Error) as raised:
        elaa.evaluate("tpu_like", "resnet_51")
    assert str(raised.value) == expected
    assert "closest names: resnet101" in expected


def test_unknown_preset_and_missing_file(cli):
    for arch in ("tpu_likee", "no/such/dir/acc.toml"):
        expected = cli_message(cli, "eval", "--arch", arch, "--net", "resnet18")
        with pytest.raises(elaa.Error) as raised:
            elaa.evaluate(arch, "resnet18")
        assert str(raised.value) == expected


def test_malformed_toml_names_the_line(tmp_path, cli):
    path = tmp_path / "bad.toml"
    path.write_text(elaa.Accelerator.preset("tpu_like").to_toml().replace("sizes = [", "sizes = [[", 1))
    expected = cli_message(cli, "eval", "--arch", path, "--net", "resnet18")
    with pytest.raises(elaa.Error) as raised:
        elaa.Accelerator.from_toml(str(path))
    assert str(raised.value) == expected and "bad.toml" in expected


def test_impossible_edits_are_refused_and_leave_the_accelerator_as_it_was():
    acc = elaa.Accelerator.preset("eyeriss_like")
    before = acc.copy()
    with pytest.raises(elaa.Error, match="no memory named 'nope'; its memories are"):
        acc.set_memory_size("nope", 1024)
    with pytest.raises(elaa.Error, match="array has 2 dimensions, 3 sizes given"):
        acc.array = [4, 4, 4]
    with pytest.raises(elaa.Error, match=r"^eyeriss_like \(as modified\): top level: .frequency_mhz. must be positive"):
        acc.clock_mhz = 0
    assert acc == before


def test_bad_settings():
    with pytest.raises(elaa.Error, match="search 'quick' is not one of fast, loma, full, deep"):
        elaa.evaluate("tpu_like", "resnet18", search="quick")
    with pytest.raises(elaa.Error, match="kinds: 'convs' is not one of conv"):
        elaa.evaluate("tpu_like", "resnet18", kinds=["convs"])
    with pytest.raises(elaa.Error, match="batch must be a whole number from 1 to 1048576, got 0"):
        elaa.evaluate("tpu_like", "resnet18", batch=0)
    with pytest.raises(elaa.Error, match="unknown network"):
        elaa.assess("tpu_like", "resnet_51")


def test_corrupt_checkpoint_message_is_the_clis(tmp_path, cli):
    (tmp_path / "checkpoint.elaa").write_bytes(b"garbage")
    expected = cli_message(cli, "export", tmp_path)
    with pytest.raises(elaa.Error) as raised:
        elaa.load_run(tmp_path)
    assert str(raised.value) == expected


def test_bad_onnx_message_is_the_clis(tmp_path, cli):
    bad = tmp_path / "broken.onnx"
    bad.write_bytes(b"\x08\x07 not a protobuf")
    expected = cli_message(cli, "import-onnx", bad)
    with pytest.raises(elaa.Error) as raised:
        elaa.import_onnx(bad)
    assert str(raised.value) == expected


def test_counts_out_of_range_are_errors():
    with pytest.raises(elaa.Error, match="threads must be a whole number from 1 to 4096, got -1"):
        elaa.evaluate("tpu_like", "resnet18", threads=-1)
    with pytest.raises(elaa.Error, match="batch must be a whole number from 1"):
        elaa.evaluate("tpu_like", "resnet18", batch=-3)
