from __future__ import annotations

from pathlib import Path

from copilot.parse.discover import display_path
from copilot.parse.evaluate import UNKNOWN
from copilot.parse.terraform import Project


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _objects(root: Path) -> dict[str, object]:
    project = Project(display_path)
    project.add_root(root)
    return {o.address: o for o in project.objects()}


def test_tfvars_override_defaults_and_auto_tfvars_win_last(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": 'variable "t" { default = "a" }\nresource "x" "y" { v = var.t }\n',
            "terraform.tfvars": 't = "b"\n',
            "z.auto.tfvars": 't = "c"\n',
        },
    )
    assert _objects(tmp_path)["x.y"].value("v") == "c"


def test_locals_reference_each_other_and_cycles_stay_unknown(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": (
                'locals {\n  a = "${local.b}-1"\n  b = "base"\n  c = local.d\n  d = local.c\n}\n'
                'resource "x" "y" {\n  a = local.a\n  c = local.c\n}\n'
            ),
        },
    )
    obj = _objects(tmp_path)["x.y"]
    assert obj.value("a") == "base-1"
    assert obj.value("c") is UNKNOWN


def test_local_module_inputs_flow_into_the_child_with_its_address(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": 'locals { size = "m4.large" }\nmodule "app" {\n  source = "./modules/app"\n  type = local.size\n}\n',
            "modules/app/main.tf": (
                'variable "type" {}\nvariable "fallback" { default = "z" }\n'
                'resource "aws_instance" "this" {\n  instance_type = var.type\n  other = var.fallback\n}\n'
                'output "kind" { value = var.type }\n'
            ),
        },
    )
    objects = _objects(tmp_path)
    instance = objects["module.app.aws_instance.this"]
    assert instance.value("instance_type") == "m4.large"
    assert instance.value("other") == "z"
    assert instance.source.path.endswith("modules/app/main.tf")


def test_module_output_is_resolved_from_the_child(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": 'module "m" {\n  source = "./m"\n  v = "in"\n}\nresource "x" "y" { a = module.m.out }\n',
            "m/main.tf": 'variable "v" {}\noutput "out" { value = "${var.v}-out" }\n',
        },
    )
    assert _objects(tmp_path)["x.y"].value("a") == "in-out"


def test_self_calling_module_does_not_recurse_forever(tmp_path: Path) -> None:
    _write(tmp_path, {"main.tf": 'module "me" {\n  source = "./"\n}\nresource "x" "y" {}\n'})
    assert "x.y" in _objects(tmp_path)


def test_count_zero_means_the_resource_does_not_exist(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "main.tf": 'variable "on" { default = false }\nresource "x" "y" { count = var.on ? 1 : 0 }\n'
        },
    )
    assert not _objects(tmp_path)["x.y"].exists()


def test_tf_json_files_keep_positions(tmp_path: Path) -> None:
    text = '{\n  "resource": {\n    "aws_ebs_volume": {\n      "v": {\n        "type": "gp2"\n      }\n    }\n  }\n}\n'
    _write(tmp_path, {"main.tf.json": text})
    obj = _objects(tmp_path)["aws_ebs_volume.v"]
    (match,) = obj.lookup("type")
    assert match.value == "gp2"
    assert text[match.start : match.end] == '"gp2"'
