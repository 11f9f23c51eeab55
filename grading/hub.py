"""A real JupyterHub for a class on this machine: ``python -m grading hub`` (``make hub``), run as root.

JupyterHub starts each person's JupyterLab as their own Unix user, so it runs as root. ``setup`` makes,
under the hub's folder (default ``/srv/retailkit-hub``):

- ``env/``: a Python environment every user may run (the course stack and JupyterHub, pinned by
  ``constraints.txt``), built from a Python that every user may execute, with ``project/``, a copy of the
  course code, notebooks and data that it reads (every user may read it; only root may change it);
- ``proxy/``: JupyterHub's proxy, configurable-http-proxy, from the npm registry;
- ``exchange/``: nbgrader's exchange, shared by the class (release, fetch, submit, collect, feedback);
- ``config/learner`` and ``config/tutor``: each role's Jupyter settings. Learners get the Assignments tab
  and not the tutor's tools (formgrader, create assignment, course list: off on the page and the server);
  the tutor gets formgrader on their course folder;
- a local account for the tutor and each learner, with a home folder only its owner may open (0700), and
  the tutor's course folder, ``~<tutor>/course``, the tutor's only.

``start`` then runs JupyterHub with ``hub/jupyterhub_config.py`` on 127.0.0.1. The tutor works in a
terminal of their JupyterLab (``python -m grading release``, ``autograde``, ``feedback``) or with
``tutor_command`` from here; learners fetch, work and submit in the Assignments tab.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from grading.course import PROJECT, Course
from grading.lab import write_settings

PROXY = "configurable-http-proxy@5.3.0"
COPIED = ("retailkit", "grading", "datasets", "notebooks", "hub")


@dataclass
class Hub:
    """One hub: its folder, its people and where it listens."""

    folder: Path = Path("/srv/retailkit-hub")
    tutor: str = "tutor"
    learners: list[str] = field(default_factory=list)
    password: str = ""
    port: int = 8000
    env: Path | None = None  # the users' Python environment (default: <folder>/env)
    server_args: list[str] = field(default_factory=list)  # extra arguments for every JupyterLab server

    @property
    def python(self) -> Path:
        return (self.env or self.folder / "env") / "bin" / "python"

    @property
    def course(self) -> Path:
        return Path(pwd.getpwnam(self.tutor).pw_dir) / "course"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """The environment of the hub process (its config file reads it)."""
        return {"PATH": os.pathsep.join([str(self.python.parent), "/usr/local/bin", "/usr/bin", "/bin",
                                         "/usr/sbin", "/sbin"]),
                "LANG": "C.UTF-8", "HOME": "/root", "RETAILKIT_HUB_DIR": str(self.folder),
                "RETAILKIT_HUB_TUTOR": self.tutor, "RETAILKIT_HUB_LEARNERS": " ".join(self.learners),
                "RETAILKIT_HUB_PASSWORD": self.password, "RETAILKIT_HUB_URL": self.url,
                "RETAILKIT_COURSE": str(self.course), "RETAILKIT_HUB_SERVER_ARGS": " ".join(self.server_args)}


def reachable_by_all(path: Path) -> bool:
    """Whether every user may reach ``path``: each folder on the way may be entered by others."""
    path = Path(path).resolve()
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in [path, *path.parents] if p.is_dir()) and \
        bool(os.stat(path).st_mode & stat.S_IROTH)


def base_python(folder: Path) -> str:
    """A Python that every user may run, of this Python's exact version (the pins in constraints.txt need it).

    This Python's own installation if every user may reach it; else a copy of it in ``folder`` (its standard
    library, without site-packages or the test suite), told by ``patchelf`` to find its library beside it.
    """
    name = f"python{sys.version_info.major}.{sys.version_info.minor}"
    mine = Path(sys.base_prefix) / "bin" / name
    if reachable_by_all(mine):
        return str(mine)
    copy = folder / "bin" / name
    if not copy.exists():
        if shutil.which("patchelf") is None:
            raise RuntimeError(f"{mine} is in a folder other users cannot open, and copying it needs patchelf "
                               "(Debian: apt-get install patchelf)")
        lib = Path(sys.base_prefix) / "lib"
        shutil.copytree(lib / name, folder / "lib" / name,
                        ignore=shutil.ignore_patterns("site-packages", "test", "idlelib", "tkinter"))
        for library in lib.glob("libpython*.so*"):
            shutil.copy2(library, folder / "lib", follow_symlinks=False)
        copy.parent.mkdir(parents=True)
        shutil.copy2(mine, copy)
        subprocess.run(["patchelf", "--set-rpath", "$ORIGIN/../lib", str(copy)], check=True)
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    return str(copy)


def requirements() -> list[str]:
    """The course stack (pyproject's dependencies) and JupyterHub, to install with constraints.txt."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["hub"]]


def build_env(hub: Hub) -> Path:
    """The users' Python environment, made again only when the requirements or the Python change."""
    env = hub.python.parent.parent
    python = base_python(env.with_name(env.name + "-python"))
    want = hashlib.sha256("\n".join([python, *requirements(), (PROJECT / "constraints.txt").read_text()])
                          .encode()).hexdigest()
    stamp = env / "retailkit-hub.stamp"
    if not (stamp.exists() and stamp.read_text() == want and hub.python.exists()):
        subprocess.run([python, "-m", "venv", "--clear", str(env)], check=True)
        subprocess.run([str(hub.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-c", str(PROJECT / "constraints.txt"), *requirements()], check=True)
        stamp.write_text(want)
    site = subprocess.run([str(hub.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "retailkit-hub.pth").write_text(str(hub.folder / "project") + "\n")
    return env


def copy_project(hub: Hub) -> Path:
    """A copy of the course code, notebooks and data that every user may read and only root may change."""
    target = hub.folder / "project"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(mode=0o755)
    for name in COPIED:
        shutil.copytree(PROJECT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def install_proxy(hub: Hub) -> Path:
    """configurable-http-proxy from the npm registry (Node.js and npm must be installed)."""
    folder = hub.folder / "proxy"
    command = folder / "node_modules" / ".bin" / "configurable-http-proxy"
    if not command.exists():
        if shutil.which("npm") is None:
            raise RuntimeError("JupyterHub's proxy needs Node.js and npm (Debian: apt-get install nodejs npm)")
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--silent", PROXY],
                       check=True)
    return command


def accounts(hub: Hub) -> None:
    """A local account for each person, with a home folder only they may open."""
    for name in [hub.tutor, *hub.learners]:
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
        os.chmod(pwd.getpwnam(name).pw_dir, 0o700)


def tutor_command(hub: Hub, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``python -m grading <args>`` as the tutor, with the tutor's settings, as in their hub terminal."""
    return as_tutor(hub, [str(hub.python), "-m", "grading", *args], check)


def as_tutor(hub: Hub, argv: list[str], check: bool = True) -> subprocess.CompletedProcess:
    """Run ``argv`` as the tutor, in their home folder, with their settings and course."""
    user = pwd.getpwnam(hub.tutor)
    env = {"PATH": hub.environment()["PATH"], "LANG": "C.UTF-8", "HOME": user.pw_dir, "USER": hub.tutor,
           "JUPYTER_CONFIG_DIR": str(hub.folder / "config" / "tutor"), "RETAILKIT_COURSE": str(hub.course)}
    run = subprocess.run(["runuser", "-u", hub.tutor, "--", *argv], env=env, cwd=user.pw_dir,
                         capture_output=True, text=True, timeout=1800)
    if check and run.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[1:])} failed as {hub.tutor}:\n{(run.stderr or run.stdout)[-2000:]}")
    return run


def check_people(hub: Hub) -> None:
    """Refuse user names that are not plain login names, repeated, or accounts of the system (root...)."""
    names = [hub.tutor, *hub.learners]
    for name in names:
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,31}", name):
            raise ValueError(f"{name!r} is not a usable user name: use lower-case letters, digits, - and _, "
                             "starting with a letter (at most 32 characters)")
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            continue
        if uid < 1000 or uid == 65534:
            raise ValueError(f"{name!r} is a system account (user id {uid}): the hub would give its login to "
                             "whoever has the password. Choose another name")
    if len(set(names)) != len(names):
        raise ValueError(f"each person needs their own user name, got tutor {hub.tutor!r} and learners "
                         f"{', '.join(hub.learners)}")
    if not 1024 <= hub.port <= 65533:
        raise ValueError(f"port must be between 1024 and 65533 (the hub uses it and the next two), got {hub.port}")


def setup(hub: Hub) -> None:
    """Everything the hub needs, made or brought up to date (see the module docstring)."""
    check_people(hub)
    if os.geteuid() != 0:
        raise RuntimeError("the hub starts each person's JupyterLab as their own user, so it runs as root")
    hub.folder.mkdir(parents=True, exist_ok=True)
    hub.folder.chmod(0o755)
    copy_project(hub)
    build_env(hub)
    install_proxy(hub)
    accounts(hub)
    exchange = hub.folder / "exchange"
    exchange.mkdir(exist_ok=True)
    exchange.chmod(0o777)  # nbgrader's exchange: learners write their hand-ins, which only the tutor collects
    course_id = Course(PROJECT).manifest["course_id"]
    write_settings(hub.folder / "config" / "learner", "learner", exchange, course_id)
    write_settings(hub.folder / "config" / "tutor", "tutor", exchange, course_id, hub.course)
    for role in ("learner", "tutor"):  # Jupyter writes this once in a config folder: users may not write here
        (hub.folder / "config" / role / "migrated").write_text("")
    for path in [hub.folder / "config", *(hub.folder / "config").rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    as_tutor(hub, [str(hub.python), "-c", "from grading.course import Course; from grading.variants import secret; "
                   "secret(Course.open())"])  # the course folder and its secret, the tutor's own


def start(hub: Hub, log: Path | None = None, timeout: float = 120) -> subprocess.Popen:
    """Start JupyterHub; return its process once it answers."""
    out = open(log or hub.folder / "jupyterhub.log", "w")  # noqa: SIM115 - the hub's log, open while it runs
    process = subprocess.Popen([str(hub.python.with_name("jupyterhub")), "-f",
                                str(hub.folder / "project" / "hub" / "jupyterhub_config.py")],
                               env=hub.environment(), cwd=hub.folder, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{hub.url}/hub/api", timeout=2)
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("JupyterHub did not start:\n" + Path(out.name).read_text()[-3000:]) from None
            time.sleep(0.5)
