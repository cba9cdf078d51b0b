#! /usr/bin/env python3
# Copyright (c) 2026 The ovs-gre authors.
#
# Licensed under the Apache License, Version 2.0 (the "License");
# you may not use this file except in compliance with the License.
# You may obtain a copy of the License at:
#
#     http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS,
# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
# See the License for the specific language governing permissions and
# limitations under the License.

"""Prepares a man page's reStructuredText source for rst2man.

    gre-man.py [--define NAME=VALUE]... [--stats lib/gre-stats.h]
               [--options lib/gre-options.c] [--commands FILE.c]...
               SOURCE.rst > OUTPUT.rst

Copies SOURCE.rst, with:

  - relative '.. include::' paths made absolute (relative to SOURCE.rst),
    so that the output can live in the build directory;
  - '@NAME@' replaced by VALUE for each --define;
  - the line '.. gre-drop-reasons::' replaced by a list of the drop
    counters, generated from the GRE_DROP X-macro in --stats.

Then checks that the page, with its includes, names every drop counter in
--stats, every option in the option table of --options and every unixctl
command that the --commands files register, and fails if one is missing,
so that a new counter, option or command cannot go undocumented.
"""

import argparse
import os
import re
import sys

DROP_KINDS = {
    "RX_ERROR": "rx_errors",
    "RX_DROPPED": "rx_dropped",
    "TX_DROPPED": "tx_dropped",
}


def c_strings(text):
    """Concatenates the C string literals in 'text'."""
    return "".join(bytes(s, "ascii").decode("unicode_escape")
                   for s in re.findall(r'"((?:[^"\\]|\\.)*)"', text))


def drop_reasons(path):
    """Returns (name, kind, description) for each GRE_DROP in 'path'."""
    with open(path) as f:
        text = f.read().replace("\\\n", " ")
    m = re.search(r"#define GRE_DROP_REASONS(.*)", text)
    if not m:
        sys.exit("%s: no GRE_DROP_REASONS X-macro" % path)
    reasons = []
    string = r'"(?:[^"\\]|\\.)*"'
    for args in re.findall(r'GRE_DROP\s*\(((?:[^()"]|%s)*)\)' % string,
                           m.group(1)):
        parts = re.match(r'\s*(\w+)\s*,\s*("(?:[^"\\]|\\.)*")\s*,\s*(\w+)\s*,'
                         r'(.*)', args, re.S)
        if not parts:
            sys.exit("%s: cannot parse GRE_DROP(%s)" % (path, args))
        kind = parts.group(3)
        if kind not in DROP_KINDS:
            sys.exit("%s: unknown drop kind %s" % (path, kind))
        reasons.append((c_strings(parts.group(2)), DROP_KINDS[kind],
                        c_strings(parts.group(4)).strip()))
    if not reasons:
        sys.exit("%s: GRE_DROP_REASONS is empty" % path)
    return reasons


def drop_list(reasons):
    """Formats 'reasons' as a reStructuredText definition list."""
    lines = []
    for name, kind, desc in reasons:
        lines += ["``%s`` (counted in ``%s``)" % (name, kind),
                  "  %s." % (desc[0].upper() + desc[1:]), ""]
    return lines


def options(path):
    """Returns the option names in the option table of 'path'."""
    with open(path) as f:
        text = f.read()
    names = re.findall(r'^\s*(?:OPTION|FLAG|IGNORED)\s*\(\s*"([^"]+)"', text,
                       re.M)
    if not names:
        sys.exit("%s: no option table" % path)
    return names


def commands(paths):
    """Returns the unixctl commands registered in 'paths'."""
    names = []
    for path in paths:
        with open(path) as f:
            names += re.findall(r'unixctl_command_register\s*\(\s*"([^"]+)"',
                                f.read())
    return names


def included_text(path, options):
    """Returns the part of 'path' that an include directive with 'options'
    (a dict of its :start-after: and :end-before:) includes."""
    with open(path) as f:
        text = f.read()
    if "start-after" in options:
        text = text.split(options["start-after"], 1)[-1]
    if "end-before" in options:
        text = text.split(options["end-before"], 1)[0]
    return text


def expand(path, defines, reasons, seen):
    """Returns the lines of 'path' with the substitutions made, and adds
    to 'seen' the page's text with what it includes, for the completeness
    check."""
    out = []
    srcdir = os.path.dirname(os.path.abspath(path))
    with open(path) as f:
        lines = f.read().splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"(\s*\.\. include:: )(\S+)(.*)", line)
        if m:
            target = os.path.join(srcdir, m.group(2))
            line = m.group(1) + target + m.group(3)
            options = {}
            for opt in lines[i + 1:]:
                o = re.match(r"\s+:([\w-]+):\s*(.*)", opt)
                if not o:
                    break
                options[o.group(1)] = o.group(2)
            seen.append(included_text(target, options))
        elif line.strip() == ".. gre-drop-reasons::":
            out += drop_list(reasons)
            continue
        for name, value in defines:
            line = line.replace("@%s@" % name, value)
        out.append(line)
    seen.append("\n".join(out))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--define", action="append", default=[])
    parser.add_argument("--stats")
    parser.add_argument("--options")
    parser.add_argument("--commands", action="append", default=[])
    parser.add_argument("source")
    args = parser.parse_args()

    reasons = drop_reasons(args.stats) if args.stats else []
    seen = []
    defines = [d.split("=", 1) for d in args.define]
    lines = expand(args.source, defines, reasons, seen)
    text = "\n".join(seen)

    wanted = []
    with open(args.source) as f:
        if ".. gre-drop-reasons::" in f.read():
            if not args.stats:
                sys.exit("%s lists the drop reasons: give --stats"
                         % args.source)
            wanted += [("counter", r[0]) for r in reasons]
    if args.options:
        wanted += [("option", o) for o in options(args.options)]
    wanted += [("command", c) for c in commands(args.commands)]
    missing = ["%s %s" % w for w in wanted if "``%s``" % w[1] not in text]
    if missing:
        sys.exit("%s does not document: %s" % (args.source,
                                               ", ".join(missing)))
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
