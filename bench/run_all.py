"""Run every benchmark in bench/ (the files named bench_*.py), one after the other, and print their figures.

    .venv/bin/python bench/run_all.py                      # all of them, each with its defaults
    .venv/bin/python bench/run_all.py county               # only those whose name contains "county"
    .venv/bin/python bench/run_all.py county -- --quick    # arguments after "--" go to every benchmark run

Each benchmark runs in its own process (each sets Django up against its own throw-away database); the
environment, DATABASE_URL included, is passed on unchanged. Output is shown as it comes, then a summary.

Every benchmark takes `--quick` (CI's size). bench_national.py measures PostgreSQL only: with a DATABASE_URL that is
not PostgreSQL it uses postgres://postgres@127.0.0.1:5432/prezent_bench_national, and when no PostgreSQL answers it
says so and exits 0 (counted "ok"); at its quick size, 3 counties × 1,500 pupils, it takes about a minute (the
migrations are most of it).
"""

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    if "--" in argv:
        split = argv.index("--")
        names, extra = argv[:split], argv[split + 1 :]
    else:
        names, extra = argv, []
    scripts = sorted(BENCH.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if any(n in s.stem for n in names)]
    if not scripts:
        print("No benchmark matches.", file=sys.stderr)
        return 2
    summary = []
    for script in scripts:
        print(f"\n##### {script.name} {' '.join(extra)}".rstrip(), flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), *extra], cwd=BENCH.parent, check=False)  # noqa: S603
        summary.append((script.name, result.returncode, time.perf_counter() - started))
    print("\n##### summary")
    for name, code, seconds in summary:
        print(f"  {name:<32} {'ok' if code == 0 else f'FAILED (exit {code})':<18} {seconds:7.0f} s")
    return 0 if all(code == 0 for _, code, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
