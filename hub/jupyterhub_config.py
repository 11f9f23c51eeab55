"""JupyterHub for a class: one tutor, their learners, nbgrader's exchange and the course tool.

``python -m grading hub`` (``make hub``) sets everything up and starts the hub with this file; the settings
come from its environment:

- ``RETAILKIT_HUB_DIR``: the hub's folder (its database, the exchange, each role's Jupyter settings);
- ``RETAILKIT_HUB_TUTOR`` and ``RETAILKIT_HUB_LEARNERS``: the tutor's and the learners' user names
  (local Unix accounts: each person's server runs as them);
- ``RETAILKIT_COURSE``: the tutor's course folder (the hub reads only its secret, for each learner's seed);
- ``RETAILKIT_HUB_PASSWORD``: the demo's one password; ``RETAILKIT_HUB_URL``: where the hub listens;
  ``RETAILKIT_HUB_SERVER_ARGS``: extra arguments for every JupyterLab server (none by default).

**The demo's login is not for a college.** DummyAuthenticator lets anyone on the list in with the one
password. In production use the college's own login: an OAuth authenticator (``oauthenticator``:
Microsoft Entra ID, Google, GitHub, Moodle's LTI through ``ltiauthenticator``) or LDAP
(``ldapauthenticator``), with ``allowed_users`` or group rules, and HTTPS in front. See hub/README.md.
"""

import os
import pwd
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when this file is loaded)

HUB = Path(os.environ.get("RETAILKIT_HUB_DIR", "/srv/retailkit-hub"))
TUTOR = os.environ.get("RETAILKIT_HUB_TUTOR", "tutor")
LEARNERS = set(os.environ.get("RETAILKIT_HUB_LEARNERS", "").split())
COURSE = Path(os.environ.get("RETAILKIT_COURSE", f"/home/{TUTOR}/course"))

c.JupyterHub.bind_url = os.environ.get("RETAILKIT_HUB_URL", "http://127.0.0.1:8000")
PORT = int(c.JupyterHub.bind_url.rsplit(":", 1)[1].strip("/"))
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{PORT + 2}"  # the hub itself, behind the proxy
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 1}"  # the proxy's API, for the hub only
c.JupyterHub.db_url = f"sqlite:///{HUB / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [str(HUB / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(HUB / "proxy.pid")

# Who may log in. The demo: one password for the listed accounts. A college: see the module docstring.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ.get("RETAILKIT_HUB_PASSWORD", "")
c.Authenticator.allowed_users = LEARNERS | {TUTOR}

# Each person's JupyterLab runs as their own Unix user, in their own home folder (private to them).
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.default_url = "/lab"
c.Spawner.args = os.environ.get("RETAILKIT_HUB_SERVER_ARGS", "").split()  # e.g. for the browser test
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def prepare_server(spawner) -> None:
    """Before a server starts: its role's settings, and a learner's own variant of the case study."""
    from grading.variants import hub_environment

    name = spawner.user.name
    home = Path(pwd.getpwnam(name).pw_dir)
    role = "tutor" if name == TUTOR else "learner"
    spawner.environment.update({
        "JUPYTER_CONFIG_DIR": str(HUB / "config" / role),  # the role's settings, which the user cannot change
        "JUPYTERLAB_SETTINGS_DIR": str(home / ".jupyter" / "lab" / "user-settings"),  # their own choices
        "JUPYTERLAB_WORKSPACES_DIR": str(home / ".jupyter" / "lab" / "workspaces"),
        "PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]),
    })
    if role == "tutor":
        spawner.notebook_dir = str(COURSE)  # formgrader reads the course folder's nbgrader_config.py
        spawner.environment["RETAILKIT_COURSE"] = str(COURSE)  # for the course tool in their terminal
        return
    spawner.environment["RETAILKIT_VARIANT"] = hub_environment(spawner)  # their own seed, from their name


c.Spawner.pre_spawn_hook = prepare_server
