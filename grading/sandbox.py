"""Run a learner's notebook where it cannot read the course's secrets or change anything shared.

The autograding kernel starts inside its own Linux mount namespace:

- the course folder (gradebook, source notebooks, answer keys, other learners' work) and the project's
  ``notebooks/``, ``.git``, ``tests`` and ``grading`` folders are covered by empty, unreadable tmpfs
  mounts, so the files are simply not there for the kernel;
- the project and the Python installation are mounted read-only, so one submission cannot change the
  code or data that the next one runs with;
- the kernel then moves into a user namespace of its own, where it holds no privilege over those mounts
  and cannot unmount them, nor look into other processes' files through ``/proc``;
- it works in a fresh private folder with its own HOME, deleted afterwards.

This needs ``unshare`` (util-linux). As root it uses a plain mount namespace; as an ordinary user it needs
unprivileged user namespaces (on by default in Debian 11+ and Ubuntu). ``check()`` proves it works.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager


class SandboxUnavailable(RuntimeError):
    """The kernel sandbox cannot be set up on this machine."""


@dataclass
class Sandbox:
    """What the kernel must not see (``hidden``) or change (``read_only``), and where it works."""

    hidden: list[str] = field(default_factory=list)
    read_only: list[str] = field(default_factory=list)
    workdir: str = ""

    def command(self, argv: list[str]) -> list[str]:
        """``argv`` wrapped so that it runs inside the sandbox."""
        steps = ["set -e"]
        for path in _existing(self.read_only):
            q = shlex.quote(path)
            steps.append(f"mount --bind {q} {q}")
            steps.append(f"mount -o remount,bind,ro {q}")
        for path in _existing(self.hidden):
            steps.append(f"mount -t tmpfs -o size=16k,mode=000 none {shlex.quote(path)}")
        steps.append('exec unshare --user --map-current-user -- "$@"')
        outer = ["unshare", "--mount", "--propagation", "private"]
        if os.geteuid() != 0:
            outer = ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]
        return [*outer, "--", "sh", "-c", "; ".join(steps), "sh", *argv]

    def environment(self, base: dict[str, str]) -> dict[str, str]:
        """The kernel's environment: the grader's, minus anything secret, with a private HOME."""
        keep = {k: v for k, v in base.items() if not k.startswith(("RETAILKIT_COURSE", "NBGRADER"))}
        keep.update(HOME=self.workdir, IPYTHONDIR=os.path.join(self.workdir, ".ipython"),
                    MPLCONFIGDIR=os.path.join(self.workdir, ".matplotlib"), PYTHONNOUSERSITE="1")
        return keep


def _existing(paths: list[str]) -> list[str]:
    return [str(Path(p).resolve()) for p in paths if Path(p).is_dir()]


def default_paths(course_root: Path, project_root: Path) -> tuple[list[str], list[str]]:
    """The folders to hide and the folders to make read-only, for a course and this project."""
    hidden = [str(course_root)] + [str(project_root / name) for name in ("notebooks", ".git", "tests",
                                                                        "grading")]
    read_only = [str(project_root), sys.prefix, sys.base_prefix]
    return hidden, read_only


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start inside ``sandbox`` (set on a subclass by the executor)."""

    sandbox: Sandbox = Sandbox()

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        kw["env"] = self.sandbox.environment(kw.get("env") or dict(os.environ))
        kw["cwd"] = self.sandbox.workdir
        # The kernel's own log (not the cells' output) would print a start-up warning per learner into the
        # tutor's terminal; `check()` has already proved the sandbox starts, so it is not needed.
        kw["stderr"] = subprocess.DEVNULL
        return await super()._async_launch_kernel(self.sandbox.command(kernel_cmd), **kw)


def check(hidden: list[str], read_only: list[str]) -> None:
    """Prove on this machine that the sandbox hides ``hidden`` and protects ``read_only``.

    Raises SandboxUnavailable with the reason when it does not.
    """
    if shutil.which("unshare") is None:
        raise SandboxUnavailable("the `unshare` command (util-linux) is not installed")
    probe = (
        "import os, sys\n"
        "hidden, ro = sys.argv[1].split(os.pathsep), sys.argv[2].split(os.pathsep)\n"
        "for p in filter(None, hidden):\n"
        "    try:\n"
        "        listed = os.listdir(p)\n"
        "    except PermissionError:\n"
        "        listed = []\n"
        "    assert not listed, 'can see ' + p\n"
        "for p in filter(None, ro):\n"
        "    try:\n"
        "        open(os.path.join(p, '.rk-sandbox-probe'), 'w').close()\n"
        "    except OSError:\n"
        "        continue\n"
        "    raise SystemExit('can write to ' + p)\n"
        "print('sandbox-ok')\n"
    )
    with tempfile.TemporaryDirectory(prefix="rk-probe-") as work:
        box = Sandbox(hidden, read_only, work)
        hide = os.pathsep.join(_existing(hidden))
        protect = os.pathsep.join(_existing(read_only))
        argv = box.command([sys.executable, "-c", probe, hide, protect])
        run = subprocess.run(argv, capture_output=True, text=True, env=box.environment(dict(os.environ)),
                             cwd=work, timeout=60)
    if "sandbox-ok" not in run.stdout:
        raise SandboxUnavailable((run.stderr or run.stdout).strip().splitlines()[-1] if
                                 (run.stderr or run.stdout).strip() else f"exit code {run.returncode}")
