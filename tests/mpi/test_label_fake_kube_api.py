"""railcheck label against a fake Kubernetes API server (named fake: no real API server runs here). A real run
whose rank 2 returns wrong results fails this host's node; a passing node2 is added to its verdicts. The fake
(HTTPS with its own CA, bearer token checked, JSON merge patch, resourceVersion conflicts) refuses any label
outside railcheck.io/ and any patch that drops a taint railcheck does not own. Checked: the dry run changes
nothing; --apply --taint labels both nodes, taints the failing one NoSchedule, removes railcheck's old taint
from the passing one, keeps every foreign label and taint, re-reads and retries after a 409; a foreign
--label-prefix, a wrong token and no API at all are one-line errors (exit 2)."""
import json
import os
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rctest import BIN, expect, fresh_dir, mpirun, run_single

out = fresh_dir("label")
host = socket.gethostname()
bad = mpirun(["allreduce", "-b", "4K", "-e", "4K", "-n", "2", "--backend", "mpi", "--debug-corrupt-rank", "2",
              "--output-dir", os.path.join(out, "run")])
expect(bad.returncode == 1, "the corrupted run fails its node")
results = os.path.join(out, "run", "results.json")
document = json.load(open(results))
document["verdicts"].append({"component": {"kind": "node", "host": "node2.example"}, "status": "pass",
                             "evidence": [], "action": ""})
# A rank in a pod that does not use the host's network is named by its pod: the node is the pod's.
document["verdicts"].append({"component": {"kind": "node", "host": "railcheck-acceptance-worker-1"}, "status": "warn",
                             "evidence": [], "action": ""})
with open(results, "w") as f:
    json.dump(document, f)

# The fake API server's certificate is its own CA.
sa = os.path.join(out, "serviceaccount")
os.makedirs(sa)
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", os.path.join(out, "key.pem"),
                "-out", os.path.join(sa, "ca.crt")], check=True, capture_output=True)
with open(os.path.join(sa, "token"), "w") as f:
    f.write("secret-token\n")
with open(os.path.join(sa, "namespace"), "w") as f:
    f.write("railcheck")

FOREIGN_TAINT = {"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}
nodes = {
    host: {"metadata": {"name": host, "resourceVersion": "10", "labels": {"team": "ml"}},
           "spec": {"taints": [FOREIGN_TAINT, {"key": "railcheck.io/unhealthy", "value": "old",
                                               "effect": "NoSchedule"}]}},
    "node2": {"metadata": {"name": "node2", "resourceVersion": "20",
                           "labels": {"team": "ml", "railcheck.io/part": "NIC-eth0"}},
              "spec": {"taints": [FOREIGN_TAINT, {"key": "railcheck.io/unhealthy", "value": "NIC-eth0",
                                                  "effect": "NoSchedule"}]}},
    "node3": {"metadata": {"name": "node3", "resourceVersion": "30"}, "spec": {}},
}
pods = {"railcheck-acceptance-worker-1": {"spec": {"nodeName": "node3"}}}
patches = []
conflict_once = {host}


def merge(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return patch
    target = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = merge(target.get(key), value)
    return target


class FakeKubeApi(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def node(self):
        if self.headers.get("Authorization") != "Bearer secret-token":
            self.reply(401, {"kind": "Status", "message": "Unauthorized"})
            return None
        name = self.path.rsplit("/", 1)[-1]
        if not self.path.startswith("/api/v1/nodes/") or name not in nodes:
            self.reply(404, {"kind": "Status", "message": "nodes \"%s\" not found" % name})
            return None
        return name

    def do_GET(self):
        prefix = "/api/v1/namespaces/railcheck/pods/"
        if self.path.startswith(prefix) and self.headers.get("Authorization") == "Bearer secret-token":
            pod = self.path[len(prefix):]
            return self.reply(200, pods[pod]) if pod in pods else self.reply(404, {"message": "no pod " + pod})
        name = self.node()
        if name:
            self.reply(200, nodes[name])

    def do_PATCH(self):
        name = self.node()
        if not name:
            return
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        patches.append((name, self.headers.get("Content-Type"), body))
        if self.headers.get("Content-Type") != "application/merge-patch+json":
            return self.reply(415, {"message": "want a merge patch"})
        foreign = [k for k in body.get("metadata", {}).get("labels", {}) if not k.startswith("railcheck.io/")]
        if foreign:
            return self.reply(422, {"message": "foreign labels in the patch: %s" % foreign})
        current = nodes[name]
        if "taints" in body.get("spec", {}):
            kept = [t for t in current.get("spec", {}).get("taints", []) if not t["key"].startswith("railcheck.io/")]
            if [t for t in body["spec"]["taints"] if not t["key"].startswith("railcheck.io/")] != kept:
                return self.reply(422, {"message": "the patch drops or changes a taint railcheck does not own"})
        if name in conflict_once:  # someone else changed the node since railcheck read it
            conflict_once.discard(name)
            current["metadata"]["resourceVersion"] = str(int(current["metadata"]["resourceVersion"]) + 1)
        wanted = body.get("metadata", {}).get("resourceVersion")
        if wanted is not None and wanted != current["metadata"]["resourceVersion"]:
            return self.reply(409, {"message": "the object has been modified"})
        body.get("metadata", {}).pop("resourceVersion", None)
        nodes[name] = merge(current, body)
        nodes[name]["metadata"]["resourceVersion"] = str(int(current["metadata"]["resourceVersion"]) + 1)
        self.reply(200, nodes[name])

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), FakeKubeApi)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.path.join(sa, "ca.crt"), os.path.join(out, "key.pem"))
server.socket = context.wrap_socket(server.socket, server_side=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
os.environ["RAILCHECK_KUBE_API"] = "https://127.0.0.1:%d" % server.server_address[1]
os.environ["RAILCHECK_KUBE_SA_DIR"] = sa

dry = run_single(["label", results, "--taint"])
expect(dry.returncode == 0 and "dry run" in dry.stdout, "a dry run says what it would do")
expect(patches == [], "a dry run patches nothing")

applied = run_single(["label", results, "--taint", "--apply"])
expect(applied.returncode == 0, "label --apply exits 0, got %d" % applied.returncode)
failing, passing = nodes[host], nodes["node2"]
expect(failing["metadata"]["labels"].get("railcheck.io/verdict") == "fail", "the failing node is labelled fail")
expect(failing["metadata"]["labels"].get("railcheck.io/part", "").startswith("GPU-2"),
       "its label names the part: %s" % failing["metadata"]["labels"])
ours = [t for t in failing["spec"]["taints"] if t["key"].startswith("railcheck.io/")]
expect(len(ours) == 1 and ours[0]["effect"] == "NoSchedule" and ours[0]["value"].startswith("GPU-2"),
       "one railcheck taint, NoSchedule, naming the part (the old one replaced): %s" % ours)
expect(passing["metadata"]["labels"].get("railcheck.io/verdict") == "pass", "the passing node is labelled pass")
expect("railcheck.io/part" not in passing["metadata"]["labels"], "and its old part label is removed")
expect(not any(t["key"].startswith("railcheck.io/") for t in passing["spec"]["taints"]),
       "railcheck's old taint is removed from the passing node")
for node in (failing, passing):
    expect(node["metadata"]["labels"].get("team") == "ml", "foreign labels stay")
    expect(FOREIGN_TAINT in node["spec"]["taints"], "foreign taints stay")
expect(sum(1 for name, _, _ in patches if name == host) == 2, "the 409 was re-read and retried once")
expect(nodes["node3"]["metadata"]["labels"].get("railcheck.io/verdict") == "warn",
       "a rank named by its pod labels the pod's node")
print("PATCH bodies:", json.dumps(patches)[:600])

for prefix in ("node.kubernetes.io/", "other-tool.io/", "railcheck.io"):
    refused = run_single(["label", results, "--label-prefix", prefix, "--apply"])
    expect(refused.returncode == 2 and "--label-prefix '%s'" % prefix in refused.stderr,
           "a foreign prefix %s is refused before anything is sent" % prefix)
with open(os.path.join(sa, "token"), "w") as f:
    f.write("wrong-token\n")
unauthorized = run_single(["label", results, "--apply"])
expect(unauthorized.returncode == 2 and "HTTP 401" in unauthorized.stderr, "a wrong token: exit 2 naming HTTP 401")
del os.environ["RAILCHECK_KUBE_API"]
os.environ.pop("KUBERNETES_SERVICE_HOST", None)
nowhere = run_single(["label", results, "--apply"])
expect(nowhere.returncode == 2 and "not in a Kubernetes pod" in nowhere.stderr, "no API: exit 2 saying so")
server.shutdown()
print("PASS")
