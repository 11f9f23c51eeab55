"""A learner's JupyterLab on this machine: opens on start_here, no tutor tools, and a hand-in that works.

``make lab`` (``python -m grading lab``) makes the learner's own copies (``workbook``) on the learner's own
variant of the data (for the login name, the id nbgrader's exchange hands work in under), releases the
assignments to a local nbgrader exchange (``<course>/exchange``), and starts JupyterLab on the workbook with
its own settings (``<course>/lab-config``):

- it opens on ``start_here/start_here.ipynb``, with no news pop-up;
- the tutor's tools (Formgrader, Create Assignment, the course list) are switched off, in the page and on
  the server: a learner sees the Assignments tab only;
- *Nbgrader > Assignment List > Submit* hands the notebook in to the exchange, where the tutor's
  ``python -m grading autograde <assignment>`` (with no submissions given) collects it.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

from grading.course import Course

TUTOR_TOOLS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list")
TUTOR_SERVER = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
START = "start_here/start_here.ipynb"


def exchange(course: Course) -> Path:
    """The local exchange folder (made on first use; learners on this machine may write their hand-ins)."""
    folder = course.root / "exchange"
    if not folder.exists():
        folder.mkdir()
        folder.chmod(0o777)  # nbgrader's exchange layout; the course folder around it stays private
    return folder


def learner_config(course: Course) -> dict[str, str]:
    """Write the learner's JupyterLab settings; return the environment that points JupyterLab at them."""
    base = course.root / "lab-config"
    write_settings(base, "learner", exchange(course), course.manifest["course_id"])
    settings = base / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return {"JUPYTER_CONFIG_DIR": str(base), "JUPYTERLAB_SETTINGS_DIR": str(base / "settings")}


def write_settings(base: Path, role: str, exchange_root: Path, course_id: str, course: Path | None = None) -> None:
    """A Jupyter config folder for ``role`` ("learner" or "tutor"): nbgrader's exchange and course id.

    For a learner the tutor's tools are switched off, in the page and on the server (the Assignments tab
    stays). For the tutor, ``course`` is the course folder, whose ``nbgrader_config.py`` the tutor's tools read too.
    """
    (base / "labconfig").mkdir(parents=True, exist_ok=True)
    disabled = dict.fromkeys(TUTOR_TOOLS, True) if role == "learner" else {}
    disabled["@jupyterlab/apputils-extension:announcements"] = True  # no news pop-up
    (base / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": disabled}, indent=1))
    server = {"ServerApp": {"jpserver_extensions": dict.fromkeys(TUTOR_SERVER, False)}} if role == "learner" else {}
    (base / "jupyter_server_config.json").write_text(json.dumps(server, indent=1))
    text = f"c = get_config()\nc.Exchange.root = {str(exchange_root)!r}\nc.CourseDirectory.course_id = {course_id!r}\n"
    if course is not None:
        text += f"c.CourseDirectory.root = {str(course)!r}\n"
    (base / "nbgrader_config.py").write_text(text)


def learner_id() -> str:
    """Who the learner is to nbgrader's exchange on this machine: the JupyterHub user, else the login name."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


def prepare(course: Course) -> list[str]:
    """The exchange, the learner's own copies, and in each the learner's own variant of the data."""
    from grading import release, variants

    exchange(course)
    done = []
    for name in course.manifest["assignments"]:
        done += release.workbook(course, name)
        if variants.enabled(course, name):
            seed = release.personalise(course, name, learner_id(), course.root / "workbook" / name)
            done.append(f"{name}: your own variant of the data, number {seed} (for {learner_id()})")
    return done


def command(course: Course, port: int | None = None) -> tuple[list[str], dict[str, str]]:
    """The command and environment that start the learner's JupyterLab on ``<course>/workbook``."""
    env = {**os.environ, **learner_config(course)}
    argv = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={course.root / 'workbook'}",
            f"--LabApp.default_url=/lab/tree/{START}",
            "--KernelManager.transport=ipc"]  # kernels talk over local sockets, not TCP: nothing to warn about
    if port:
        argv.append(f"--port={port}")
    return argv, env
