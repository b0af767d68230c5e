// The few Kubernetes API calls railcheck makes (read a node, patch a node), over HTTPS with the pod's service
// account: its token as a bearer token, its CA to check the API server. A fake server stands in for it in tests.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace railcheck::fleet {

class KubeApi {
 public:
  virtual ~KubeApi() = default;
  /// GET /api/v1/nodes/<name>; nullopt-like: a null json when the node does not exist (404). Throws Error for
  /// any other failure, with the API server's message.
  virtual nlohmann::json get_node(const std::string& name) = 0;
  /// PATCH /api/v1/nodes/<name> with a JSON merge patch. Returns the HTTP status (200, or 409 on a
  /// resourceVersion conflict); throws Error for any other failure.
  virtual int patch_node(const std::string& name, const nlohmann::json& merge_patch) = 0;
  /// The node a pod of this job's namespace runs on (GET /api/v1/namespaces/<ns>/pods/<name>: spec.nodeName);
  /// "" when there is no such pod. A rank's host name is its pod's name unless the pod uses the host's network.
  virtual std::string node_of_pod(const std::string& pod) = 0;
};

/// Where the API server is and how to reach it: in a pod, from KUBERNETES_SERVICE_HOST / _PORT and the service
/// account directory (/var/run/secrets/kubernetes.io/serviceaccount: token, ca.crt, namespace); RAILCHECK_KUBE_API (a
/// URL) and RAILCHECK_KUBE_SA_DIR override both (tests, or a run outside the cluster).
struct KubeConnection {
  std::string base_url;    ///< "https://10.96.0.1:443"
  std::string token;       ///< the service account's bearer token
  std::string ca_file;     ///< the CA that signed the API server's certificate
  std::string namespace_;  ///< the pod's namespace (the service account's "namespace" file; "" unknown)
  double timeout_s = 15.0;
};

/// The connection of this pod; throws InputError naming what is missing (not in a pod, no token).
KubeConnection in_cluster_connection();

/// The real client (libcurl).
std::unique_ptr<KubeApi> make_kube_api(const KubeConnection& connection);

}  // namespace railcheck::fleet
