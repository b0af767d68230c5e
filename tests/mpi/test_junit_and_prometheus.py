"""--junit and --prom: the reports CI and dashboards read. A run whose rank 2 returns wrong results writes a JUnit
file that validates against Jenkins xunit's junit-10.xsd (xmllint --schema) with a <failure> for that GPU, and a
Prometheus textfile that `promtool check metrics` accepts and a real prometheus-node-exporter serves, with the
failing GPU's one-hot verdict, and results.html fails it first; the last-success time survives a failing run and moves on a healthy one; a run the
watchdog ends leaves a JUnit <error>; bad names and directories are one-line input errors."""
import os
import re
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET

from rctest import SOURCE_DIR, expect, expect_input_error, fresh_dir, mpirun

XSD = os.path.join(SOURCE_DIR, "tests", "fixtures", "junit", "junit-10.xsd")
out = fresh_dir("reports")
junit = os.path.join(out, "railcheck.xml")
textfiles = os.path.join(out, "textfile")
os.makedirs(textfiles)
prom = os.path.join(textfiles, "railcheck.prom")


def run(extra, name):
    return mpirun(["allreduce", "-b", "4K", "-e", "64K", "-f", "4", "-n", "2", "--backend", "mpi",
                   "--output-dir", os.path.join(out, name), "--junit", junit, "--prom", prom] + extra)


def valid_junit():
    check = subprocess.run(["xmllint", "--noout", "--schema", XSD, junit], capture_output=True, text=True)
    expect(check.returncode == 0, "the JUnit file validates against junit-10.xsd: " + check.stderr)
    return ET.parse(junit).getroot()


def prom_lines():
    check = subprocess.run(["promtool", "check", "metrics"], stdin=open(prom), capture_output=True, text=True)
    expect(check.returncode == 0 and check.stdout.strip() == "" and check.stderr.strip() == "",
           "promtool check metrics accepts the textfile: %s %s" % (check.stdout, check.stderr))
    return open(prom).read().splitlines()


def value_of(lines, name):
    for line in lines:
        if line.startswith(name + " "):
            return float(line.split()[-1])
    return None


# 1. A failing GPU.
bad = run(["--debug-corrupt-rank", "2"], "bad")
expect(bad.returncode == 1, "the corrupted run exits 1, got %d" % bad.returncode)
suites = valid_junit()
cases = suites.findall("./testsuite/testcase")
failed = [c for c in cases if c.find("failure") is not None]
gpu = [c for c in failed if c.get("classname") == "railcheck.gpu"]
expect(len(gpu) == 1 and gpu[0].get("name").endswith("GPU 2"), "one failing GPU testcase, GPU 2: %s" %
       [(c.get("classname"), c.get("name")) for c in failed])
body = gpu[0].find("failure").text
expect("wrong elements" in body and "action:" in body, "the failure holds the evidence and the action: %r" % body)
run_case = [c for c in cases if c.get("classname") == "railcheck.run"]
expect(len(run_case) == 1 and run_case[0].find("failure") is not None, "the run's own testcase fails (its problems)")
expect(suites.get("failures") == str(len(failed)), "testsuites counts its failures")
names = [(c.get("classname"), c.get("name")) for c in cases]
expect(len(names) == len(set(names)), "every (classname, name) is unique")

lines = prom_lines()
expect(not any(re.search(r"\} \S+ \d+$", l) for l in lines if not l.startswith("#")), "no sample timestamps")
fail_series = [l for l in lines if l.startswith("railcheck_verdict{") and 'state="fail"} 1' in l]
expect(len(fail_series) >= 1 and any('component="gpu"' in l and 'gpu="2"' in l for l in fail_series),
       "the failing GPU's one-hot verdict: %s" % fail_series)
expect(value_of(lines, "railcheck_run_exit_code") == 1, "exit code 1 in the textfile")
expect(value_of(lines, "railcheck_last_success_timestamp_seconds") is None, "no success yet, no last-success time")

with open(os.path.join(out, "bad", "results.html")) as f:
    page = f.read()
failing_parts = re.findall(r'<tr class="row-fail" data-status="fail" data-host="[^"]*" data-part="([^"]*)"', page)
expect(any(p.endswith("GPU 2") for p in failing_parts) and page.find("row-fail") < page.find("<svg"),
       "results.html fails GPU 2 before any chart: %s" % (failing_parts,))

# 1b. The same reports from the saved run: railcheck analyze --junit / --prom.
saved_junit, saved_prom = os.path.join(out, "saved.xml"), os.path.join(out, "saved.prom")
analyzed = subprocess.run([os.environ["RAILCHECK_BIN"], "analyze", os.path.join(out, "bad", "results.json"),
                           "--junit", saved_junit, "--prom", saved_prom], capture_output=True, text=True)
expect(analyzed.returncode == 1, "analyze of the failing run exits 1, got %d: %s" % (analyzed.returncode,
                                                                                  analyzed.stderr))
check = subprocess.run(["xmllint", "--noout", "--schema", XSD, saved_junit], capture_output=True, text=True)
expect(check.returncode == 0, "analyze's JUnit file validates: " + check.stderr)
expect(any(c.get("classname") == "railcheck.gpu" and c.get("name").endswith("GPU 2") and c.find("failure") is not None
           for c in ET.parse(saved_junit).getroot().findall("./testsuite/testcase")), "and fails GPU 2")
check = subprocess.run(["promtool", "check", "metrics"], stdin=open(saved_prom), capture_output=True, text=True)
expect(check.returncode == 0 and not check.stdout.strip(), "analyze's textfile passes promtool: " + check.stdout)
expect(re.search(r'railcheck_verdict\{component="gpu",[^}]*gpu="2"[^}]*state="fail"\} 1', open(saved_prom).read()),
       "and holds the failing GPU's verdict")

# 2. A healthy run sets the last success; 3. a failing one keeps it.
good = run([], "good")
expect(good.returncode == 0, "the healthy run exits 0, got %d" % good.returncode)
valid_junit()
lines = prom_lines()
sizes = [l for l in lines if l.startswith("railcheck_collective_busbw_bytes_per_second{")]
expect(len(sizes) == 2 * 3, "busbw per size (4K, 16K, 64K) and placement: %d series" % len(sizes))
success = value_of(lines, "railcheck_last_success_timestamp_seconds")
expect(success is not None and abs(success - time.time()) < 120, "a healthy run sets the last success: %s" % success)
time.sleep(1)
run(["--debug-corrupt-rank", "1"], "bad2")
lines = prom_lines()
expect(value_of(lines, "railcheck_last_success_timestamp_seconds") == success,
       "a failing run keeps the last success time of the healthy one")
expect(value_of(lines, "railcheck_last_run_timestamp_seconds") > success, "and moves the last run time")
# The healthy run and the failing one side by side: railcheck report OLD NEW.
compare_html = os.path.join(out, "good-vs-bad2.html")
report = subprocess.run([os.environ["RAILCHECK_BIN"], "report", os.path.join(out, "good", "results.json"),
                         os.path.join(out, "bad2", "results.json"), "-o", compare_html], capture_output=True, text=True)
expect(report.returncode == 0 and compare_html in report.stdout, "railcheck report OLD NEW writes the page: %s %s" %
       (report.stdout, report.stderr))
with open(compare_html) as f:
    newly = re.findall(r'<tr data-change="newly_failing" data-host="[^"]*"><td>newly_failing</td>\s*<td>([^<]*)</td>',
                       f.read())
expect(any(part.endswith("GPU 1") for part in newly), "the side-by-side page names GPU 1 newly failing: %s" % newly)

# 4. A real node_exporter serves the file.
port_finder = socket.socket()
port_finder.bind(("127.0.0.1", 0))
port = port_finder.getsockname()[1]
port_finder.close()
exporter = subprocess.Popen(["prometheus-node-exporter", "--web.listen-address=127.0.0.1:%d" % port,
                             "--collector.disable-defaults", "--collector.textfile",
                             "--collector.textfile.directory=" + textfiles],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    scraped = ""
    for _ in range(50):
        try:
            scraped = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=2).read().decode()
            break
        except OSError:
            time.sleep(0.2)
finally:
    exporter.terminate()
    exporter.wait(timeout=10)
expect("node_textfile_scrape_error 0" in scraped, "node_exporter read the textfile without error")
expect(re.search(r'railcheck_verdict\{[^}]*state="fail"[^}]*\} 1', scraped) is not None,
       "node_exporter serves railcheck's verdicts")

# 5. The watchdog's end is a JUnit <error>.
hung = mpirun(["allreduce", "-b", "1K", "-e", "1K", "-n", "2", "--backend", "mpi", "--debug-hang-rank", "3",
               "-T", "3", "--output-dir", os.path.join(out, "hung"), "--junit", junit], timeout=120)
expect(hung.returncode == 3, "the hung run exits 3, got %d" % hung.returncode)
errors = [c.find("error") for c in valid_junit().findall("./testsuite/testcase") if c.find("error") is not None]
expect(len(errors) == 1 and errors[0].get("type") == "WATCHDOG" and "lost ranks: 3" in (errors[0].text or ""),
       "one <error type=WATCHDOG> naming the lost rank")

# 6. Bad names and places.
expect_input_error(["allreduce", "--junit", os.path.join(out, "report.txt")], ["--junit", "report.xml"])
expect_input_error(["allreduce", "--prom", os.path.join(out, "metrics.txt")], ["--prom", "metrics.prom"])
expect_input_error(["allreduce", "--prom", "/nonexistent/dir/railcheck.prom"], ["--prom", "not writable"])
print("PASS")
