"""Run a learner's notebook (or the author's solution) where it can touch nothing but its own folder.

The kernel starts inside bubblewrap (``bwrap``, Debian's ``bubblewrap`` package), built from an
allow-list, not a block-list:

- it sees a read-only view of the Python installation, the virtual environment, ``retailkit`` and the
  case-study ``datasets`` (and the system libraries under ``/usr``), and nothing else: no home folder,
  no course folder of any name, no Jupyter runtime folder, no ``/etc`` beyond a made-up ``passwd``;
- it works in a private home folder and ``/tmp``, both size-limited memory file systems that vanish with
  it, and talks to the grader over IPC sockets in a private connection folder (no TCP at all);
- it has its own PID, network (no network at all), IPC, UTS and user namespaces; it runs as an
  unprivileged user, also when grading runs as root (then, outside the sandbox, as a user id of its own,
  unused by anyone else: two learners graded at the same time never share a process limit);
- when the kernel ends, every process it started ends with it (PID namespace), and its folders go;
- limits are set from outside the kernel: memory and processes (a control group when grading runs as
  root and the machine offers one, plus resource limits), file size, open files.

``check()`` proves all of this on the machine before grading; ``validate`` and ``autograde`` refuse to
grade when it fails, unless the tutor asks for ``--unsafe`` (development only).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import Type

INSIDE_UID = 1000  # the learner's user id inside the sandbox
FIRST_UID, UIDS = 2_000_000, 1_000_000  # the unused user ids a root grader drops to, one per sandbox at a time
HOME = "/home/learner"
DATA_INSIDE = "/run/retailkit/variant.data"  # where the learner's prepared variant (``data``) is seen


class SandboxUnavailable(RuntimeError):
    """The kernel sandbox cannot be set up on this machine."""


@dataclass
class Limits:
    """Per-learner limits, enforced outside the kernel. The defaults are documented in the README."""

    cell_seconds: int = 60  # one cell
    notebook_seconds: int = 600  # the whole notebook
    memory_mb: int = 2048  # all the learner's processes together (a control group), else per process
    processes: int = 128  # processes and threads
    disk_mb: int = 64  # the private home folder; /tmp gets the same again
    output_mb: int = 8  # everything the notebook prints or shows


def _system_paths() -> list[str]:
    """The system folders a Python kernel needs to start, read-only."""
    return [p for p in ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc/ld.so.cache",
                        "/etc/localtime") if os.path.lexists(p)]


def default_visible(project_root: Path) -> list[str]:
    """What a learner's kernel may read: the Python installation, the venv, retailkit and the data."""
    paths = [sys.base_prefix, sys.prefix, str(project_root / "retailkit"), str(project_root / "datasets")]
    if os.environ.get("RETAILKIT_DATA"):
        paths.append(os.environ["RETAILKIT_DATA"])
    return list(dict.fromkeys(str(Path(p).resolve()) for p in paths if Path(p).exists()))


@dataclass
class Sandbox:
    """One sandboxed run: ``visible`` read-only paths, ``limits``, and a host folder for its connection.

    ``create()`` makes the host folder (``folder``), ``close()`` removes it and anything left running.
    ``unsafe`` runs without isolation (development only; never for learners' work).
    """

    visible: list[str] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    unsafe: bool = False
    variant: int | None = None  # the learner's own case-study variant (their seed), given to the kernel
    data: str | None = None  # that variant's tables, prepared by the grader (grading.variants.prepared): read-only
    folder: Path | None = None
    cgroups: list[Path] = field(default_factory=list)
    uid: int | None = None  # outside the sandbox, when grading runs as root: a user id held by this sandbox only
    zygote: object = None  # grading.zygote.Zygote, when this sandbox's kernels are forks of one (``kept_box``)
    kernels: int = 0  # kernels started in it so far

    # --- the host side -----------------------------------------------------------------------------
    @property
    def as_root(self) -> bool:
        return os.geteuid() == 0

    @property
    def conn(self) -> Path:
        assert self.folder is not None, "call create() first"
        return self.folder / "conn"

    def create(self) -> Sandbox:
        # RETAILKIT_SANDBOX_DIR: where the host-side folders go (default: the system's temporary folder)
        self.folder = Path(tempfile.mkdtemp(prefix="rk-box-", dir=os.environ.get("RETAILKIT_SANDBOX_DIR")))
        self.conn.mkdir()
        if self.as_root and not self.unsafe:
            os.chmod(self.folder, 0o711)  # the sandbox's user may pass through, not list
            os.chmod(self.conn, 0o733)  # the kernel creates its sockets here, then the folder is sealed
            (self.folder / "stage").mkdir()
        passwd = f"learner:x:{INSIDE_UID}:{INSIDE_UID}:Learner:{HOME}:/bin/false\n"
        (self.folder / "passwd").write_text(passwd)
        (self.folder / "group").write_text(f"learner:x:{INSIDE_UID}:\n")
        self.cgroups = _make_cgroups(self.limits) if self.as_root and not self.unsafe else []
        if self.as_root and not self.unsafe:
            self.uid = _hold_uid()
        return self

    def hand_over(self, path: Path) -> None:
        """Let the sandboxed user read ``path`` (the kernel's connection file)."""
        if self.as_root and not self.unsafe:
            os.chown(path, self.uid, self.uid)

    def seal(self) -> None:
        """Once the kernel has made its sockets: no more files in the connection folder (until the next kernel)."""
        if self.as_root and not self.unsafe and self.folder is not None:
            os.chmod(self.conn, 0o711)

    def close(self) -> None:
        """Kill anything still running in the sandbox's control groups; remove its folders."""
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None
        for group in self.cgroups:
            _empty_cgroup(group)
        self.cgroups = []
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        if self.uid is not None:
            _uid_file(self.uid).unlink(missing_ok=True)
            self.uid = None

    def __enter__(self) -> Sandbox:
        return self.create()

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the command ---------------------------------------------------------------------------------
    def command(self, argv: list[str]) -> list[str]:
        """``argv`` wrapped so that it runs inside the sandbox."""
        if self.unsafe:
            return list(argv)
        assert self.folder is not None, "call create() first"
        if shutil.which("bwrap") is None:
            raise SandboxUnavailable("bubblewrap is not installed (Debian: apt-get install bubblewrap)")
        binds, stage = [], []
        mounts = [(p, p) for p in _system_paths() + self.visible] + ([(self.data, DATA_INSIDE)] if self.data else [])
        for n, (source, path) in enumerate(mounts):
            if source == path and os.path.islink(path) and not os.path.isabs(os.readlink(path)):
                binds += ["--symlink", os.readlink(path), path]
                continue
            if self.as_root:  # its user cannot reach /root/...: bind it where it can, in a private namespace
                stage.append((source, str(self.folder / "stage" / str(n))))
                source = stage[-1][1]
            binds += ["--ro-bind", source, path]
        mb = 1024 * 1024
        inner = [
            "bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
            "--new-session", "--uid", str(INSIDE_UID), "--gid", str(INSIDE_UID), "--hostname", "sandbox",
            "--proc", "/proc", "--dev", "/dev",
            # The private folders first, so that a project or venv kept under /tmp or /home stays visible.
            "--size", str(self.limits.disk_mb * mb), "--perms", "0700", "--tmpfs", HOME,
            "--size", str(self.limits.disk_mb * mb), "--tmpfs", "/tmp", *binds,
            "--ro-bind", str(self.folder / "passwd"), "/etc/passwd",
            "--ro-bind", str(self.folder / "group"), "/etc/group",
            "--bind", str(self.conn), str(self.conn), "--remount-ro", "/", "--chdir", HOME,
            "--setenv", "JPY_PARENT_PID", "1", "--", *argv,
        ]
        if not self.as_root:
            return inner
        steps = ["set -e", f"mount -t tmpfs -o size=64k,mode=0755 rk-stage {shlex.quote(str(self.folder / 'stage'))}"]
        for path, target in stage:
            make = "mkdir" if os.path.isdir(path) else "touch"
            steps += [f"{make} {shlex.quote(target)}", f"mount --rbind {shlex.quote(path)} {shlex.quote(target)}"]
        steps.append(f'exec setpriv --reuid={self.uid} --regid={self.uid} --clear-groups -- "$@"')
        return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", "; ".join(steps), "sh",
                *inner]

    def environment(self) -> dict[str, str]:
        """The kernel's environment: an allow-list, never the grader's secrets or paths."""
        # (bwrap sets JPY_PARENT_PID=1: in its own PID namespace the kernel's parent is process 1, which the
        # kernel would otherwise take as its parent having gone, and stop.)
        keep = {}
        home = HOME if not self.unsafe else str(self.folder)
        keep.update(HOME=home, IPYTHONDIR=f"{home}/.ipython", MPLCONFIGDIR=f"{home}/.matplotlib",
                    JUPYTER_RUNTIME_DIR=f"{home}/.runtime", JUPYTER_CONFIG_DIR=f"{home}/.jupyter",
                    PYTHONNOUSERSITE="1", LANG="C.UTF-8", TMPDIR="/tmp" if not self.unsafe else str(self.folder),
                    PATH=os.pathsep.join([os.path.dirname(sys.executable), "/usr/bin", "/bin"]),
                    OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MPLBACKEND="agg")
        if self.variant is not None:
            keep["RETAILKIT_VARIANT"] = str(int(self.variant))
        if self.variant is not None and self.data:
            keep["RETAILKIT_VARIANT_DATA"] = self.data if self.unsafe else DATA_INSIDE
        return keep

    def preexec(self) -> None:
        """Runs in the child before the sandbox starts: limits, and the control groups."""
        mb = 1024 * 1024
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.limits.disk_mb * mb,) * 2)
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))
        resource.setrlimit(resource.RLIMIT_AS, ((self.limits.memory_mb + 2048) * mb,) * 2)
        if self.as_root and not self.unsafe:  # counted per user: this sandbox's own user id
            resource.setrlimit(resource.RLIMIT_NPROC, (self.limits.processes,) * 2)
        for group in self.cgroups:
            (group / "cgroup.procs").write_text(str(os.getpid()))


# --- user ids (root only) ---------------------------------------------------------------------------------
def _uid_file(uid: int) -> Path:
    """The file that holds ``uid`` for a sandbox: under /run (emptied at every boot), else the temporary folder."""
    base = Path("/run") if os.access("/run", os.W_OK) else Path(tempfile.gettempdir())
    return base / "retailkit-uids" / str(uid)


def _hold_uid() -> int:
    """A user id no other sandbox on this machine holds now (held by a file until ``close``).

    Processes and threads are limited per user (RLIMIT_NPROC): with a user id of its own, a learner's
    notebook that starts too many can never stop another learner's, graded at the same time, from running.
    """
    folder = _uid_file(0).parent
    folder.mkdir(mode=0o700, exist_ok=True)
    start = int.from_bytes(os.urandom(4), "big") % UIDS
    for step in range(UIDS):
        uid = FIRST_UID + (start + step) % UIDS
        try:
            os.close(os.open(_uid_file(uid), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return uid
    raise SandboxUnavailable(f"no free user id for the sandbox in {folder}")


# --- control groups (root only; optional) ---------------------------------------------------------------
def _make_cgroups(limits: Limits) -> list[Path]:
    """A memory and a pids control group for one learner, where the machine lets root make them."""
    name = f"rk-{uuid.uuid4().hex[:12]}"
    root = Path("/sys/fs/cgroup")
    made = []
    try:
        if (root / "cgroup.controllers").exists():  # cgroup v2
            enabled = (root / "cgroup.subtree_control").read_text().split()
            if {"memory", "pids"} <= set(enabled):
                group = root / name
                group.mkdir()
                made.append(group)
                (group / "memory.max").write_text(str(limits.memory_mb * 1024 * 1024))
                (group / "memory.swap.max").write_text("0")
                (group / "pids.max").write_text(str(limits.processes))
        elif (root / "memory").is_dir() and (root / "pids").is_dir():  # cgroup v1
            memory, pids = root / "memory" / name, root / "pids" / name
            memory.mkdir()
            made.append(memory)
            pids.mkdir()
            made.append(pids)
            (memory / "memory.limit_in_bytes").write_text(str(limits.memory_mb * 1024 * 1024))
            (pids / "pids.max").write_text(str(limits.processes))
    except OSError:
        for group in made:
            _empty_cgroup(group)
        return []
    return made


def _empty_cgroup(group: Path) -> None:
    for _ in range(50):
        try:
            pids = [int(p) for p in (group / "cgroup.procs").read_text().split()]
        except OSError:
            return
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.02)
    try:
        group.rmdir()
    except OSError:
        pass


# --- the kernel manager -------------------------------------------------------------------------------
class ReadyKernelClient(AsyncKernelClient):
    """jupyter_client's kernel client, ready as soon as the kernel answers.

    jupyter_client then waits a further 0.2 s for stray IOPub messages to throw away, for each kernel; nbclient
    reads only the messages that answer its own requests, so the wait is not needed.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)  # IOPub is connected
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start inside ``sandbox`` (set on a subclass), talking over IPC."""

    sandbox: Sandbox = Sandbox()
    client_factory = Type(ReadyKernelClient, klass=AsyncKernelClient)

    async def _async_wait(self, pollinterval: float = 0.01) -> None:
        """Wait for the kernel to end, looking every 0.01 s (jupyter_client looks every 0.1 s)."""
        await super()._async_wait(pollinterval)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sandbox.kernels += 1
        if not self.sandbox.unsafe:  # each kernel its own names: a kept sandbox runs several, one after another
            self.transport = "ipc"
            self.ip = str(self.sandbox.conn / f"kernel{self.sandbox.kernels}")
            self.connection_file = str(self.sandbox.conn / f"kernel{self.sandbox.kernels}.json")

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        self.sandbox.hand_over(Path(self.connection_file))
        kw["env"] = self.sandbox.environment()
        kw["cwd"] = str(self.sandbox.folder)  # on this side; inside, bwrap starts in the private home
        # The kernel's own log (not the cells' output) would print a start-up warning per learner into the
        # tutor's terminal; `check()` has already proved the sandbox starts, so it is not needed.
        kw["stderr"] = None if os.environ.get("RK_SANDBOX_DEBUG") else subprocess.DEVNULL
        if self.sandbox.zygote is not None and self.sandbox.zygote.alive():  # its client unseals the folder
            unseal = str(self.sandbox.conn) if self.sandbox.as_root else None
            return await super()._async_launch_kernel(self.sandbox.zygote.command(self.connection_file, unseal), **kw)
        kw["preexec_fn"] = self.sandbox.preexec
        return await super()._async_launch_kernel(self.sandbox.command(kernel_cmd), **kw)


def manager_class(box: Sandbox) -> type[SandboxKernelManager]:
    return type("BoxedKernelManager", (SandboxKernelManager,), {"sandbox": box})


# --- one learner's notebooks in a row: one sandbox, kernels forked from a zygote ---------------------------
_kept: dict = {}


@contextlib.contextmanager
def kept_for(owner: str, variant: int | None):
    """While one learner's notebooks on ``variant`` are graded one after another, in this process: ``kept_box``."""
    _drop_kept()
    _kept.update(owner=owner, variant=variant)
    try:
        yield
    finally:
        _drop_kept()


def _drop_kept() -> None:
    box = _kept.get("box")
    _kept.clear()
    if box is not None:
        box.close()


def kept_box(owner: str, visible: list[str], limits: Limits, unsafe: bool, variant: int | None,
             data: str | None) -> Sandbox | None:
    """The sandbox kept for ``owner`` inside ``kept_for(owner, variant)``, or None (then the notebook makes its own).

    It is made on first use, with a zygote (``grading.zygote``) that has made the imports, and kept until
    ``kept_for`` ends: each of the learner's kernels is a fork of the zygote. It is only ever given to
    ``owner``, on ``variant``, with the same paths, limits and data (a notebook on the shared data makes its
    own); a zygote that has died (the learner's code may end it) is replaced with a new sandbox. Never without
    the sandbox (``unsafe``).
    """
    if unsafe or _kept.get("owner") != owner or _kept.get("variant") != variant:
        return None
    want = (list(visible), limits, variant, data)
    box = _kept.get("box")
    if box is None or _kept.get("want") != want or not box.zygote.alive():
        from grading.zygote import Zygote

        old = _kept.pop("box", None)
        if old is not None:
            old.close()
        box = Sandbox(list(visible), limits, False, variant, data).create()
        try:
            box.zygote = Zygote(box)
        except Exception:  # noqa: BLE001 - then this notebook starts its kernel as usual
            box.close()
            return None
        _kept.update(box=box, want=want)
    return box


# --- the proof ------------------------------------------------------------------------------------------
PROBE = r"""
import json, os, socket, sys
want = json.loads(sys.argv[1])
problems = []
for path in want["secret"]:
    if os.path.exists(path):
        problems.append("can see " + path)
for path in want["visible"] + ["/", "/usr", "/etc", "/home", "/tmp", "/root"]:
    try:
        with open(os.path.join(path, ".rk-sandbox-probe"), "w"):
            pass
    except OSError:
        continue
    if not path.startswith(("/tmp", "/home")):
        problems.append("can write to " + path)
try:
    socket.create_connection(("127.0.0.1", want["port"]), timeout=2).close()
    problems.append("reached the grader's network")
except OSError:
    pass
open(os.path.join(want["conn"], "owner"), "w").close()  # the grader looks at who owns it, outside
if os.getpid() > 10:
    problems.append("shares the machine's processes")
print(json.dumps(problems))
"""


def check(visible: list[str], secret: list[str], unsafe: bool = False) -> None:
    """Prove on this machine that the sandbox holds; raise SandboxUnavailable if not.

    A sandboxed process must see ``visible`` read-only and none of ``secret``, have no network (it tries a
    listener this check starts on 127.0.0.1) and not run as root.

    Raises SandboxUnavailable with the reason when it does not.
    """
    if unsafe:
        return
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable("bubblewrap is not installed (Debian: apt-get install bubblewrap)")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    want = {"secret": [str(Path(p).resolve()) for p in secret], "visible": visible,
            "port": listener.getsockname()[1]}
    try:
        with Sandbox(visible) as box:
            want["conn"] = str(box.conn)
            argv = box.command([sys.executable, "-c", PROBE, json.dumps(want)])
            run = subprocess.run(argv, capture_output=True, text=True, env=box.environment(),
                                 preexec_fn=box.preexec, start_new_session=True, timeout=60)
            owner = box.conn / "owner"
            if owner.exists() and owner.stat().st_uid == 0:
                raise SandboxUnavailable("the sandboxed process runs as root outside the sandbox")
    finally:
        listener.close()
    lines = run.stdout.strip().splitlines()
    try:
        problems = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (run.stderr or run.stdout).strip().splitlines()
        raise SandboxUnavailable(f"the sandbox did not start: {tail[-1] if tail else run.returncode}") from None
    if problems:
        raise SandboxUnavailable("; ".join(problems))
