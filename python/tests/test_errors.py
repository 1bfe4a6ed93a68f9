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
    with pytest.raises(elaa.Error, match="batch 0 must be at least 1"):
        elaa.evaluate("tpu_like", "resnet18", batch=0)
    with pytest.raises(elaa.Error, match="unknown network"):
        elaa.assess("tpu_like", "resnet_51")


def test_corrupt_checkpoint(tmp_path):
    (tmp_path / "checkpoint.elaa").write_bytes(b"garbage")
    with pytest.raises(elaa.Error, match="checkpoint"):
        elaa.load_run(tmp_path)
