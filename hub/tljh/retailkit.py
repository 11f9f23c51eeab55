"""The Littlest JupyterHub: copy to /opt/tljh/config/jupyterhub_config.d/retailkit.py, then `tljh-config reload`.

Each learner's server gets their own variant of the case study (``RETAILKIT_VARIANT``), worked out from the
course secret and their Unix account's name, which is the learner id nbgrader's exchange hands work in under
and the grader works the seed out from. The hub reads the project from
``RETAILKIT_PROJECT`` (default /opt/retailkit) and the tutor's course folder from ``RETAILKIT_COURSE``
(default /home/jupyter-tutor/course: TLJH's Unix names are "jupyter-" and the hub name). See hub/README.md.
"""

import os
import sys

sys.path.insert(0, os.environ.get("RETAILKIT_PROJECT", "/opt/retailkit"))
os.environ.setdefault("RETAILKIT_COURSE", "/home/jupyter-tutor/course")

from types import SimpleNamespace  # noqa: E402

from grading.variants import hub_environment  # noqa: E402 - after the project is on the path


def retailkit_variant(spawner) -> str:
    """The learner's seed for their Unix name, "jupyter-<hub name>": the name nbgrader's exchange hands in under."""
    return hub_environment(SimpleNamespace(user=SimpleNamespace(name=f"jupyter-{spawner.user.name}")))


c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)
c.Spawner.environment.update({"RETAILKIT_VARIANT": retailkit_variant})
