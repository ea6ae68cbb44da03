"""Run a command and report its own peak memory: `python benchmarks/spawn.py CMD...`; the report is one JSON line on
this process's standard error: {"start": T0, "end": T1, "peak_mb": MB, "status": CODE} (T0 and T1 from
time.monotonic, which other processes can compare with theirs).

Why a launcher: Linux counts in a child's peak resident memory (ru_maxrss) the memory of the process it was forked
from, as it was when the child called exec; a child started by the benchmark, which holds a large budget of its own,
would report the benchmark's size. Started from this small process, the command reports its own. Its standard input
and output are this process's; its standard error is thrown away.
"""

import json
import os
import subprocess
import sys
import time


def main() -> int:
    start = time.monotonic()
    process = subprocess.Popen(sys.argv[1:], stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    end = time.monotonic()
    code = os.waitstatus_to_exitcode(status)
    report = {"start": start, "end": end, "peak_mb": usage.ru_maxrss / 1024, "status": code}
    sys.stderr.write(json.dumps(report) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
