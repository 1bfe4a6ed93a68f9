"""elaa.evaluate gives exactly what `elaa eval` gives, and the Accelerator edits behave like files."""
import dataclasses
import threading

import pytest

import elaa
from conftest import SOURCE_DIR


def test_totals_identical_to_the_cli(cli_json):
    ours = elaa.evaluate("tpu_like", "resnet18", search="loma")
    theirs = cli_json("--arch", "tpu_like", "--net", "resnet18", "--search", "loma")
    # Bit-identical: the same library path, the same JSON document.
    assert {k: v for k, v in dataclasses.asdict(ours.total).items() if v is not None} == theirs["total"]
    assert ours.report == theirs
    # ResNet-18's published 1.814 G MACs (torchvision), all costed.
    assert ours.total.macs == 1814073344
    assert ours.objective == "latency" and ours.search == "loma"


def test_summary_and_layer_table_match_the_cli(cli):
    ours = elaa.evaluate("eyeriss_like", "mobilenet_v2", search="fast", objective="energy")
    printed = cli("eval", "--arch", "eyeriss_like", "--net", "mobilenet_v2", "--search", "fast",
                  "--objective", "energy").stdout
    assert ours.summary.startswith("mobilenet_v2 on eyeriss_like (fast search, energy objective)")
    assert printed.endswith(ours.summary)
    assert str(ours) == ours.summary
    table = cli("eval", "--arch", "eyeriss_like", "--net", "mobilenet_v2", "--search", "fast",
                "--objective", "energy", "--csv", "-").stdout
    import pandas as pd
    import io

    expected = pd.read_csv(io.StringIO(table))
    layers = ours.layers[ours.layers["costed"]]
    assert list(layers["name"]) == list(expected["layer"])
    assert list(layers["mapping"]) == list(expected["mapping"])
    assert layers["energy_pj"].round(1).tolist() == expected["energy_pj"].tolist()
    assert layers["energy_pj"].sum() == pytest.approx(ours.total.energy_pj, rel=1e-12)


def test_options_reach_the_model(cli_json):
    ours = elaa.evaluate("edge_tpu_like", "resnet18", search="fast", kinds=["conv"], batch=2, leakage=True)
    theirs = cli_json("--arch", "edge_tpu_like", "--net", "resnet18", "--search", "fast", "--kinds", "conv",
                      "--batch", "2", "--leakage")
    assert ours.report == theirs
    assert ours.total.leakage_energy_pj > 0
    # Batch 2 of the convolutions only: twice ResNet-18's conv MACs (1.814 G minus the 0.5 M fc MACs).
    assert ours.total.macs == 2 * (1814073344 - 512000)


def test_design_file_evaluation_defaults_apply(tmp_path, cli_json):
    acc = elaa.Accelerator.preset("tpu_like")
    text = acc.to_toml() + '\n[evaluation]\nsearch = "fast"\nmapping_objective = "energy"\n'
    path = tmp_path / "design.toml"
    path.write_text(text)
    ours = elaa.evaluate(path, "resnet18")  # a pathlib.Path
    assert (ours.search, ours.objective) == ("fast", "energy")
    assert ours.report == cli_json("--arch", path, "--net", "resnet18")
    # Explicit settings win over the file's, as on the command line.
    assert elaa.evaluate(path, "resnet18", objective="latency", kinds="conv").report == cli_json(
        "--arch", path, "--net", "resnet18", "--objective", "latency", "--kinds", "conv")
    # Every search space may be recorded (an exported design of a deep-search run).
    deep = elaa.Accelerator.from_toml(text.replace('search = "fast"', 'search = "deep"'))
    assert 'search = "deep"' in deep.to_toml()
    assert elaa.Accelerator.from_toml(path) == elaa.Accelerator.from_toml(text)


def test_accelerator_edits_equal_the_edited_file(tmp_path, cli_json):
    acc = elaa.Accelerator.preset("tpu_like")
    assert acc.array == [32, 32] and acc.peak_macs_per_cycle == 1024
    base_area = acc.area_mm2
    acc.array = [16, 16]
    acc.clock_mhz = 500
    global_buffer = max(acc.memories, key=lambda m: m["size_bytes"] if m["type"] != "dram" else 0)
    acc.set_memory_size(global_buffer["name"], global_buffer["size_bytes"] / 2)
    assert acc.array == [16, 16] and acc.peak_macs_per_cycle == 256 and acc.clock_mhz == 500
    assert acc.area_mm2 < base_area
    # The same edits written as a file give the same model, bit for bit.
    path = tmp_path / "edited.toml"
    path.write_text(acc.to_toml())
    assert elaa.Accelerator.from_toml(str(path)) == acc
    assert elaa.Accelerator.from_toml(acc.to_toml()) == acc
    ours = elaa.evaluate(acc, "resnet18", search="fast")
    assert ours.report["total"] == cli_json("--arch", path, "--net", "resnet18", "--search", "fast")["total"]
    # Latency in seconds follows the new clock.
    assert ours.total.latency_s == pytest.approx(ours.total.latency_cycles / 500e6, rel=1e-12)


def test_two_threads_give_the_serial_results():
    # The GIL is released while the model runs (bench/python_threads.py measures the speed-up).
    serial = [elaa.evaluate("tpu_like", n, search="fast").total for n in ("resnet18", "mobilenet_v2")]
    parallel = [None, None]

    def work(i, name):
        parallel[i] = elaa.evaluate("tpu_like", name, search="fast").total

    threads = [threading.Thread(target=work, args=(i, n)) for i, n in enumerate(("resnet18", "mobilenet_v2"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert parallel == serial


def test_presets_and_archs_table():
    names = elaa.presets()
    assert "tpu_like" in names and "eyeriss_v1" in names
    assert "eyeriss_v1" not in elaa.presets(suite_only=True)
    table = elaa.archs()
    assert list(table["name"]) == names
    tpu = table[table["name"] == "tpu_like"].iloc[0]
    assert tpu["mac_units"] == 1024 and tpu["peak_macs_per_cycle"] == 1024


def test_stub_names_exist():
    # The .pyi stub describes the native module: every name it declares is there.
    import ast

    stub = ast.parse((SOURCE_DIR / "python" / "elaa" / "_elaa.pyi").read_text())
    native = elaa._elaa
    for node in stub.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            assert hasattr(native, node.name), node.name
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                name = getattr(member, "name", None) or getattr(getattr(member, "target", None), "id", None)
                if name:
                    assert hasattr(getattr(native, node.name), name), f"{node.name}.{name}"
