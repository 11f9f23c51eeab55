"""The Littlest JupyterHub: copy to /opt/tljh/config/jupyterhub_config.d/retailkit.py, then `tljh-config reload`.

Each learner's server gets their own variant of the case study (``RETAILKIT_VARIANT``), worked out from their
hub user name and the course secret, exactly as the grader works it out. The hub reads the project from
``RETAILKIT_PROJECT`` (default /opt/retailkit) and the tutor's course folder from ``RETAILKIT_COURSE``
(default /home/jupyter-tutor/course: TLJH's Unix names are "jupyter-" and the hub name). See hub/README.md.
"""

import os
import sys

sys.path.insert(0, os.environ.get("RETAILKIT_PROJECT", "/opt/retailkit"))
os.environ.setdefault("RETAILKIT_COURSE", "/home/jupyter-tutor/course")

from grading.variants import hub_environment  # noqa: E402 - after the project is on the path

c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)
c.Spawner.environment.update({"RETAILKIT_VARIANT": hub_environment})
