from __future__ import annotations

from pathlib import Path

import git
import pytest

BASE = {
    "main.tf": (
        'resource "aws_security_group" "web" {\n  name = "web"\n}\n\n'
        'resource "aws_db_instance" "orders" {\n  identifier          = "orders"\n  engine              = "postgres"\n'
        '  instance_class      = "db.t3.micro"\n  skip_final_snapshot = true\n'
        "  vpc_security_group_ids = [aws_security_group.web.id]\n}\n\n"
        'resource "aws_s3_bucket" "assets" {\n  bucket = "acme-assets"\n}\n\n'
        'module "app" {\n  source = "./modules/app"\n  name   = "app"\n}\n'
    ),
    "modules/app/main.tf": 'variable "name" {}\n\nresource "aws_sqs_queue" "q" {\n  name = var.name\n}\n',
    ".github/workflows/ci.yml": "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: make test\n",
}


class History:
    """A git repository built commit by commit, as the tests describe it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.repo = git.Repo.init(root, initial_branch="main")
        with self.repo.config_writer() as config:
            config.set_value("user", "name", "Test")
            config.set_value("user", "email", "test@example.com")

    def write(self, files: dict[str, str | None]) -> None:
        for name, text in files.items():
            path = self.root / name
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def commit(self, message: str, files: dict[str, str | None]) -> str:
        self.write(files)
        self.repo.git.add("-A")
        return self.repo.index.commit(message).hexsha

    def merge(self, branch: str, files: dict[str, str | None]) -> None:
        """Commit `files` on a new `branch`, commit elsewhere on main meanwhile, and merge the
        branch into main with a merge commit."""
        self.repo.git.checkout("-b", branch)
        self.commit(branch, files)
        self.repo.git.checkout("main")
        self.commit("readme", {"README.md": "hello\n"})
        self.repo.git.merge("--no-ff", "-m", f"merge {branch}", branch)

    def edit(self, name: str, old: str, new: str) -> dict[str, str | None]:
        text = (self.root / name).read_text()
        assert old in text, old
        return {name: text.replace(old, new)}


@pytest.fixture
def history(tmp_path: Path) -> History:
    repo = History(tmp_path / "repo")
    repo.commit("initial", dict(BASE))
    return repo
