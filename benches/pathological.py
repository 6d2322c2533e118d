#!/usr/bin/env python3
"""Times hugi on inputs that once took super-linear time, and fails when one exceeds a generous
bound (the bound is far above the expected time on a slow machine; it catches a quadratic
algorithm coming back, not small slowdowns):

    python3 benches/pathological.py [--hugi target/release/hugi]

- one 1 MB line of `*가)` (the CJK emphasis pass matched delimiters by scanning every earlier
  run: 31.8 s for 800 KB before, under a second after, on the same machine);
- 4,000 sessions with the same title in one note (suffixing `-2`, `-3`… scanned every slug
  taken so far for each one);
- 200 KB of `a@` and of `_a_@` on one line (the e-mail autolink read on past every `@`: 41 s
  and 25 s before, under a second after);
- 20,000 bare addresses with `__a__` in them on one line (each link's place was found by
  reading the note from its start, and each kept a copy of its whole line: 53 s before, half
  a second after);
- an address followed by 100,000 `)` (each one counted the parentheses of the whole address).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CASES = {
    "1 MB line of *가)": "# 긴 줄\n\n## Session 1 : 하나\n\n" + "*가)" * 250_000 + "\n",
    "4,000 equal session titles": "# 같은 제목\n\n"
    + "".join(f"## Session {n} : 같은 제목\n- 내용\n\n" for n in range(4000)),
    "200 KB of a@": "# 메일\n\n## Session 1 : 하나\n\n" + "a@" * 100_000 + "\n",
    "200 KB of _a_@": "# 메일\n\n## Session 1 : 하나\n\n" + "_a_@" * 50_000 + "\n",
    "20,000 bare addresses on one line": "# 주소\n\n## Session 1 : 하나\n\n"
    + "https://x.kr/__a__ " * 20_000
    + "\n",
    "an address and 100,000 )": "# 괄호\n\n## Session 1 : 하나\n\nhttp://a.kr/" + ")" * 100_000 + "\n",
}
BOUND_SECONDS = 20.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hugi", default=os.path.join(ROOT, "target", "release", "hugi"))
    args = parser.parse_args()
    failed = False
    for name, text in CASES.items():
        with tempfile.TemporaryDirectory() as site:
            os.makedirs(os.path.join(site, "content"))
            with open(os.path.join(site, "content", "note.md"), "w", encoding="utf-8") as f:
                f.write(text)
            started = time.perf_counter()
            subprocess.run([args.hugi, "build", "--root", site], check=True, capture_output=True)
            seconds = time.perf_counter() - started
        verdict = "ok" if seconds < BOUND_SECONDS else f"over the {BOUND_SECONDS:.0f} s bound"
        failed |= seconds >= BOUND_SECONDS
        print(f"{name}: {seconds:.2f} s ({verdict})")
    sys.exit(1 if failed else 0)


main()
