from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.cli.app import main
from tests.rollback.conftest import History

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "plans"


def _plan(history: History, *args: str, capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(["rollback", "plan", *args, "--repo", str(history.root), "-f", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _steps(plan: dict) -> list[tuple[int, str, str, bool]]:
    return [(s["order"], s["action"], s["address"], bool(s["data_loss"])) for s in plan["steps"]]


def test_resource_added_is_destroyed_dependents_first(history: History, capsys) -> None:
    history.commit(
        "worker",
        {
            "extra.tf": (
                'resource "aws_instance" "worker" {\n  ami = "ami-1"\n  vpc_security_group_ids = [aws_security_group.extra.id]\n}\n'
                'resource "aws_security_group" "extra" {\n  name = "extra"\n}\n'
            )
        },
    )
    plan = _plan(history, "HEAD", capsys=capsys)
    assert _steps(plan) == [
        (1, "destroy", "aws_instance.worker", True),  # it refers to the group: it goes first
        (2, "destroy", "aws_security_group.extra", False),
    ]
    assert plan["source"].startswith("configuration diff")
    assert plan["revert"] == [f"git revert --no-edit {history.repo.head.commit.hexsha[:12]}"]
    worker, group = plan["steps"]
    assert "take a snapshot or backup of aws_instance.worker before you start" in worker["verify"]
    assert not any("snapshot" in check for check in group["verify"])  # no data in a group


def test_database_removed_is_recreated_empty_with_no_final_snapshot(
    history: History, capsys
) -> None:
    text = (history.root / "main.tf").read_text()
    start = text.index('resource "aws_db_instance"')
    end = text.index("}\n", start) + 2
    history.commit("drop orders", {"main.tf": text[:start] + text[end:]})
    plan = _plan(history, "HEAD", capsys=capsys)
    (step,) = plan["steps"]
    assert (step["action"], step["address"], step["stateful"]) == (
        "recreate",
        "aws_db_instance.orders",
        True,
    )
    assert "skip_final_snapshot = true, so no final snapshot was taken" in step["data_loss"]
    assert plan["blast_radius"]["data_loss"] == 1


def test_attribute_forcing_replacement(history: History, capsys) -> None:
    history.commit(
        "engine",
        history.edit(
            "main.tf", 'engine              = "postgres"', 'engine              = "mysql"'
        ),
    )
    plan = _plan(history, "HEAD", capsys=capsys)
    (step,) = plan["steps"]
    assert step["action"] == "replace"
    assert step["replaced_by"] == ["engine"]
    assert step["attributes"] == ["engine"]
    assert "replacing it loses its database" in step["data_loss"]
    history.commit("size", history.edit("main.tf", '"db.t3.micro"', '"db.t3.small"'))
    (step,) = _plan(history, "HEAD", capsys=capsys)["steps"]
    assert (step["action"], step["data_loss"]) == ("update", "")  # instance_class changes in place


def test_module_renamed_needs_state_surgery_not_a_destroy(history: History, capsys) -> None:
    history.commit("rename", history.edit("main.tf", 'module "app"', 'module "service"'))
    plan = _plan(history, "HEAD", capsys=capsys)
    assert _steps(plan) == [
        (1, "move", "module.service", False),
        (2, "move", "module.service.aws_sqs_queue.q", True),
    ]
    assert "terraform state mv 'module.service' 'module.app'" in plan["steps"][0]["reason"]
    assert plan["other"] == []  # the module's variables are not reported as added and removed


def test_rename_with_a_moved_block_only_needs_the_reverse_block(history: History, capsys) -> None:
    files = history.edit(
        "main.tf", 'resource "aws_s3_bucket" "assets"', 'resource "aws_s3_bucket" "static"'
    )
    files["main.tf"] += (
        "\nmoved {\n  from = aws_s3_bucket.assets\n  to   = aws_s3_bucket.static\n}\n"
    )
    history.commit("rename bucket", files)
    plan = _plan(history, "HEAD", capsys=capsys)
    (step,) = plan["steps"]
    assert (step["action"], step["address"], step["data_loss"]) == (
        "move",
        "aws_s3_bucket.static",
        "",
    )
    assert "add the reverse `moved` block" in step["reason"]


def test_workflow_change_names_the_jobs(history: History, capsys) -> None:
    history.commit(
        "lint job",
        history.edit(
            ".github/workflows/ci.yml",
            "      - run: make test\n",
            "      - run: make test -x\n  lint:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: make lint\n",
        ),
    )
    plan = _plan(history, "HEAD", capsys=capsys)
    assert plan["steps"] == []
    assert plan["pipelines"] == [
        {
            "path": ".github/workflows/ci.yml",
            "status": "changed",
            "jobs_added": ["lint"],
            "jobs_removed": [],
            "jobs_changed": ["test"],
        }
    ]
    assert plan["warnings"] == [
        "the change touches no Terraform file: nothing to undo in the infrastructure"
    ]


def test_merge_commit_is_planned_against_its_mainline(history: History, capsys) -> None:
    repo = history.repo
    history.merge(
        "feature", {"queue.tf": 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n'}
    )
    merge = repo.head.commit
    assert len(merge.parents) == 2
    plan = _plan(history, "HEAD", capsys=capsys)
    assert _steps(plan) == [(1, "destroy", "aws_sqs_queue.jobs", True)]
    assert plan["revert"] == [f"git revert -m 1 --no-edit {merge.hexsha[:12]}"]


def test_range_and_staged(history: History, capsys) -> None:
    first = history.repo.head.commit.hexsha
    history.commit("a", {"a.tf": 'resource "aws_sns_topic" "a" {\n  name = "a"\n}\n'})
    history.commit("b", {"b.tf": 'resource "aws_sns_topic" "b" {\n  name = "b"\n}\n'})
    plan = _plan(history, f"{first}..HEAD", capsys=capsys)
    assert [s["address"] for s in plan["steps"]] == ["aws_sns_topic.a", "aws_sns_topic.b"]
    assert len(plan["revert"]) == 2
    history.write({"c.tf": 'resource "aws_kms_key" "c" {\n  description = "c"\n}\n'})
    history.repo.git.add("c.tf")
    plan = _plan(history, "--staged", capsys=capsys)
    assert _steps(plan) == [(1, "destroy", "aws_kms_key.c", True)]


def test_plan_json_makes_the_plan_exact(history: History, capsys) -> None:
    plan = _plan(history, "HEAD", "--plan-json", str(FIXTURES / "forward.json"), capsys=capsys)
    assert plan["source"] == "terraform plan JSON (exact)"
    by_address = {s["address"]: s for s in plan["steps"]}
    assert set(by_address) == {
        "aws_s3_bucket.assets",
        "aws_db_instance.orders",
        "aws_sqs_queue.new",
        "aws_security_group.web",
        "aws_instance.old",
        "aws_kms_key.forgotten",
    }  # no-op and read changes need nothing
    assert by_address["aws_db_instance.orders"]["action"] == "replace"
    assert by_address["aws_db_instance.orders"]["replaced_by"] == ["engine"]
    assert "destroy-then-create" in by_address["aws_db_instance.orders"]["reason"]
    assert "create-before-destroy" in by_address["aws_s3_bucket.assets"]["reason"]
    assert by_address["aws_sqs_queue.new"]["action"] == "destroy"
    assert by_address["aws_security_group.web"]["action"] == "update"
    assert by_address["aws_security_group.web"]["attributes"] == ["description"]
    assert by_address["aws_instance.old"]["action"] == "recreate"
    assert by_address["aws_kms_key.forgotten"]["action"] == "import"
    assert by_address["aws_db_instance.orders"]["path"] == "main.tf"  # located in the configuration


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_render(history: History, fmt: str, capsys) -> None:
    history.commit("engine", history.edit("main.tf", '"postgres"', '"mysql"'))
    assert (
        main(
            ["rollback", "plan", "HEAD", "--repo", str(history.root), "-f", fmt, "--color", "never"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "replace" in out and "aws_db_instance.orders" in out and "git revert --no-edit" in out
    if fmt == "markdown":
        assert out.startswith("## Rollback plan:")
        assert "| # | Action | Address |" in out


def test_bad_inputs_are_clear(history: History, tmp_path: Path, capsys) -> None:
    assert main(["rollback", "plan", "nope", "--repo", str(history.root)]) == 2
    assert "unknown revision 'nope'" in capsys.readouterr().err
    assert main(["rollback", "plan", "--repo", str(tmp_path)]) == 2
    assert "not inside a git repository" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"resource_changes": []}')
    assert (
        main(["rollback", "plan", "HEAD", "--repo", str(history.root), "--plan-json", str(bad)])
        == 2
    )
    assert "no format_version" in capsys.readouterr().err
