#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""run-doc-examples.py: the documentation's console examples, run.

Every ```console block of README.md and docs/*.md shows commands and
their output; this script runs them, document by document, and compares,
so that the docs cannot drift from what retort does.

The convention (also in CONTRIBUTING.md):

  ```console
  $ retort current                  a command: "$ " then the shell text
  0001 (head)                       its output (stdout and stderr, as a
  $ retort upgrade head \\           terminal shows them); a line ending
      --sql                         in "\\" continues the command, and so
  ...                               does a here-document (<<'EOF' ... EOF)
  ```

- A document's blocks run in order, in one bash session (cd and
  variables carry over), in a fresh scratch folder R: the session starts
  in R/project. Paths are shown as readers expect them: "/tmp" in a
  command stands for R, and R in the output is shown as "/tmp".
  The built retort is first on PATH; HOME is R/home; TZ=UTC;
  RETORT_SOURCE_DIR is the checkout, so that a setup can build the docs'
  example project: . "$RETORT_SOURCE_DIR/tests/docs/shop.sh" STAGE.
- Expected output is compared line by line, trailing blanks ignored.
  In an expected line, "..." matches any text within the line; a line
  that is only "..." matches any number of lines. Whatever varies from
  run to run is matched by its shape, so the docs can show real values:
  a duration (digits then " ms" at the end of a line) matches any
  duration, a timestamp (2026-11-22 16:17:33.807493, microseconds
  optional) any timestamp. Revision ids are made fixed in the docs
  instead (revision --rev-id).
- An HTML comment on the line before a block controls it:
    <!-- doc-test: norun REASON -->   the block is not run (it needs
        PostgreSQL, a CI system, a Docker build...); counted and listed
        with its reason.
    <!-- doc-test: file PATH -->   the block (any language) is the
        content of the file PATH, written in the session's folder
        before the next commands run: a revision the reader is shown
        is the one the example uses.
  and one anywhere in the text runs setup the reader need not see:
    <!-- doc-test: setup
    shell lines, run silently in the session; a failure is a failure
    -->
- A command's exit status is not compared (show it with "; echo $?").

Usage: run-doc-examples.py [--retort PATH] [--list] [FILE.md ...]
  (default: README.md and docs/*.md of RETORT_SOURCE_DIR or the checkout)
Exit 0 when every run block matched, 1 otherwise.
"""
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# Documents whose examples are not run yet, with the reason. Keep it
# short; converting one means making its examples deterministic and
# runnable in a scratch folder (see the convention above).
NOT_CONVERTED = {
    "docs/from-alembic.md": "its 'Moving a project over' examples are "
    "being rewritten for the alembic import; convert after that lands",
    "docs/embedding.md": "its programs are compiled and run by "
    "tests/install/embedding.bats against the installed library",
}

TIMEOUT = 120  # seconds per command


class Block:
    def __init__(self, path, line, norun):
        self.path, self.line, self.norun = path, line, norun
        self.cmds = []  # [command text, [expected lines]]


def parse(path, text):
    """The document's console blocks and setup snippets, in order."""
    items = []
    lines = text.split("\n")
    i, prev = 0, ""
    while i < len(lines):
        ln = lines[i]
        if ln.strip().startswith("<!-- doc-test: setup"):
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != "-->":
                body.append(lines[i])
                i += 1
            items.append(("setup", i + 1, "\n".join(body)))
            prev = ""
            i += 1
            continue
        fm = re.match(r"^<!-- doc-test: file (\S+) -->$", prev.strip())
        if fm and ln.startswith("```") and not ln.startswith("```console"):
            body = []
            i += 1
            while i < len(lines) and lines[i] != "```":
                body.append(lines[i])
                i += 1
            items.append(("setup", i + 1, "cat > %s <<'__DOCTEST_EOF__'\n%s"
                          "\n__DOCTEST_EOF__" % (fm.group(1), "\n".join(body))))
            prev = ""
            i += 1
            continue
        if re.match(r"^```console\s*$", ln):
            m = re.match(r"^<!-- doc-test: norun (.+?) -->$", prev.strip())
            blk = Block(path, i + 1, m.group(1) if m else None)
            i += 1
            cur = None
            heredoc = None
            while i < len(lines) and lines[i] != "```":
                ln = lines[i]
                if cur is not None and (heredoc or cur[0].endswith("\\")):
                    cur[0] += "\n" + ln
                    if heredoc and ln == heredoc:
                        heredoc = None
                elif ln.startswith("$ "):
                    cur = [ln[2:], []]
                    blk.cmds.append(cur)
                elif cur is not None:
                    cur[1].append(ln)
                if cur is not None and heredoc is None and (
                        ln.startswith("$ ") or not cur[1]):
                    h = re.search(r"<<-?\s*'?\"?(\w+)'?\"?", ln)
                    if h and ln.startswith("$ "):
                        heredoc = h.group(1)
                i += 1
            items.append(("block", blk.line, blk))
            prev = ""
            i += 1
            continue
        if ln.strip():
            prev = ln
        i += 1
    return items


DURATION = re.compile(r"\d+(?:\.\d+)? ms$")
STAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?")


def line_pattern(exp):
    """The regex for one expected line (see the convention)."""
    out, pos = [], 0
    tokens = re.compile(r"\.\.\.|" + DURATION.pattern + "|" + STAMP.pattern)
    for m in tokens.finditer(exp):
        out.append(re.escape(exp[pos:m.start()]))
        t = m.group(0)
        if t == "...":
            out.append(r"[^\n]*")
        elif t.endswith("ms"):
            out.append(r"\d+(?:\.\d+)? ms")
        else:
            out.append(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?")
        pos = m.end()
    out.append(re.escape(exp[pos:]))
    return "".join(out)


def matches(expected, actual):
    exp = [e.rstrip() for e in expected]
    while exp and not exp[-1]:
        exp.pop()
    pat = "".join(r"(?:[^\n]*\n)*?" if e == "..." else line_pattern(e) + r"\n"
                  for e in exp)
    act = "".join(a.rstrip() + "\n" for a in actual)
    return re.fullmatch(pat, act) is not None


class Session:
    """One bash per document; each command's output read up to a mark."""

    def __init__(self, root, retort, src):
        env = dict(os.environ)
        env["RETORT_SOURCE_DIR"] = src
        for k in ("RETORT_CONFIG", "VISUAL", "EDITOR", "NO_COLOR"):
            env.pop(k, None)
        env.update(HOME=os.path.join(root, "home"), TZ="UTC", LC_ALL="C.UTF-8",
                   PATH=os.path.dirname(os.path.abspath(retort)) + ":" +
                   env.get("PATH", "/usr/bin:/bin"), TERM="dumb",
                   PS1="", PS2="")
        os.makedirs(env["HOME"])
        work = os.path.join(root, "project")
        os.makedirs(work)
        self.root = root
        self.mark = "__doctest_%d__" % os.getpid()
        self.p = subprocess.Popen(["bash", "--norc", "--noprofile"], cwd=work,
                                  env=env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.buf = b""

    def run(self, cmd):
        cmd = re.sub(r"/tmp(?=/|\s|$|;|&|\))", self.root, cmd)
        script = "{\n%s\n} </dev/null 2>&1\nprintf '\\n%s %%d\\n' $?\n" % (
            cmd, self.mark)
        self.p.stdin.write(script.encode())
        self.p.stdin.flush()
        end = time.time() + TIMEOUT
        needle = ("\n%s " % self.mark).encode()
        while needle not in self.buf or not self.buf.split(needle, 1)[1] \
                .endswith(b"\n"):
            left = end - time.time()
            r, _, _ = select.select([self.p.stdout], [], [], max(left, 0))
            if not r:
                raise RuntimeError("timed out after %d s" % TIMEOUT)
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError("the shell exited")
            self.buf += chunk
        out, rest = self.buf.split(needle, 1)
        status, self.buf = rest.split(b"\n", 1)
        text = out.decode("utf-8", "replace").replace(self.root, "/tmp")
        lines = text.split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        return int(status), lines

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(timeout=10)
        except Exception:
            self.p.kill()


def run_document(path, rel, retort, src, report):
    with open(path, encoding="utf-8") as fh:
        items = parse(rel, fh.read())
    if not any(kind == "block" for kind, _, _ in items):
        return
    root = tempfile.mkdtemp(prefix="retort-doc-")
    sess = Session(root, retort, src)
    try:
        for kind, line, item in items:
            if kind == "setup":
                status, out = sess.run(item)
                if status != 0:
                    report["failed"].append("%s:%d: setup failed (%d):\n  %s"
                                            % (rel, line, status,
                                               "\n  ".join(out)))
                continue
            if item.norun:
                report["norun"].append("%s:%d: %s" % (rel, line, item.norun))
                continue
            for cmd, expected in item.cmds:
                try:
                    status, out = sess.run(cmd)
                except RuntimeError as e:
                    report["failed"].append("%s:%d: $ %s: %s" %
                                            (rel, line, cmd, e))
                    return
                if matches(expected, out):
                    report["passed"] += 1
                    continue
                report["failed"].append(
                    "%s:%d: $ %s\n  expected:\n    %s\n  got (exit %d):\n    %s"
                    % (rel, line, cmd, "\n    ".join(expected), status,
                       "\n    ".join(out)))
    finally:
        sess.close()
        shutil.rmtree(root, ignore_errors=True)


def main(argv):
    src = os.environ.get("RETORT_SOURCE_DIR") or os.path.dirname(
        os.path.dirname(HERE))
    retort = os.environ.get("RETORT", "retort")
    files = []
    while argv:
        a = argv.pop(0)
        if a == "--retort":
            retort = argv.pop(0)
        else:
            files.append(a)
    if not files:
        files = [os.path.join(src, "README.md")] + sorted(
            os.path.join(src, "docs", f)
            for f in os.listdir(os.path.join(src, "docs")) if f.endswith(".md"))
    if shutil.which(retort) is None and not os.access(retort, os.X_OK):
        print("run-doc-examples: no retort at %s (set RETORT)" % retort)
        return 1
    report = {"passed": 0, "failed": [], "norun": [], "skipped": []}
    for f in files:
        rel = os.path.relpath(f, src)
        if rel in NOT_CONVERTED:
            report["skipped"].append("%s: %s" % (rel, NOT_CONVERTED[rel]))
            continue
        run_document(f, rel, retort, src, report)
    for f in report["failed"]:
        print("FAIL " + f)
    for n in report["norun"]:
        print("not run (marked norun): " + n)
    for s in report["skipped"]:
        print("not checked: " + s)
    print("run-doc-examples: %d command(s) matched, %d failed, %d block(s) "
          "marked norun, %d document(s) not checked"
          % (report["passed"], len(report["failed"]), len(report["norun"]),
             len(report["skipped"])))
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
