"""The course tool for tutors and course authors.

  python -m grading validate   prove every assignment works before release
  python -m grading release    make the learners' version of an assignment
  python -m grading workbook   a learner's own copy on this machine, made once and never replaced
  python -m grading lab        the learners' JupyterLab on this machine (opens on start_here, hands in)
  python -m grading sync       write each number task's hand-in and check cells from grading/course.yml
  python -m grading selfcheck  rebuild the learners' self-check file from the solution
  python -m grading autograde  mark a zip or folder of submissions
  python -m grading feedback   write each learner's feedback page
  python -m grading marking    the tutor's marking guide; written-answer decisions to and from a CSV file
  python -m grading report     one assignment's marks and criteria met, CSV and HTML
  python -m grading portfolio  each learner's evidence portfolio (HTML, PDF), cohort matrix, IQA sample,
                               unit outcomes and a Moodle gradebook import file
  python -m grading demo       the whole cycle on the sample cohort
  python -m grading hub        a JupyterHub for a class on this machine: accounts, exchange, formgrader

Every subcommand takes --course FOLDER (default: $RETAILKIT_COURSE, else course/ in the project).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# Only what parsing needs is imported here, so that `--help` answers at once; each command imports the rest.


def autograde_targets(course, words: list[str], submissions: Path | None) -> tuple[list[str], Path | None]:
    """The assignments named, and the zip or folder of submissions if one is given (only with one assignment).

    argparse cannot tell ``autograde A B`` from ``autograde A submissions.zip``: a last word that is not an
    assignment but a file or folder that exists is the submissions.
    """
    words = list(words) + ([str(submissions)] if submissions is not None else [])
    known = course.manifest["assignments"]
    if len(words) > 1 and words[-1] not in known and Path(words[-1]).exists():
        submissions, words = Path(words[-1]), words[:-1]
    else:
        submissions = None
    for word in words:
        course.assignment(word)  # an unknown name stops here, with the known ones listed
    if submissions is not None and len(words) > 1:
        raise ValueError(f"a zip or folder of submissions is for one assignment, got {len(words)}: "
                         f"{', '.join(words)}; grade it with one assignment name")
    return list(dict.fromkeys(words)), submissions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str, assignment: bool = True):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--course", type=Path, help="the course folder (learners' data; never commit it)")
        p.add_argument("--unsafe", action="store_true",
                       help="run notebooks WITHOUT the sandbox (development only: never for learners' work)")
        p.add_argument("--db-url", metavar="URL",
                       help="the gradebook on a database server, an SQLAlchemy URL such as "
                            "postgresql+psycopg://tutor@dbhost/gradebook (default: $RETAILKIT_DB_URL, else "
                            "gradebook.db in the course folder)")
        if assignment:
            p.add_argument("assignment", help="assignment name, as in grading/course.yml (e.g. retail_kpis)")
        return p

    v = command("validate", "Prove each assignment works before release: the solution runs and scores full "
                "marks (also on learners' own variants of the data), an unanswered copy scores zero, and "
                "nothing in the release gives an answer away. Prints a table; exits 1 on any failure.",
                assignment=False)
    v.add_argument("assignments", nargs="*", help="assignments to check (default: all)")
    v.add_argument("--variants", type=int, default=50, metavar="N",
                   help="learners' variants of the data to run the solution on (default 50; 0 skips it)")
    r = command("release", "nbgrader generate_assignment (and release to the exchange when configured).",
                assignment=False)
    r.add_argument("assignments", nargs="*", help="assignments to release (default: all)")
    r.add_argument("--per-learner", type=Path, metavar="LEARNERS",
                   help="also a release for each learner on their own data: a text or CSV file of learner ids "
                        "(one a line, or a learner_id column); written to <course>/personal/<learner>/")
    command("sync", "Write each number task's hand-in and check cells (and their nbgrader metadata) in the "
            "source notebook from grading/course.yml; check the answer cell's words. Safe to run again.")
    w = command("workbook", "The learner's own copy of each assignment in <course>/workbook/, made once and "
                "never replaced (a newer release is put beside it).", assignment=False)
    w.add_argument("assignments", nargs="*", help="assignments (default: all)")
    lab = command("lab", "The learners' JupyterLab on this machine: their own copies of every assignment, opening "
                  "on start_here, without the tutor's tools, handing in through the local exchange.",
                  assignment=False)
    lab.add_argument("--port", type=int, help="the port to serve on (default: JupyterLab's)")
    hub = sub.add_parser("hub", help="a JupyterHub for a class on this machine (run as root)", description=(
        "Set up and start a JupyterHub on 127.0.0.1 for a tutor and their learners: local accounts, nbgrader's "
        "exchange, the learners' Assignments tab and the tutor's formgrader (see grading/hub.py)."))
    hub.add_argument("--dir", type=Path, default=Path("/srv/retailkit-hub"), help="the hub's folder")
    hub.add_argument("--tutor", default="tutor", help="the tutor's user name (default: tutor)")
    hub.add_argument("--learners", nargs="+", default=["amira", "ben"], help="the learners' user names")
    hub.add_argument("--port", type=int, default=8000)
    command("selfcheck", "Rebuild notebooks/<assignment>/selfcheck.json, the file that lets learners check an "
            "answer without being shown it. Commit the file.")
    a = command("autograde", "Autograde every submission; one broken submission never stops the rest.",
                assignment=False)
    a.add_argument("assignment", nargs="+", metavar="ASSIGNMENT",
                   help="assignment names, as in grading/course.yml; several are graded in one run, with one "
                        "set of workers")
    a.add_argument("submissions", nargs="?", type=Path,
                   help="a zip or folder of one assignment's notebooks (with or without it: those already in "
                        "submitted/, and the hand-ins waiting in nbgrader's exchange when one is set up)")
    a.add_argument("--names", type=Path, help="CSV with columns name,learner_id: maps the names a VLE uses "
                                              "(for example Moodle's download folders) to learner ids")
    a.add_argument("--regrade", action="store_true",
                   help="grade every learner again, also those unchanged since they were last graded")
    a.add_argument("--workers", type=int, metavar="N",
                   help="learners graded at the same time, each in its own process and sandbox (default: one "
                        "per core)")
    a.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="grade on a Dask cluster instead (its workers must see the course folder at the same "
                        "path; with several machines, put the gradebook on a server with --db-url)")
    command("feedback", "Write per-learner feedback HTML into the course's feedback/ folder.")
    command("report", "One assignment's marks per learner and the criteria each learner met in it: CSV and HTML.")
    m = command("marking", "Marking written answers: `guide` writes the tutor's marking guide; `export` writes "
                "a CSV with one row per learner and marking point (fill in decision: met / not yet, and "
                "comment); `import` writes a filled-in CSV into the gradebook, as formgrader would.")
    m.add_argument("action", choices=["guide", "export", "import"])
    m.add_argument("file", nargs="?", type=Path, help="the CSV to write (export) or read (import); default "
                                                      "<course>/marking/<assignment>.csv")
    p = command("portfolio", "Each learner's evidence portfolio (HTML and PDF), the cohort matrix, the IQA "
                "sample, unit outcomes (CSV) and a Moodle gradebook import file, in <course>/portfolio/.",
                assignment=False)
    p.add_argument("--no-pdf", action="store_true", help="HTML only (PDF needs Chromium)")
    d = sub.add_parser("demo", help="The whole cycle on the bundled sample cohort.",
                       description="Validate, release, autograde the sample cohort, feedback and report, in "
                                   "a fresh course folder (default: course/demo).")
    d.add_argument("--course", type=Path, help="folder for the demo course (it is emptied first)")
    args = parser.parse_args(argv)

    try:
        return _run(args)
    except (ValueError, FileNotFoundError, RuntimeError) as error:  # the tutor's mistake, said plainly
        print(f"error: {error}", file=sys.stderr)
        return 2


def _run(args) -> int:
    if args.command == "demo":
        from grading import demo
        kwargs = {"root": args.course.resolve()} if args.course else {}
        demo.run(**kwargs)
        return 0
    if args.command == "hub":
        import secrets

        from grading import hub

        place = hub.Hub(args.dir.resolve(), args.tutor, args.learners, secrets.token_urlsafe(9), args.port)
        hub.setup(place)
        process = hub.start(place)
        print(f"JupyterHub: {place.url}  (log: {place.folder / 'jupyterhub.log'})\n"
              f"Tutor: {place.tutor}; learners: {', '.join(place.learners)}; the demo's one password: "
              f"{place.password}\nThe tutor's course folder: {place.course}. Stop with Ctrl-C.")
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            return 0
    from grading import pipeline, report
    from grading.course import Course

    course = Course.open(args.course, unsafe=args.unsafe, database=args.db_url)
    if args.command == "validate":
        checks = pipeline.validate(course, args.assignments or None, args.variants)
        print(pipeline.checks_table(checks))
        return 0 if all(c.ok for c in checks) else 1
    if args.command == "selfcheck":
        print(f"Wrote {pipeline.write_selfcheck(course, args.assignment)}")
        return 0
    if args.command == "sync":
        from grading import authoring

        changes, problems = authoring.sync(course, args.assignment)
        for line in changes or ["nothing to change: the notebook already follows grading/course.yml"]:
            print(line)
        for line in problems:
            print(f"PROBLEM: {line}")
        return 1 if problems else 0
    if args.command == "workbook":
        for name in args.assignments or list(course.manifest["assignments"]):
            for line in pipeline.workbook(course, name):
                print(line)
        return 0
    if args.command == "lab":
        import subprocess

        from grading import lab

        for line in lab.prepare(course):
            print(line)
        argv, env = lab.command(course, args.port)
        return subprocess.call(argv, env=env)
    if args.command == "release":
        for name in args.assignments or list(course.manifest["assignments"]):
            print(f"Released: {pipeline.release(course, name)}")
            exchange = course.exchange_root
            if exchange:
                print(f"  and to the exchange {exchange}: learners fetch it in JupyterLab's Assignments tab, "
                      f"course {course.manifest['course_id']} (their copies already fetched are never changed)")
            if args.per_learner:
                from grading.release import per_learner

                made = per_learner(course, name, learner_ids(args.per_learner))
                print(f"  and for each of {len(made)} learners, on their own data: {course.root / 'personal'}")
        return 0
    if args.command == "portfolio":
        from grading import portfolio

        made = portfolio.build(course, make_pdf=not args.no_pdf)
        print(f"Wrote {len(made['pages'])} portfolios ({len(made['pdfs'])} PDF) in {course.root / 'portfolio'}")
        for key in ("matrix", "iqa", "unit_outcomes", "moodle"):
            print(f"  {made[key]}")
        if not args.no_pdf and not made["pdfs"]:
            print("  No PDF: install Chromium (Debian: apt-get install chromium) to print the portfolios.")
        return 0
    if args.command == "autograde":
        names, source = autograde_targets(course, args.assignment, args.submissions)
        if args.workers is not None and args.workers < 1:
            raise ValueError(f"--workers must be 1 or more, got {args.workers}")
        status = 0
        graded = pipeline.autograde_many(course, names, source, args.names, args.regrade, args.workers,
                                         args.scheduler)
        for name, results in graded.items():
            if len(names) > 1:
                print(f"{name}:")
            failed = [r for r in results if not r.ok]
            print(f"Autograded {len(results) - len(failed)} of {len(results)} submissions.")
            for r in failed:
                print(f"  {r.student}: {r.problem}")
            for problem in results.problems:
                print(f"  {problem}")
            if not results and not results.problems:
                print("  No submissions found: give a zip or folder of learners' notebooks.")
            status = max(status, 1 if failed or results.problems or not results else 0)
        return status
    if getattr(args, "assignment", None):
        course.assignment(args.assignment)  # an unknown name stops here, with the known ones listed
    if args.command == "feedback":
        files = pipeline.feedback(course, args.assignment)
        print(f"Wrote {len(files)} feedback files in {course.root / 'feedback'}")
        return 0 if files else 1
    if args.command == "marking":
        from grading import autograde, marking

        file = args.file or course.root / "marking" / f"{args.assignment}.csv"
        if args.action == "guide":
            guide = course.root / "marking" / f"{args.assignment}-guide.html"
            print(f"Wrote {marking.guide(course, args.assignment, guide)}")
        elif args.action == "export":
            learners = autograde.submitted_learners(course, args.assignment)
            print(f"Wrote {marking.export_csv(course, args.assignment, learners, file)}: fill in decision and "
                  f"comment, then run: python -m grading marking {args.assignment} import {file}")
        else:
            changes = marking.import_csv(course, args.assignment, file)
            print(f"Imported {len(changes)} changes from {file}")
            for line in changes:
                print(f"  {line}")
        return 0
    if args.command == "report":
        paths = report.build(course, args.assignment)
        print(report.summary(paths["totals_csv"]))
        print(f"\nReport: {paths['html']}")
        return 0
    return 2


def learner_ids(path: Path) -> list[str]:
    """Learner ids from a text file (one a line) or a CSV file with a ``learner_id`` column."""
    import csv

    lines = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    if lines and "learner_id" in lines[0].split(","):
        return [row["learner_id"].strip() for row in csv.DictReader(lines) if row["learner_id"].strip()]
    return lines


if __name__ == "__main__":
    sys.exit(main())
