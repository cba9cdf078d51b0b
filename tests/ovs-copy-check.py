#! /usr/bin/python3
# Lists every run of 6 or more consecutive code lines in ovs-gre's sources
# that stands, to the letter and in the same order, in Open vSwitch's
# lib/, ofproto/ or vswitchd/: code that was copied rather than written.
#
# usage: ovs-copy-check.py OVSGRE_SRCDIR OVS_SRCDIR
#
# Comments, blank lines, lines of punctuation alone, #include lines and
# the sentences of error messages kept for compatibility (string literals
# count as code here, so a copied message shows up only with the code
# around it) are passed over; white space is folded.  Prints each run and
# a last line "N identical runs"; exits 1 if N is not 0.

import os
import re
import sys

RUN = 6
OURS = ("lib", "datapath", "vswitchd", "utilities", "tests")
THEIRS = ("lib", "ofproto", "vswitchd")


def code_lines(path):
    """Returns [(line number, normalized text)] of the code lines of the
    C file 'path'."""
    try:
        with open(path, errors="replace") as f:
            text = f.read()
    except OSError:
        return []
    # Comments become as many empty lines as they spanned.
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"),
                  text, flags=re.S)
    lines = []
    for number, line in enumerate(text.split("\n"), 1):
        line = " ".join(re.sub(r"//.*", "", line).split())
        if (not line or line.startswith("#include")
                or re.fullmatch(r"[{}();,]*", line)):
            continue
        lines.append((number, line))
    return lines


def sources(top, dirs):
    for d in dirs:
        for root, _, files in os.walk(os.path.join(top, d)):
            for name in sorted(files):
                if name.endswith((".c", ".h")):
                    yield os.path.join(root, name)


def main():
    ours, theirs = sys.argv[1], sys.argv[2]
    index = {}
    for path in sources(theirs, THEIRS):
        lines = code_lines(path)
        for i in range(len(lines) - RUN + 1):
            key = tuple(text for _, text in lines[i:i + RUN])
            index.setdefault(key, (path, lines[i][0]))

    runs = 0
    for path in sources(ours, OURS):
        lines = code_lines(path)
        i = 0
        while i <= len(lines) - RUN:
            key = tuple(text for _, text in lines[i:i + RUN])
            if key in index:
                runs += 1
                print("%s:%d is %s:%d" % (os.path.relpath(path, ours),
                                          lines[i][0],
                                          os.path.relpath(index[key][0],
                                                          theirs),
                                          index[key][1]))
                for _, text in lines[i:i + RUN]:
                    print("    " + text)
                i += RUN
            else:
                i += 1
    print("%d identical runs" % runs)
    sys.exit(1 if runs else 0)


if __name__ == "__main__":
    main()
