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
    course = Course.open(Path(os.environ["RETAILKIT_COURSE"]))
    return str(seed_for(secret(course), spawner.user.name)) if enabled(course) else ""
