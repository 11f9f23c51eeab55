"""One learner's kernels, each a fork of a Python in their own sandbox that has made the imports already.

Every notebook starts a kernel that imports ipykernel, pandas, matplotlib and retailkit: about 0.9 s of a
notebook's 2 s. When the grader grades several notebooks of one learner in a row, it starts a *zygote* in
that learner's sandbox: a Python that has made those imports and then waits. Each of the learner's kernels
is a fork of it (``os.fork``), so it starts with the imports made and nothing else: no cell has run in it.

A zygote belongs to one learner's sandbox, and dies with it: it is never lent to another learner. Before each
new kernel it ends every process the learner's last kernel left behind (``kill(-1)``, which spares only the
zygote itself and the sandbox's own first process).

The grader's side of each kernel is ``CLIENT``, a small Python outside the sandbox that jupyter_client
starts and stops as if it were the kernel: it asks the zygote for a kernel, passes on SIGINT and SIGTERM,
and exits with the kernel's exit code. The zygote's socket is made before the first kernel, in the
connection folder, which is sealed while any code of the learner's runs. When the client is killed, the
zygote's helper kills the kernel.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

# What the first cell of every notebook imports; a kernel forked from the zygote finds them made.
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "pandas", "matplotlib.pyplot", "retailkit")

ZYGOTE = r"""
import importlib, os, select, signal, socket, sys
for name in sys.argv[2].split(","):
    importlib.import_module(name)
listener = socket.socket(socket.AF_UNIX)
listener.bind(sys.argv[1])
listener.listen(4)
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the helpers are reaped by the system
print("ready", flush=True)

def helper(conn):
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    listener.close()
    request = b""
    while not request.endswith(b"\n"):
        got = conn.recv(4096)
        if not got:
            os._exit(1)
        request += got
    kernel = os.fork()
    if kernel == 0:
        conn.close()
        os.setsid()
        try:
            sys.argv = ["ipykernel_launcher", "-f", request.decode().strip()]
            from ipykernel import kernelapp
            kernelapp.launch_new_instance()
        finally:
            os._exit(0)
    while True:
        ready, _, _ = select.select([conn], [], [], 0.05)
        done, status = os.waitpid(kernel, os.WNOHANG)
        if done:
            conn.sendall(b"%d\n" % os.waitstatus_to_exitcode(status))
            os._exit(0)
        if ready:
            got = conn.recv(64)
            for sig in (got.split() if got else [b"9"]):
                for kill in (os.killpg, os.kill):
                    try:
                        kill(kernel, int(sig))
                    except ProcessLookupError:
                        pass
            if not got:
                os.waitpid(kernel, 0)
                os._exit(0)

while True:
    conn, _ = listener.accept()
    if os.getpid() < 10:  # in the sandbox's own process namespace (never the machine's)
        for _ in range(2):
            try:
                os.kill(-1, signal.SIGKILL)  # whatever the last kernel left running (never this process)
            except ProcessLookupError:
                pass
    try:
        conn.sendall(b"clean\n")
    except OSError:
        conn.close()
        continue
    if os.fork() == 0:
        helper(conn)
    conn.close()
"""

CLIENT = r"""
import os, signal, socket, sys
zygote = socket.socket(socket.AF_UNIX)
try:
    zygote.connect(sys.argv[1])
    said = b""
    while not said.endswith(b"\n"):  # the zygote has ended whatever the learner's last kernel left running
        got = zygote.recv(64)
        if not got:
            sys.exit(70)
        said += got
except OSError:
    sys.exit(70)
if sys.argv[3:]:
    os.chmod(sys.argv[3], 0o733)  # only now may the new kernel make its sockets there
def forward(signum, frame):
    try:
        zygote.sendall(b"%d\n" % signum)
    except OSError:
        pass
for signum in (signal.SIGINT, signal.SIGTERM):
    signal.signal(signum, forward)
zygote.sendall(sys.argv[2].encode() + b"\n")
said = b""
while True:
    try:
        got = zygote.recv(64)
    except InterruptedError:
        continue
    if not got:
        break
    said += got
sys.exit(int(said.split()[-1]) if said.strip() else 1)
"""


class Zygote:
    """A Python waiting in ``box`` with the imports made; ``command`` starts a kernel forked from it."""

    def __init__(self, box, timeout: float = 60) -> None:
        self.socket = Path(box.conn) / "zygote"
        self.process = subprocess.Popen(
            box.command([sys.executable, "-c", ZYGOTE, str(self.socket), ",".join(PRELOAD)]),
            env=box.environment(), cwd=box.folder, preexec_fn=box.preexec, start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready or self.process.stdout.readline().strip() != b"ready":
            self.close()
            raise RuntimeError("the kernel zygote did not start")

    def alive(self) -> bool:
        return self.process.poll() is None and self.socket.exists()

    def command(self, connection_file: str, unseal: str | None = None) -> list[str]:
        """The kernel command for jupyter_client: a small client, outside the sandbox, for a forked kernel.

        With ``unseal`` (the connection folder, when grading as root), the client opens the folder to the new
        kernel's sockets only once the zygote has ended every process the learner's last kernel left, so no
        code of the learner's runs while it is open (the grader seals it again once the kernel answers).
        """
        return [sys.executable, "-I", "-S", "-c", CLIENT, str(self.socket), connection_file,
                *([unseal] if unseal else [])]

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, 9)
            except ProcessLookupError:
                pass
            self.process.wait()
        self.process.stdout.close()
