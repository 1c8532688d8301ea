"""The GitHub Actions workflows: valid against GitHub's workflow schema (check-jsonschema's
vendored copy, offline), least permissions, and running the commands that the tests run."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from _site import BUILD_ARGS, BUILD_ENV, ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
DOCS, RELEASE = WORKFLOWS / "docs.yml", WORKFLOWS / "release.yml"


def _load(path: Path) -> dict[str, Any]:
    workflow = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as the boolean true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def _schema_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
        + [str(p) for p in paths],
        capture_output=True,
        text=True,
    )


def _steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


def _uses(workflow: dict[str, Any], job: str) -> list[str]:
    return [s["uses"].split("@")[0] for s in _steps(workflow, job) if "uses" in s]


def _runs(workflow: dict[str, Any], job: str) -> str:
    return "\n".join(s["run"] for s in _steps(workflow, job) if "run" in s)


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(path: Path) -> None:
    result = _schema_check(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n"
        "    permissions:\n      pages: writ\n    steps:\n      - run: true\n"
    )
    assert _schema_check(broken).returncode != 0


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflow_grants_permissions_per_job_only(path: Path) -> None:
    workflow = _load(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, name
        assert all(v in ("read", "write") for v in job["permissions"].values()), name
        for step in job["steps"]:
            uses = step.get("uses", "")
            assert "@" in uses or not uses, f"{uses}: pinned to a version"
            if uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, "no token left on disk"


def test_docs_workflow_builds_pull_requests_and_deploys_main() -> None:
    workflow = _load(DOCS)
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in workflow["on"]
    assert "github.ref" in workflow["concurrency"]["group"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    setup = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    assert _uses(workflow, "build")[-1] == "actions/upload-pages-artifact"
    upload = build["steps"][-1]
    assert upload["with"]["path"] == "site"  # mkdocs' default site_dir, which the build writes
    assert "pull_request" in upload["if"]  # pull requests build, never publish
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert _uses(workflow, "deploy") == ["actions/deploy-pages"]


def test_docs_workflow_runs_the_tests_build_command() -> None:
    workflow = _load(DOCS)
    [step] = [s for s in _steps(workflow, "build") if "mkdocs" in s.get("run", "")]
    assert shlex.split(step["run"]) == ["python", "-m", *BUILD_ARGS]
    assert step["env"] == BUILD_ENV
    assert "JAXACT_DOCS_SKIP_NOTEBOOKS" not in str(workflow), "the notebooks are executed"
    install = _runs(workflow, "build")
    assert 'pip install -e ".[docs]"' in install


def test_release_workflow_checks_the_wheel_then_publishes_with_trusted_publishing() -> None:
    workflow = _load(RELEASE)
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    runs = _runs(workflow, "build")
    assert "python -m build" in runs
    assert "twine check --strict dist/*" in runs
    assert 'python -m venv "$RUNNER_TEMP/smoke"' in runs
    # The smoke test is the wheel test's: tools/doctest_installed.py, isolated from the checkout.
    assert '-I "$GITHUB_WORKSPACE/tools/doctest_installed.py"' in runs
    assert 'test "$TAG" = "v$version"' in runs
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert _uses(workflow, "publish") == [
        "actions/download-artifact",
        "pypa/gh-action-pypi-publish",
    ]
    assert "password" not in str(publish), "trusted publishing: no token"


def test_tests_workflow_runs_ci_and_the_slow_checks() -> None:
    workflow = _load(WORKFLOWS / "tests.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "pull_request" in workflow["on"]
    # The default job is .ci/run itself: the README's test command (test_site checks that).
    assert _runs(workflow, "default").splitlines()[-1] == "bash .ci/run"
    assert "apt-get install -y chromium" in _runs(workflow, "default")
    # Whatever the default run deselects runs in the other job.
    assert "-m slow" in _runs(workflow, "slow")
