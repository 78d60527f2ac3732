"""The commands README.md shows, for tests/e2e/readme_commands.sh: one line
per command, tab-separated: README line, what to do, the command, and, for
a `$ preflight ...` example whose output the README prints in full, that
output (\\n-escaped).

what to do:
  run             a command on shipped data (or on the peer-format files the
                  test writes beside it): it must exit 0 or 1, and print
                  the README's output when one is shown;
  skip:REASON     a usage synopsis or placeholder (CMD, FILE, [...], "..."),
                  an error message quoted in the prose, a command named
                  without the arguments it needs, or an example over the
                  reader's own history (listed in READERS).
usage: readme_commands.py README.md"""
import re, sys

# Examples over files only the reader has: the README says so beside them.
READERS = {"h.db#3": "an example over the reader's nightly history"}
# Commands that run with no positional argument.
BARE = re.compile(r"^preflight (-V|--version|help( \w+)?|stages|\w+ (--help|-h))$")

s = open(sys.argv[1], encoding="utf-8").read()
found = []


def add(cmd, line, out=None):
    cmd = " ".join(cmd.split())
    if cmd not in [c for c, _, _ in found]:
        found.append((cmd, line, out))


for m in re.finditer(r"```(\w*)\n(.*?)```", s, re.S):
    first = s[:m.start()].count("\n") + 2
    lines = m.group(2).split("\n")
    i = 0
    while i < len(lines):
        l = lines[i]
        shown = l.startswith("$ preflight ")
        if shown or (m.group(1) == "sh" and l.startswith("preflight ")):
            c, j = (l[2:] if shown else l), i
            while c.rstrip().endswith("\\") and j + 1 < len(lines):
                j += 1
                c = c.rstrip()[:-1] + " " + lines[j].strip()
            out = None
            if shown:
                k = j + 1
                while k < len(lines) and not lines[k].startswith("$ "):
                    k += 1
                out = "\n".join(lines[j + 1:k]).rstrip("\n") + "\n"
            add(re.sub(r"\s+#.*$", "", c), first + i, out)
            i = j
        i += 1
# inline `preflight ...` spans in the prose (fenced blocks blanked out)
prose = re.sub(r"```.*?```", lambda m: "\n" * m.group(0).count("\n"), s,
               flags=re.S)
for m in re.finditer(r"`(preflight [^`]+)`", prose):
    add(m.group(1), prose[:m.start()].count("\n") + 1)


def what(cmd):
    words = cmd.split()
    if len(words) > 1 and words[1].endswith(":"):
        return "skip:an error message quoted in the prose"
    if "\u2026" in cmd or "[" in cmd or any(
            re.fullmatch(r"[A-Z][A-Z_]+(\.\w+)?", w) for w in words):
        return "skip:a usage synopsis with placeholders"
    for w, why in READERS.items():
        if w in cmd:
            return "skip:" + why
    if BARE.match(cmd):
        return "run"
    pos = [w for w in words[2:] if not w.startswith("-") and "=" not in w]
    if not pos:
        return "skip:names the command, without the arguments it needs"
    return "run"


for cmd, line, out in found:
    esc = "" if out is None or "\u2026" in out else out.replace("\\", "\\\\").replace("\n", "\\n")
    print("%d\t%s\t%s\t%s" % (line, what(cmd), cmd, esc))
