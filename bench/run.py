#!/usr/bin/env python3
"""Whole-process benchmark of Iskra, with typst and pandoc side by side.

    bench/run.py --shared ../shared --iskra target/release/iskra [--quick]

Generates the corpora with the shared generator (100 articles with images,
seed 1; 1000 articles, seed 2) under /tmp/iskra-bench, then for each:

- times `iskra build` (PDF and EPUB together; then the PDF alone and the EPUB
  alone) over several runs, each a fresh process, with its peak memory;
- checks that a single-threaded build (RAYON_NUM_THREADS=1) writes the same
  bytes as the parallel one;
- where the `typst` Python package and pandoc (pypandoc-binary) are
  installed, converts the corpus the way ../shared/research/anchors-speed.md
  does and times typst's PDF and pandoc's EPUB in the same run, each run in
  turn with Iskra's (the machine's speed drifts: commands timed minutes
  apart would compare its phases), and gives the median of the paired
  ratios beside the ratio of the means;

and times `iskra pdf` of one article as a fresh process. Prints one table
with the ratios. Standard library only; numbers are means of the runs
(medians are printed too).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORK = Path("/tmp/iskra-bench")


GNU_TIME = Path("/usr/bin/time")


def run_measured(cmd, env=None, cwd=None):
    """Runs cmd once; returns (wall seconds, peak RSS in MB of the process).

    A child's peak RSS as wait4 reports it includes this Python process's
    own high-water mark (Linux carries it across fork and exec), which
    swamps a small process's figure; GNU time (Debian: time), itself small,
    measures the command alone, so it is used when installed."""
    wrapped = list(map(str, cmd))
    peak_file = None
    if GNU_TIME.exists():
        peak_file = tempfile.NamedTemporaryFile(prefix="iskra-bench-rss-", delete=False)
        peak_file.close()
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", peak_file.name, *wrapped]
    start = time.perf_counter()
    proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(map(str, cmd))} failed:\n{stderr}")
    if peak_file is None:
        return wall, usage.ru_maxrss / 1024
    peak_kb = int(Path(peak_file.name).read_text().split()[-1])
    os.unlink(peak_file.name)
    return wall, peak_kb / 1024


def repeat(cmd, runs):
    """Wall times and the largest peak RSS over `runs` runs (after one warm-up)."""
    return repeat_in_turn([(cmd, None)], runs)[0]


def repeat_in_turn(commands, runs):
    """Runs each (command, cwd) of `commands` in turn, `runs` times each,
    after one warm-up of each: this machine's speed drifts by a third within
    the hour, and commands timed minutes apart would compare its phases.
    Gives each command's walls, in run order, and its largest peak RSS."""
    for cmd, cwd in commands:
        run_measured(cmd, cwd=cwd)
    walls, peaks = [[] for _ in commands], [0.0 for _ in commands]
    for _ in range(runs):
        for i, (cmd, cwd) in enumerate(commands):
            wall, rss = run_measured(cmd, cwd=cwd)
            walls[i].append(wall)
            peaks[i] = max(peaks[i], rss)
    return list(zip(walls, peaks))


def fresh_process_walls(cmd, runs):
    """Wall times of `runs` runs of cmd (after one warm-up), each a fresh
    process started straight from here: GNU time's own fork and exec, which
    `run_measured` puts in between to read the peak memory, cost a
    millisecond or two, a fifth of a command that takes ten."""
    subprocess.run(list(map(str, cmd)), check=True, stdout=subprocess.DEVNULL)
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(list(map(str, cmd)), check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
    return walls


def pdf_pages(path):
    data = Path(path).read_bytes().decode("latin-1").replace("/Type /", "/Type/")
    return len(re.findall(r"/Type/Page(?![A-Za-z0-9])", data))


def corpus(shared, name, args):
    path = WORK / name
    if not path.exists():
        subprocess.run([str(Path(shared) / "bench/gen-corpus"), *args, "--out", str(path)],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def same_bytes_single_threaded(iskra, series):
    """A build on one thread writes the same bytes as the parallel build."""
    outs = []
    for threads in ("", "1"):
        out = Path(tempfile.mkdtemp(prefix="iskra-bench-"))
        env = dict(os.environ)
        if threads:
            env["RAYON_NUM_THREADS"] = threads
        subprocess.run([iskra, "build", str(series), "-o", str(out)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        outs.append(out)
    same = all((outs[0] / f).read_bytes() == (outs[1] / f).read_bytes()
               for f in (f"{series.name}.pdf", f"{series.name}.epub"))
    for out in outs:
        shutil.rmtree(out)
    return same


def paired_ratios(slow, fast):
    """The ratios of runs made one after the other (see `repeat_in_turn`)."""
    return [s / f for s, f in zip(slow, fast)]


def anchors(shared, series, runs, both_cmd, epub_cmd_iskra):
    """typst's PDF and pandoc's EPUB of the corpus, timed like anchors-speed.md,
    each run in turn with Iskra's build (PDF + EPUB) and its EPUB alone.
    None where the tools are not installed."""
    try:
        import pypandoc  # noqa: F401
        pandoc = pypandoc.get_pandoc_path()
        import typst  # noqa: F401
    except Exception:
        return None
    anchors_dir = (Path(shared) / "bench/anchors").resolve()
    work = Path(tempfile.mkdtemp(prefix="iskra-anchor-"))
    (work / "images").symlink_to(series / "images") if (series / "images").exists() else None
    subprocess.run([sys.executable, str(anchors_dir / "prep.py"), str(series), "."], cwd=work,
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([pandoc, "-f", "commonmark_x", "--metadata-file=meta.yaml",
                    f"--metadata-file={anchors_dir / 'typst.yaml'}", "-t", "typst", "-s", "--toc",
                    "--toc-depth=1", "-o", "series.typ", "series.md"], cwd=work, check=True)
    typst_cmd = [sys.executable, str(anchors_dir / "typst_compile.py"), "series.typ", "typst.pdf"]
    iskra_both, typst = repeat_in_turn([(both_cmd, None), (typst_cmd, work)], runs)
    epub_cmd = [pandoc, "-f", "commonmark_x", "--metadata-file=meta.yaml", "-t", "epub3",
                f"--css={anchors_dir / 'epub.css'}", "--toc", "--toc-depth=1", "--split-level=1",
                "-o", "out.epub", "series.md"]
    iskra_epub, pandoc_epub = repeat_in_turn([(epub_cmd_iskra, None), (epub_cmd, work)], runs)
    pages = pdf_pages(work / "typst.pdf")
    shutil.rmtree(work)
    return {"typst": (*typst, pages), "pandoc-epub": pandoc_epub,
            "iskra-both": iskra_both, "iskra-epub": iskra_epub}


def fmt(walls):
    return f"{statistics.mean(walls):.3f} s (median {statistics.median(walls):.3f})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", required=True)
    parser.add_argument("--iskra", required=True)
    parser.add_argument("--quick", action="store_true", help="fewer runs, no 1000-article corpus")
    args = parser.parse_args()
    iskra = str(Path(args.iskra).resolve())
    WORK.mkdir(parents=True, exist_ok=True)
    corpora = [("c100", ["--articles", "100", "--seed", "1", "--images"], 5)]
    if not args.quick:
        corpora.append(("c1000", ["--articles", "1000", "--seed", "2"], 3))
    load = os.getloadavg()[0]
    print(f"bench: {os.cpu_count()} cores, load average {load:.2f} at the start")
    rows = []
    for name, gen_args, runs in corpora:
        runs = 2 if args.quick else runs
        series = corpus(args.shared, name, gen_args)
        out = WORK / f"out-{name}"
        both_cmd = [iskra, "build", str(series), "-o", str(out)]
        epub_cmd = [iskra, "build", "--epub", str(series), "-o", str(out)]
        pdf, pdf_rss = repeat([iskra, "build", "--pdf", str(series), "-o", str(out)], runs)
        anchor = anchors(args.shared, series, runs, both_cmd, epub_cmd)
        if anchor:
            (both, both_rss), (epub, epub_rss) = anchor["iskra-both"], anchor["iskra-epub"]
        else:
            both, both_rss = repeat(both_cmd, runs)
            epub, epub_rss = repeat(epub_cmd, runs)
        pages = pdf_pages(out / f"{name}.pdf")
        same = same_bytes_single_threaded(iskra, series)
        if not same:
            sys.exit(f"bench: {name}: a single-threaded build wrote different bytes")
        rows.append((name, "iskra build (PDF + EPUB)", both, both_rss, pages))
        rows.append((name, "iskra build --pdf", pdf, pdf_rss, pages))
        rows.append((name, "iskra build --epub", epub, epub_rss, None))
        if anchor:
            t_walls, t_rss, t_pages = anchor["typst"]
            rows.append((name, "typst (PDF, engine only)", t_walls, t_rss, t_pages))
            e_walls, e_rss = anchor["pandoc-epub"]
            rows.append((name, "pandoc (EPUB)", e_walls, e_rss, None))
            ratios = paired_ratios(t_walls, both)
            print(f"{name}: typst / iskra (PDF + EPUB): {statistics.mean(t_walls) / statistics.mean(both):.1f}x faster "
                  f"(runs in turn: median ratio {statistics.median(ratios):.1f}x, "
                  f"from {min(ratios):.1f}x to {max(ratios):.1f}x); "
                  f"memory {t_rss / both_rss:.1f}x less; "
                  f"pandoc EPUB / iskra EPUB: {statistics.mean(e_walls) / statistics.mean(epub):.1f}x")
        print(f"{name}: single-threaded build gives the same bytes: {same}")
    article = sorted((WORK / "c100").glob("*.md"))[0]
    one_cmd = [iskra, "pdf", str(article), "-o", str(WORK / "one.pdf")]
    one = fresh_process_walls(one_cmd, 40)
    _, one_rss = run_measured(one_cmd)
    rows.append(("c100", f"iskra pdf {article.name}", one, one_rss, pdf_pages(WORK / "one.pdf")))

    print()
    print("| corpus | command | wall | pages/s | peak RSS |")
    print("| --- | --- | --- | --- | --- |")
    for name, what, walls, rss, pages in rows:
        rate = f"{pages / statistics.mean(walls):.0f}" if pages else "–"
        print(f"| {name} | {what} | {fmt(walls)} | {rate} | {rss:.0f} MB |")
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
