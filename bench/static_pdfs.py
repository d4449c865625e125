#!/usr/bin/env python3
"""Articles per second of `iskra pdf` over a whole corpus (the static-PDF
archive for a CDN), cold and after one edit.

    bench/static_pdfs.py --iskra target/release/iskra --corpus /tmp/iskra-bench/c1000 [--runs 3]

Copies the corpus to a scratch folder. Cold: `iskra pdf SERIES -o OUT` into
an empty OUT, every article's PDF set (several runs, each into a new
folder). After one edit: one article's text changed (a different word each
run), then the same command over the full OUT, which sets that one PDF and
checks the keys of the others. Prints medians. Standard library only.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"bench/static_pdfs: {' '.join(cmd)} failed:\n{proc.stderr}")
    return wall, proc.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iskra", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    iskra = str(Path(args.iskra).resolve())
    corpus = Path(args.corpus)
    work = Path(tempfile.mkdtemp(prefix="iskra-static-bench-"))
    series = work / corpus.name
    shutil.copytree(corpus, series)
    articles = sorted(series.glob("*.md"))
    count = len(articles)
    print(f"bench/static_pdfs: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, "
          f"{count} articles in {corpus.name}")
    try:
        cold = []
        for run in range(args.runs):
            out = work / f"cold-{run}"
            wall, _ = timed([iskra, "pdf", str(series), "-o", str(out), "--quiet"])
            cold.append(wall)
        out = work / f"cold-{args.runs - 1}"
        edited = []
        for run in range(args.runs * 2):
            article = articles[(run * 7919) % count]
            text = article.read_text()
            body = text.index("\n---\n", 4) + 5
            cut = text.index(" ", body + 40)
            article.write_text(text[:cut] + f" edit{run}" + text[cut:])
            wall, summary = timed([iskra, "pdf", str(series), "-o", str(out)])
            if f"1 written, {count - 1} up to date" not in summary:
                sys.exit(f"bench/static_pdfs: expected one PDF set again, got:\n{summary}")
            edited.append(wall)
        unchanged, _ = timed([iskra, "pdf", str(series), "-o", str(out), "--quiet"])
    finally:
        shutil.rmtree(work)
    c, e = statistics.median(cold), statistics.median(edited)
    print("| corpus | run | wall (median) | articles/s |")
    print("| --- | --- | --- | --- |")
    print(f"| {corpus.name} | cold: every PDF set ({len(cold)} runs) | {c:.2f} s | {count / c:.0f} |")
    print(f"| {corpus.name} | after one edit: 1 set, {count - 1} up to date ({len(edited)} runs) "
          f"| {e:.2f} s | {count / e:.0f} |")
    print(f"| {corpus.name} | nothing changed (1 run) | {unchanged:.2f} s | {count / unchanged:.0f} |")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
