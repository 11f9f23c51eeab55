"""One learner's kernels forked from a zygote in their own kept sandbox (``grading.zygote``).

Each kernel starts clean (nothing from the learner's last notebook), with the imports made; whatever the last
kernel left running is gone, and the connection folder is sealed while the learner's code runs (as root);
the kept sandbox is never given to another learner or to other data; a learner
who kills the zygote only costs themselves the speed-up.
"""

import os

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from grading.course import Course
from grading.preprocessors import LimitedRun
from grading.sandbox import Limits, kept_box, kept_for, manager_class


class Client(LimitedRun, NotebookClient):
    pass


def run(box, source: str) -> str:
    nb = new_notebook(cells=[new_code_cell(source)])
    client = Client(nb, kernel_manager_class=manager_class(box), resources={"metadata": {"path": str(box.folder)}})
    client.start_limits(box.limits)
    client.execute()
    return "".join(o.get("text", "") for o in nb.cells[0].outputs if o.output_type == "stream")


def test_each_kernel_is_a_clean_fork_and_the_sandbox_stays_with_its_learner(tmp_path):
    course = Course.open(tmp_path / "course")
    where = (course.visible, Limits(), False, 424242, None)
    with kept_for("amira", 424242):
        box = kept_box("amira", *where)
        assert box is not None and box.zygote.alive()
        first = run(box, "import subprocess, sys\nsecret = 42\n"
                         "left = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'], "
                         "start_new_session=True)\nprint(left.pid)")
        assert kept_box("amira", *where) is box  # the same sandbox for her next notebook
        second = run(box, f"import os, sys\nprint(os.path.exists('/proc/{first.strip()}'), 'secret' in globals(), "
                          "'pandas' in sys.modules, os.environ['RETAILKIT_VARIANT'])\n"
                          f"try:\n    open('{box.conn}/planted', 'w')\n    print('wrote')\n"
                          "except OSError:\n    print('sealed')")
        assert second.split() == ["False", "False", "True", "424242", "sealed" if os.geteuid() == 0 else "wrote"]
        assert kept_box("ben", *where) is None  # never another learner's
        assert kept_box("amira", course.visible, Limits(), False, 7, None) is None  # nor other data
        assert kept_box("amira", course.visible, Limits(), True, 424242, None) is None  # nor without the sandbox
        run(box, "import os, signal\nos.kill(-1, signal.SIGKILL)")  # ends the zygote too
        assert not box.zygote.alive()
        again = kept_box("amira", *where)
        assert again is not None and again is not box and box.folder is None  # a new one; the old one is gone
        assert run(again, "print(6 * 7)").strip() == "42"
        folder = again.folder
    assert again.folder is None and not folder.exists()  # closed when her notebooks are done


def test_a_notebook_outside_kept_for_gets_a_sandbox_of_its_own(tmp_path):
    course = Course.open(tmp_path / "course")
    assert kept_box("amira", course.visible, Limits(), False, None, None) is None
