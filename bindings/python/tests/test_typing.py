"""The hand-written stubs stay honest: `mypy.stubtest` compares them with the built module, and
`mypy --strict` checks the examples, the bench and these tests against them."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from conftest import REPO

ALLOWLIST = REPO / "bindings" / "python" / "stubtest-allowlist.txt"


def run(*args: str) -> str:
    """`python -m ARGS` in the repository, its mypy cache in a temporary directory."""
    with tempfile.TemporaryDirectory() as cache:
        config = os.path.join(cache, "mypy.ini")
        with open(config, "w") as f:
            f.write(f"[mypy]\ncache_dir = {cache}\n")
        flag = "--mypy-config-file" if args[0] == "mypy.stubtest" else "--config-file"
        done = subprocess.run(
            [sys.executable, "-m", *args, flag, config], cwd=REPO, capture_output=True,
            text=True, check=False,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_stubs_match_the_module() -> None:
    out = run("mypy.stubtest", "pilekit", "--allowlist", str(ALLOWLIST))
    assert "Success" in out


def test_examples_bench_and_tests_type_check_strictly() -> None:
    out = run(
        "mypy", "--strict", "--no-incremental", "examples/python/gateway.py", "benches/python",
        "bindings/python/tests",
    )
    assert "Success: no issues found" in out
