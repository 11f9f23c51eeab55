"""A tutor's course folder: where nbgrader keeps the course, and how the course tool configures it.

The folder (default: ``course/`` in the project, or ``$RETAILKIT_COURSE``, or ``--course``) holds
nbgrader's ``source/``, ``release/``, ``submitted/``, ``autograded/``, ``feedback/`` and
``gradebook.db``, plus ``keys/`` (answer keys), ``archive/`` (earlier submissions, never deleted) and
``reports/``. It holds learners' data, so it is git-ignored and readable only by its owner.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml
from traitlets.config import Config, PyFileConfigLoader

from grading.sandbox import Limits, default_visible

PROJECT = Path(__file__).resolve().parents[1]
GRADING = PROJECT / "grading"


def load_manifest(path: Path = GRADING / "course.yml") -> dict:
    """The course manifest, checked: criteria belong to units, tasks name known criteria.

    Each written task gets ``criteria`` (its rubric's criteria, in order) and ``points`` (one a marking
    point) from its rubric, so nothing else needs to repeat them.
    """
    manifest = yaml.safe_load(path.read_text())
    units, criteria = manifest["units"], manifest["criteria"]
    for cid, criterion in criteria.items():
        if criterion.get("unit") not in units or not criterion.get("text"):
            raise ValueError(f"{path}: criterion {cid} needs a `unit` (one of {sorted(units)}) and a `text`")
    shares = [g["min_share"] for g in manifest.get("higher_grades") or []]
    if shares != sorted(shares, reverse=True) or any(not 0 < s <= 1 for s in shares):
        raise ValueError(f"{path}: higher_grades must be listed highest first, each min_share in (0, 1]")
    for name, assignment in manifest["assignments"].items():
        for task_id, task in assignment.get("written", {}).items():
            rubric = task.get("rubric") or {}
            if not rubric or any(not (line or {}).get("met") for line in rubric.values()):
                raise ValueError(f"{path}: written task {task_id} of {name} needs a rubric: each marking point "
                                 "with what `met` looks like")
            task["criteria"], task["points"] = list(rubric), len(rubric)
        for task_id, task in {**assignment.get("tasks", {}), **assignment.get("written", {})}.items():
            unknown = set(task.get("criteria", [])) - set(criteria)
            if unknown:
                raise ValueError(f"{path}: task {task_id} of {name} names unknown criteria {sorted(unknown)}")
    return manifest


CONFIG_BEGIN = "# >>> Written by the course tool (python -m grading): the project's nbgrader settings.\n"
CONFIG_END = "# <<< End of the course tool's settings. Your own settings go below this line: they are kept.\n"
OLD_CONFIG_HEADER = "# Written by the course tool: use the project's nbgrader settings for this course folder."


@dataclass
class Course:
    root: Path
    unsafe: bool = False  # grade without the sandbox: development only, never learners' work
    key_digests: dict[str, str] = field(default_factory=dict)  # answer keys built by this process
    limit_override: Limits | None = None  # tests use small limits
    notebooks: Path = PROJECT / "notebooks"  # the assignments' source folders
    manifest_path: Path = GRADING / "course.yml"
    variant_seeds: dict[str, int] = field(default_factory=dict)  # learner -> seed, for the assignment being graded
    database: str | None = None  # an SQLAlchemy URL of a database server for the gradebook (default: SQLite)

    @classmethod
    def open(cls, root: str | Path | None = None, unsafe: bool = False, database: str | None = None) -> Course:
        # nbgrader runs tools such as `alembic` by name: find them beside this Python, venv or not.
        bin_dir = os.path.dirname(sys.executable)
        if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
            os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
        root = Path(root or os.environ.get("RETAILKIT_COURSE") or PROJECT / "course").resolve()
        root.mkdir(parents=True, exist_ok=True)
        os.chmod(root, 0o700)  # learners' data: the owner only
        course = cls(root, unsafe, database=database or os.environ.get("RETAILKIT_DB_URL") or None)
        course._write_local_config()
        return course

    @cached_property
    def manifest(self) -> dict:
        return load_manifest(self.manifest_path)

    def assignment(self, name: str) -> dict:
        try:
            return self.manifest["assignments"][name]
        except KeyError:
            known = ", ".join(self.manifest["assignments"])
            raise ValueError(f"there is no assignment {name!r} in grading/course.yml; known: {known}") from None

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def db_url(self) -> str:
        """The gradebook: ``gradebook.db`` in the course folder, or the database server given to ``open``."""
        return self.database or f"sqlite:///{self.root / 'gradebook.db'}"

    def config(self) -> Config:
        config = PyFileConfigLoader("nbgrader_config.py", path=str(GRADING)).load_config()
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.db_url = self.db_url
        config.CourseDirectory.course_id = self.manifest["course_id"]
        config.CompareAnswers.key_directory = str(self.keys)
        config.CompareAnswers.key_digests = dict(self.key_digests)
        config.CompareAnswers.variants = dict(self.variant_seeds)
        config.CompareAnswers.answers_directory = str(self.root / "answers")
        config.SandboxedExecute.variants = dict(self.variant_seeds)
        if self.variant_seeds:
            from grading.variants import prepared_folder

            config.SandboxedExecute.variant_data = str(prepared_folder(self))
        if (self.root / "exchange").is_dir():  # the local exchange `python -m grading lab` makes
            config.Exchange.root = str(self.root / "exchange")
        config.merge(self.exchange_settings())
        config.ExchangeReleaseAssignment.force = True  # releasing again replaces the exchange's copy only
        config.RepairStructure.release_directory = str(self.root / "release")
        config.SandboxedExecute.visible_paths = self.visible
        config.SandboxedExecute.unsafe = self.unsafe
        limits = self.limits
        for trait, value in (("timeout", limits.cell_seconds), ("notebook_timeout", limits.notebook_seconds),
                             ("memory_mb", limits.memory_mb), ("processes", limits.processes),
                             ("disk_mb", limits.disk_mb), ("output_mb", limits.output_mb)):
            config.SandboxedExecute[trait] = value
        return config

    @property
    def visible(self) -> list[str]:
        """What a sandboxed kernel may read: Python, the venv, retailkit and the data; nothing else."""
        return default_visible(PROJECT)

    @property
    def limits(self) -> Limits:
        """The sandbox limits set in grading/nbgrader_config.py (defaults in grading.sandbox.Limits)."""
        if self.limit_override is not None:
            return self.limit_override
        execute = PyFileConfigLoader("nbgrader_config.py", path=str(GRADING)).load_config().SandboxedExecute
        defaults = Limits()
        return Limits(execute.get("timeout", defaults.cell_seconds),
                      execute.get("notebook_timeout", defaults.notebook_seconds),
                      execute.get("memory_mb", defaults.memory_mb), execute.get("processes", defaults.processes),
                      execute.get("disk_mb", defaults.disk_mb), execute.get("output_mb", defaults.output_mb))

    def secrets(self) -> list[str]:
        """Places a sandboxed kernel must not see, for the proof before grading (the allow-list hides all)."""
        from jupyter_core.paths import jupyter_runtime_dir

        visible = [Path(p) for p in self.visible]
        home = [p for p in sorted(Path.home().iterdir())[:50]
                if not any(p == v or p in v.parents for v in visible)] if Path.home().is_dir() else []
        return [str(self.root), str(PROJECT / "grading"), str(PROJECT / "notebooks"), str(PROJECT / ".git"),
                str(PROJECT / "tests"), jupyter_runtime_dir(), *map(str, home)]

    def api(self):
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.config()
        return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)

    def sync_source(self, name: str) -> Path:
        """Copy the assignment's source notebooks from notebooks/ into the course's source/ folder."""
        self.assignment(name)
        src = self.notebooks / name
        dest = self.root / "source" / name
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        return dest

    @property
    def exchange_root(self) -> str | None:
        """Where releases and hand-ins go: nbgrader's exchange folder, when one is set up (else None)."""
        return self.config().Exchange.get("root") or None

    def exchange_settings(self) -> Config:
        """The tutor's nbgrader exchange settings (``Exchange``, ``ExchangeRelease...``): where releases go.

        From the Jupyter config folders (``jupyter --paths``: a hub's ``/etc/jupyter/nbgrader_config.py``, the
        tutor's ``~/.jupyter``), then the tutor's own lines in the course folder's ``nbgrader_config.py``, each
        over the one before.
        """
        from jupyter_core.paths import jupyter_config_path
        from traitlets.config.loader import JSONFileConfigLoader

        found = Config()
        files = [(Path(d), n) for d in reversed(jupyter_config_path()) for n in ("nbgrader_config.json",
                                                                               "nbgrader_config.py")]
        for folder, name in [*files, (self.root, "nbgrader_config.py")]:
            if (folder / name).is_file() and (folder / name).resolve() != (GRADING / "nbgrader_config.py"):
                loader = JSONFileConfigLoader if name.endswith(".json") else PyFileConfigLoader
                try:
                    loaded = loader(name, path=str(folder)).load_config()
                except Exception as error:  # noqa: BLE001 - any error in the tutor's file, named plainly
                    raise ValueError(f"{folder / name} has an error, so the exchange settings cannot be read: "
                                     f"{type(error).__name__}: {error}") from None
                found.merge(Config({k: v for k, v in loaded.items() if k.startswith("Exchange")}))
        return found

    def _write_local_config(self) -> None:
        """An nbgrader_config.py in the course folder, so nbgrader and formgrader work from inside it.

        The course tool's settings are at the top, between two marker lines, and rewritten when they change;
        anything the tutor writes below them (an exchange's ``c.Exchange.root``, say) is kept as it is.
        """
        path = self.root / "nbgrader_config.py"
        text = (
            "import os\n"
            f"exec(open({str(GRADING / 'nbgrader_config.py')!r}).read())\n"
            "c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))\n"
            f"c.CompareAnswers.key_directory = os.path.join(c.CourseDirectory.root, 'keys')\n"
            f"c.SandboxedExecute.visible_paths = {self.visible!r}\n"
            "c.RepairStructure.release_directory = os.path.join(c.CourseDirectory.root, 'release')\n"
            "if os.path.isdir(os.path.join(c.CourseDirectory.root, 'exchange')):\n"
            "    c.Exchange.root = os.path.join(c.CourseDirectory.root, 'exchange')\n"
        )
        if self.database:  # formgrader reads the same gradebook (the URL is in the owner-only course folder)
            text += f"c.CourseDirectory.db_url = {self.database!r}\n"
        old = path.read_text() if path.exists() else ""
        if CONFIG_END in old:
            yours = old.split(CONFIG_END, 1)[1]
        else:  # a file from before the markers, or the tutor's own: keep every line the tool did not write
            ours = {*text.splitlines(), OLD_CONFIG_HEADER}
            yours = "".join(line for line in old.splitlines(True) if line.rstrip("\n") not in ours)
        new = CONFIG_BEGIN + text + CONFIG_END + yours
        if new != old:
            path.write_text(new)
