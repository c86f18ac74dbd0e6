"""What the bench scripts share: running a child process and measuring it."""
import os, subprocess, sys, time


def run_child(cmd, env=None):
    """Runs cmd (stdout discarded); returns (seconds, peak RSS in MiB, stderr text).

    Exits with the command and its stderr when it fails."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    err = p.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return dt, usage.ru_maxrss / 1024.0, err
