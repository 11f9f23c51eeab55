"""Every learner their own numbers: the learner's variant of the case study, from a course secret.

A learner's **seed** is a keyed hash (HMAC-SHA-256) of their learner id under the course secret, so the same
learner always gets the same variant, and no one without the secret can work out anyone's seed. The secret
is made on first use in ``<course>/secret.key`` (owner-only, in the course folder that no learner's kernel
can see, and never in a release). The grader gives a learner's sandboxed kernel their seed
(``RETAILKIT_VARIANT``), never the secret; the answer key for that seed is built once and cached.

``personal_data: true`` in ``grading/course.yml`` switches it on for the course (off: everyone works on the
canonical data). How the seed reaches the learner's own JupyterLab is in the README: a per-learner release
(``release --per-learner``) writes it beside the notebook, and on JupyterHub ``hub_environment`` sets it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
from pathlib import Path

from grading.course import Course

LOW, SPAN = 100_000, 900_000  # six-digit seeds, easy to read out to a tutor


def secret(course: Course) -> bytes:
    """The course secret, made on first use (``<course>/secret.key``, readable by its owner only)."""
    path = course.root / "secret.key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32) + "\n")
    return bytes.fromhex(path.read_text().strip())


def seed_for(key: bytes, learner: str) -> int:
    """The learner's seed: HMAC-SHA-256 of the learner id under the course secret, as six digits.

    >>> seed_for(bytes(32), "amira") == seed_for(bytes(32), "amira") != seed_for(bytes(32), "ben")
    True
    >>> 100_000 <= seed_for(bytes(32), "amira") < 1_000_000
    True
    """
    digest = hmac.new(key, learner.encode(), hashlib.sha256).digest()
    return LOW + int.from_bytes(digest[:8], "big") % SPAN


def enabled(course: Course, name: str | None = None) -> bool:
    """Whether learners work on their own data: the assignment's ``personal_data``, else the course's."""
    assignment = course.assignment(name) if name else {}
    return bool(assignment.get("personal_data", course.manifest.get("personal_data")))


def seeds(course: Course, learners: list[str], name: str | None = None) -> dict[str, int]:
    """Each learner's seed (empty when the course, or assignment ``name``, uses the shared data)."""
    if not enabled(course, name):
        return {}
    key = secret(course)
    return {learner: seed_for(key, learner) for learner in learners}


def hub_environment(spawner) -> str:
    """For JupyterHub: ``c.Spawner.environment = {"RETAILKIT_VARIANT": hub_environment}`` in its config.

    The hub (run by the centre, not by learners) reads the course secret from ``$RETAILKIT_COURSE`` and gives
    each learner's server their own seed from their hub user name.
    """
    course = Course(Path(os.environ["RETAILKIT_COURSE"]))  # read only: the course folder is the tutor's
    if not enabled(course):
        return ""
    if not (course.root / "secret.key").exists():  # made by the tutor's tool, never here (it would be root's)
        raise RuntimeError(f"the course {course.root} has no secret yet: the tutor releases an assignment first")
    return str(seed_for(secret(course), spawner.user.name))


def code_digest() -> str:
    """SHA-256 of retailkit's code: the same seed gives the same tables while it holds."""
    import retailkit

    h = hashlib.sha256()
    for path in sorted(Path(retailkit.__file__).parent.rglob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def prepared_folder(course: Course) -> Path:
    """``<course>/cache/variants/<code digest>``: where ``prepared`` keeps the variants for this code."""
    return course.root / "cache" / "variants" / code_digest()[:16]


def prepared(course: Course, seed: int) -> Path:
    """The file of variant ``seed``'s tables, made on first use (``retailkit...generator.save_prepared``).

    Generating a variant takes about 1 s; a notebook reads the file in 0.05 s. The grader makes it once per
    learner and lends it, read-only, to each sandbox that runs for that learner (their key and each of their
    notebooks). Files made by older code are removed.
    """
    from retailkit.datasets.generator import save_prepared

    folder = prepared_folder(course)
    path = folder / f"{int(seed)}.data"
    if not path.exists():
        if not folder.exists():
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder.parent.parent, 0o700)
            for old in folder.parent.iterdir():
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
        save_prepared(int(seed), path)
    return path


def prepare(course: Course, seeds: list[int], workers: int = 1) -> None:
    """Make the files of ``seeds`` not yet made, ``workers`` at a time (each in a process of its own)."""
    todo = sorted({int(s) for s in seeds if not (prepared_folder(course) / f"{int(s)}.data").exists()})
    if workers <= 1 or len(todo) <= 1:
        for seed in todo:
            prepared(course, seed)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(min(workers, len(todo)), mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(prepared, [course] * len(todo), todo))
