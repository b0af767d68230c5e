#include "railcheck/fleet/kube_api.h"

#include <curl/curl.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "railcheck/core/error.h"

namespace railcheck::fleet {
namespace {

std::string read_text(const std::string& path, const std::string& what) {
  std::ifstream in(path);
  if (!in) {
    throw InputError(what + " " + path +
                     " cannot be read; run inside a pod with a service account (rbac.yaml), or "
                     "set RAILCHECK_KUBE_SA_DIR");
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

class CurlKubeApi final : public KubeApi {
 public:
  explicit CurlKubeApi(KubeConnection c) : c_(std::move(c)) {
    static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!initialized) throw Error("libcurl could not be initialized");
  }

  nlohmann::json get_node(const std::string& name) override {
    const auto [status, body] = request("GET", "/api/v1/nodes/" + name, "");
    if (status == 404) return nullptr;
    if (status != 200) fail("GET node " + name, status, body);
    return nlohmann::json::parse(body);
  }

  std::string node_of_pod(const std::string& pod) override {
    if (c_.namespace_.empty()) return "";
    const auto [status, body] = request("GET", "/api/v1/namespaces/" + c_.namespace_ + "/pods/" + pod, "");
    if (status == 404) return "";
    if (status != 200) fail("GET pod " + pod, status, body);
    const nlohmann::json p = nlohmann::json::parse(body);
    return p.contains("spec") ? p.at("spec").value("nodeName", std::string()) : std::string();
  }

  int patch_node(const std::string& name, const nlohmann::json& patch) override {
    const auto [status, body] = request("PATCH", "/api/v1/nodes/" + name, patch.dump());
    if (status != 200 && status != 409) fail("PATCH node " + name, status, body);
    return status;
  }

 private:
  [[noreturn]] static void fail(const std::string& what, long status, const std::string& body) {
    std::string message = body;
    try {
      message = nlohmann::json::parse(body).value("message", body);
    } catch (const nlohmann::json::exception&) {
    }
    throw Error("Kubernetes API: " + what + ": HTTP " + std::to_string(status) + ": " + message +
                (status == 403 ? " (the service account needs rbac.yaml's railcheck-node-labeller role)" : ""));
  }

  std::pair<long, std::string> request(const std::string& method, const std::string& path, const std::string& body) {
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) throw Error("libcurl: cannot create a handle");
    std::unique_ptr<curl_slist, ListDeleter> headers;
    auto add_header = [&](const std::string& h) { headers.reset(curl_slist_append(headers.release(), h.c_str())); };
    add_header("Authorization: Bearer " + c_.token);
    add_header("Accept: application/json");
    if (method == "PATCH") add_header("Content-Type: application/merge-patch+json");
    std::string response;
    const std::string url = c_.base_url + path;
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (!body.empty()) curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(c_.timeout_s * 1000));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (!c_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, c_.ca_file.c_str());
    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) throw Error("Kubernetes API " + url + ": " + curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    return {status, response};
  }

  KubeConnection c_;
};

}  // namespace

KubeConnection in_cluster_connection() {
  KubeConnection c;
  const char* dir_env = std::getenv("RAILCHECK_KUBE_SA_DIR");
  const std::string dir = dir_env != nullptr ? dir_env : "/var/run/secrets/kubernetes.io/serviceaccount";
  if (const char* url = std::getenv("RAILCHECK_KUBE_API"); url != nullptr && *url != '\0') {
    c.base_url = url;
  } else {
    const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
    const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
    if (host == nullptr || port == nullptr) {
      throw InputError(
          "not in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set); label from a pod of the job, "
          "or set RAILCHECK_KUBE_API");
    }
    const std::string h = host;
    c.base_url = "https://" + (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + port;
  }
  c.token = read_text(dir + "/token", "service account token");
  c.ca_file = dir + "/ca.crt";
  std::ifstream ns(dir + "/namespace");
  std::getline(ns, c.namespace_);
  return c;
}

std::unique_ptr<KubeApi> make_kube_api(const KubeConnection& connection) {
  return std::make_unique<CurlKubeApi>(connection);
}

}  // namespace railcheck::fleet
