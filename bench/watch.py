#!/usr/bin/env python3
"""Edit-to-fresh-output times under `iskra watch`, beside a full build.

    bench/watch.py --iskra target/release/iskra --corpus /tmp/iskra-bench/c100 [--edits 15]

Copies the corpus to a scratch folder, starts `iskra watch` on it, and
then, again and again, edits one article the way an editor saves it (the
new text written to a temporary file and renamed over the article), and
times from the rename until both the PDF and the EPUB have been replaced
(each output is written to a temporary file and renamed, so a new inode
means a finished file). Edits alternate between articles near the start,
middle and end of the series, and each changes a sentence of the body.
Prints the median, the spread, and the median of a full `iskra build` of
the same files (several runs, each a fresh process) for comparison.
Standard library only.
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


def inode(path):
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def wait_for_line(stream, needle, timeout):
    """Reads lines from stream until one contains needle."""
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return seen
    sys.exit(f"bench/watch: no {needle!r} from iskra watch:\n{''.join(seen)}")


def edit_times(iskra, corpus, edits, settle):
    work = Path(tempfile.mkdtemp(prefix="iskra-watch-bench-"))
    series = work / corpus.name
    shutil.copytree(corpus, series)
    out = work / "out"
    outputs = [out / f"{series.name}.pdf", out / f"{series.name}.epub"]
    proc = subprocess.Popen([iskra, "watch", str(series), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_line(proc.stderr, "watching", 600)
        articles = sorted(series.glob("*.md"))
        picks = [articles[0], articles[len(articles) // 2], articles[-1]]
        times = []
        for i in range(edits):
            article = picks[i % len(picks)]
            text = article.read_text()
            # A different word each time, in the first paragraph of the body.
            body = text.index("\n---\n", 4) + 5
            cut = text.index(" ", body + 40)
            text = text[:cut] + f" edit{i}" + text[cut:]
            before = [inode(p) for p in outputs]
            temp = article.with_name(f".{article.name}.tmp")
            temp.write_text(text)
            start = time.perf_counter()
            os.rename(temp, article)
            while any(inode(p) == b for p, b in zip(outputs, before)):
                if time.perf_counter() - start > 120:
                    sys.exit("bench/watch: the outputs were not rewritten within 120 s")
                time.sleep(0.0005)
            times.append(time.perf_counter() - start)
            time.sleep(settle)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work)
    return times


def build_times(iskra, corpus, runs):
    out = Path(tempfile.mkdtemp(prefix="iskra-watch-bench-full-"))
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run([iskra, "build", str(corpus), "-o", str(out)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    shutil.rmtree(out)
    return times[1:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iskra", required=True)
    parser.add_argument("--corpus", required=True, action="append")
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--runs", type=int, default=5, help="full builds to compare with")
    parser.add_argument("--settle", type=float, default=0.3,
                        help="seconds between edits (the watcher goes idle)")
    args = parser.parse_args()
    iskra = str(Path(args.iskra).resolve())
    print(f"bench/watch: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print("| corpus | edit to both outputs (watch) | spread | full build | speed-up |")
    print("| --- | --- | --- | --- | --- |")
    for corpus in map(Path, args.corpus):
        edits = edit_times(iskra, corpus, args.edits, args.settle)
        full = build_times(iskra, corpus, args.runs)
        median, full_median = statistics.median(edits), statistics.median(full)
        print(f"| {corpus.name} | {median * 1000:.0f} ms (median of {len(edits)}) | "
              f"{min(edits) * 1000:.0f}–{max(edits) * 1000:.0f} ms | "
              f"{full_median * 1000:.0f} ms (median of {len(full)}) | "
              f"{full_median / median:.1f}× |")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
