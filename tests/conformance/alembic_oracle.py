# SPDX-License-Identifier: MIT
"""alembic_oracle.py: Debian's Alembic 1.8.1, run in-process as the oracle
of the conformance suite.

Every conformance script runs under /usr/bin/python3 (the interpreter that
sees Debian's python3-alembic; the `python3` on PATH may be another one),
imports this module and calls run() with the same argv it gives retort.
Running Alembic in-process lets one Python process answer thousands of
commands instead of paying an interpreter start-up per command.

Alembic is patched here, and only here, in three ways:

 1. alembic.script.base.Script._list_py_dir returns the file names SORTED.
    Alembic 1.8.1 lists version files with os.listdir(), whose order is
    arbitrary; retort (like Alembic >= 1.19) loads them sorted by file name,
    and that load order breaks every tie in the graph (heads order,
    topological order). Sorting makes Alembic deterministic and comparable.

 2. RevisionMap._normalize_depends_on keeps the normalised dependencies of
    a revision in load order. 1.8.1 stores tuple(set(...)), so a revision
    with several dependencies is walked in Python's (hash-randomised) set
    order; retort's documented rule is "where Python iterates a set, use
    load order", which is what this makes Alembic do.

 3. ScriptDirectory.from_config is memoised per script_location, so that
    the many commands asked of one generated project share one loaded
    RevisionMap (every command would otherwise re-import every revision
    file). Commands never modify the map here (no `revision`/`merge`).

Nothing else is changed: the commands, the revision map, the head
maintainer and the offline SQL are Alembic's own code.
"""
import argparse
import io
import sys
import traceback
import warnings

DEBIAN_DIST = "/usr/lib/python3/dist-packages"
if DEBIAN_DIST not in sys.path:
    sys.path.append(DEBIAN_DIST)

import alembic  # noqa: E402
from alembic import util  # noqa: E402
from alembic.config import CommandLine, Config  # noqa: E402
from alembic.script import base as _script_base  # noqa: E402
from alembic.script import revision as _revision  # noqa: E402

ALEMBIC_VERSION = alembic.__version__

# -- patch 1: sorted file listing ------------------------------------------
_orig_list_py_dir = _script_base.Script._list_py_dir.__func__


def _sorted_list_py_dir(cls, scriptdir, path):
    return sorted(_orig_list_py_dir(cls, scriptdir, path))


_script_base.Script._list_py_dir = classmethod(_sorted_list_py_dir)

# -- patch 2: normalised dependencies in load order ------------------------
_orig_normalize = _revision.RevisionMap._normalize_depends_on


def _ordered_normalize(self, revisions, map_):
    _orig_normalize(self, revisions, map_)
    order = {key: i for i, key in enumerate(map_) if isinstance(key, str)}
    for rev in revisions:
        deps = rev._normalized_resolved_dependencies
        if len(deps) > 1:
            rev._normalized_resolved_dependencies = tuple(
                sorted(deps, key=lambda d: order.get(d, len(order)))
            )


_revision.RevisionMap._normalize_depends_on = _ordered_normalize

# -- patch 3: one ScriptDirectory per project ------------------------------
_orig_from_config = _script_base.ScriptDirectory.from_config.__func__
_script_cache = {}


def _cached_from_config(cls, config):
    key = (config.config_file_name, config.get_main_option("script_location"))
    sd = _script_cache.get(key)
    if sd is None:
        sd = _orig_from_config(cls, config)
        _script_cache[key] = sd
    return sd


_script_base.ScriptDirectory.from_config = classmethod(_cached_from_config)


def forget(ini_path=None):
    """Drop cached script directories (all, or those of one ini file)."""
    if ini_path is None:
        _script_cache.clear()
        return
    for key in [k for k in _script_cache if k[0] == ini_path]:
        del _script_cache[key]


# -- running commands ------------------------------------------------------
class Result:
    """What one command did: rc is 0, 255 (CommandError, printed by the
    real CLI as "FAILED: <message>"), 2 (argparse usage error), -2 (a
    RevisionError that escaped the commands' error handling: a traceback
    ending in the message) or -1 (an internal error of Alembic: any other
    exception, such as an AssertionError or a KeyError)."""

    __slots__ = ("rc", "out", "error", "warnings")

    def __init__(self, rc, out, error, warns):
        self.rc = rc
        self.out = out
        self.error = error
        self.warnings = warns

    def __repr__(self):
        return "Result(rc=%r, error=%r)" % (self.rc, self.error)


class _ParserExit(Exception):
    pass


_cmdline = None


def _parser():
    global _cmdline
    if _cmdline is None:
        _cmdline = CommandLine(prog="alembic")

        def quiet_error(message):
            raise _ParserExit(message)

        # argparse calls error() on the sub-parser that failed
        todo = [_cmdline.parser]
        while todo:
            p = todo.pop()
            p.error = quiet_error
            for action in p._actions:
                if isinstance(action, argparse._SubParsersAction):
                    todo.extend(action.choices.values())
    return _cmdline.parser


def run(ini_path, argv, url=None):
    """Run `alembic -c ini_path <argv...>` in-process. `url` overrides
    sqlalchemy.url (the offline dialect)."""
    try:
        options = _parser().parse_args(["-c", ini_path] + list(argv))
    except _ParserExit as e:
        return Result(2, "", str(e), [])
    buf = io.StringIO()
    cfg = Config(
        file_=ini_path,
        ini_section=options.name,
        output_buffer=buf,
        stdout=buf,
        cmd_opts=options,
    )
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url)
    fn, positional, kwarg = options.cmd
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn(
                cfg,
                *[getattr(options, k, None) for k in positional],
                **dict((k, getattr(options, k, None)) for k in kwarg),
            )
        except util.CommandError as e:
            return Result(255, buf.getvalue(), str(e),
                          [str(w.message) for w in caught])
        except _revision.RevisionError as e:
            # raised outside _catch_revision_errors: the real CLI prints a
            # traceback ending in this message (e.g. a cycle found by
            # `heads`); the message is still Alembic's word
            return Result(-2, buf.getvalue(), str(e),
                          [str(w.message) for w in caught])
        except Exception as e:  # Alembic's own bug (assert, KeyError, ...)
            where = traceback.extract_tb(e.__traceback__)[-1].name
            return Result(-1, buf.getvalue(),
                          "%s in %s(): %s" % (type(e).__name__, where, e),
                          [str(w.message) for w in caught])
    return Result(0, buf.getvalue(), None, [str(w.message) for w in caught])
