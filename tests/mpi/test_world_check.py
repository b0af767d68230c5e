"""--expect-ranks / --expect-hosts: a job that did not get the world it asked for (a launcher that ignored its
host list and started every rank on one host, as Open MPI 5 does with mpi-operator's orte_* settings) ends
before measuring with exit 2, naming the hosts it saw; the world asked for runs."""
import socket

from rctest import expect, fresh_dir, mpirun

host = socket.gethostname()
out = fresh_dir("world_check")
wrong = mpirun(["allreduce", "-b", "1K", "-e", "1K", "--backend", "mpi", "--expect-ranks", "4", "--expect-hosts", "2",
                "--output-dir", out], np=2)
expect(wrong.returncode == 2, "a job short of its ranks and hosts exits 2, got %d" % wrong.returncode)
expect("the job has 2 rank(s) on 1 host(s) (%s), asked for 4 rank(s) on 2 host(s)" % host in wrong.stderr,
       "the error names what was seen and what was asked")
right = mpirun(["allreduce", "-b", "1K", "-e", "1K", "--backend", "mpi", "--expect-ranks", "2", "--expect-hosts", "1",
                "--output-dir", out], np=2)
expect(right.returncode == 0, "the world asked for runs, got %d" % right.returncode)
print("PASS")
