#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-man.py: the manual pages say what `retort help` says.

`retort help COMMAND` prints the command's usage line, its summary and its
option table; man/retort-COMMAND.1.scd is written by hand. This checks, for
every command the program has (`retort __complete commands`), that its page
exists and that
  - the NAME line is "retort-COMMAND - SUMMARY",
  - the SYNOPSIS is "retort USAGE",
  - the OPTIONS are the options of the table, each spelt as the table spells
    it (short and long names, the argument's name) and described first by
    the table's own help text (the page may add paragraphs after it);
and that retort.1 lists every command with its summary under COMMANDS and
every global option the same way under GLOBAL OPTIONS. Markup (*bold*,
_underline_, backslash escapes) and a final full stop are ignored.

Usage: scripts/check-man.py RETORT MANDIR   exit 0 clean, 1 with findings.
"""
import os
import re
import subprocess
import sys


def complete(retort, *args):
    out = subprocess.run([retort, "__complete", *args], check=True,
                         capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def plain(text):
    """scdoc text without its markup, blanks collapsed, no final stop."""
    text = re.sub(r"(?<![\w\\])_|(?<!\\)_(?!\w)", "", text)
    text = re.sub(r"(?<!\\)\*", "", text)
    text = text.replace("\\*", "*").replace("\\_", "_")
    text = " ".join(text.split())
    return text[:-1] if text.endswith(".") else text


def sections(path):
    """{heading: [lines]} of an scd file, comments left out."""
    out, cur = {}, None
    with open(path, encoding="utf-8") as fh:
        for line in fh.read().splitlines():
            if line.startswith(";"):
                continue
            if line.startswith("# "):
                cur = line[2:].strip()
                out[cur] = []
            elif cur:
                out[cur].append(line)
    return out


def first_paragraph(lines):
    para = []
    for line in lines:
        if not line.strip():
            if para:
                break
            continue
        para.append(line.strip())
    return " ".join(para)


def terms(lines):
    """[(term line, first paragraph of its description)] of a section: a
    term is a line at column 0 in bold, followed by its description,
    indented by a tab."""
    out = []
    for i, line in enumerate(lines):
        if (line.startswith("*") and i + 1 < len(lines)
                and lines[i + 1].startswith("\t")):
            desc = []
            for nxt in lines[i + 1:]:
                if not nxt.startswith("\t"):
                    if nxt.strip() or desc:
                        break
                    continue
                if not nxt.strip():
                    break
                desc.append(nxt.strip())
            out.append((line, " ".join(desc)))
    return out


def option_term(long, short, arg):
    parts = [s for s in (short, long) if s]
    term = ", ".join(parts)
    return term + (" " + arg if arg else "")


def check_options(where, table, section, findings):
    """table: [long, short, arg, help] rows; section: the scd lines."""
    want = {option_term(*row[:3]): row[3] for row in table}
    have = {}
    for term, desc in terms(section):
        t = plain(term)
        if t.startswith("-"):
            have[t] = desc
    for t, help_text in want.items():
        if t not in have:
            findings.append("%s: no entry '%s' (retort help shows it)"
                            % (where, t))
        elif plain(have[t]) != plain(help_text):
            findings.append("%s: '%s' is described as '%s'; retort help "
                            "says '%s'" % (where, t, plain(have[t]),
                                           plain(help_text)))
    for t in have:
        if t not in want:
            findings.append("%s: entry '%s' is not an option of the table"
                            % (where, t))


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    retort, mandir = argv
    findings = []
    commands = complete(retort, "commands")
    for name, summary in commands:
        path = os.path.join(mandir, "retort-%s.1.scd" % name)
        where = os.path.relpath(path)
        if not os.path.exists(path):
            findings.append("%s: missing (the page of 'retort %s')"
                            % (where, name))
            continue
        sec = sections(path)
        usage = complete(retort, "usage", name)
        got = plain(first_paragraph(sec.get("NAME", [])))
        if got != plain("retort-%s - %s" % (name, summary)):
            findings.append("%s: NAME is '%s', not 'retort-%s - %s'"
                            % (where, got, name, summary))
        got = plain(first_paragraph(sec.get("SYNOPSIS", [])))
        if got != plain(usage[0][0]):
            findings.append("%s: SYNOPSIS is '%s', not '%s'"
                            % (where, got, usage[0][0]))
        check_options(where + " OPTIONS", complete(retort, "options", name),
                      sec.get("OPTIONS", []), findings)
    known = {"retort-%s.1.scd" % n for n, _ in commands}
    for f in sorted(os.listdir(mandir)):
        if f.startswith("retort-") and f not in known:
            findings.append("%s: no command '%s'" % (
                os.path.join(mandir, f), f[7:].split(".")[0]))

    path = os.path.join(mandir, "retort.1.scd")
    where = os.path.relpath(path)
    sec = sections(path)
    listed = {plain(t): plain(d) for t, d in terms(sec.get("COMMANDS", []))}
    for name, summary in commands:
        if name not in listed:
            findings.append("%s COMMANDS: '%s' is not listed" % (where, name))
        elif not listed[name].startswith(plain(summary)):
            findings.append("%s COMMANDS: '%s' is described as '%s'; retort "
                            "--help says '%s'" % (where, name, listed[name],
                                                   summary))
    for name in listed:
        if name not in {n for n, _ in commands}:
            findings.append("%s COMMANDS: '%s' is not a command"
                            % (where, name))
    check_options(where + " GLOBAL OPTIONS", complete(retort, "options"),
                  sec.get("GLOBAL OPTIONS", []), findings)

    for f in findings:
        print(f)
    print("check-man: %d command(s), %d finding(s)"
          % (len(commands), len(findings)))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
