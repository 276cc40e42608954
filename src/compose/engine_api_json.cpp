#include "api/http/message.h"
#include "base/json.h"
#include "base/strings.h"
#include "compose/engine_api.h"
#include "model/container_json.h"
#include "model/network_json.h"
#include "model/volume_json.h"

namespace berth::compose {

namespace {

Status expect(const Result<api::ClientResponse>& resp, std::initializer_list<int> ok) {
  if (!resp.ok()) return resp.error();
  for (int s : ok) {
    if (resp->status == s) return ok_status();
  }
  return api::Client::response_error(resp->status, resp->body);
}

}  // namespace

std::string label_filters(const std::vector<std::string>& labels) {
  Json f = Json::object();
  f["label"] = labels;
  return api::http::percent_encode(dump_json(f));
}

Result<api::ClientResponse> EngineApi::call(const std::string& method, const std::string& path,
                                            const std::string& body) {
  return client_.request(method, path, body);
}

Result<std::vector<model::ContainerSummary>> EngineApi::list_containers(
    const std::vector<std::string>& labels) {
  auto resp = call("GET", "/containers/json?all=1&filters=" + label_filters(labels));
  BERTH_TRY(expect(resp, {200}));
  BERTH_TRY_ASSIGN(
      auto list, model::parse<model::List<model::ContainerSummary>>(resp->body, "container list"));
  return std::vector<model::ContainerSummary>(list.begin(), list.end());
}

Result<std::string> EngineApi::create_container(const std::string& name,
                                                const model::ContainerCreateRequest& request) {
  auto resp = call("POST", "/containers/create?name=" + api::http::percent_encode(name),
                   model::dump(request));
  BERTH_TRY(expect(resp, {201, 200}));
  BERTH_TRY_ASSIGN(auto created,
                   model::parse<model::ContainerCreateResponse>(resp->body, "create response"));
  return created.id;
}

Result<model::ContainerInspectResponse> EngineApi::inspect_container(const std::string& id) {
  auto resp = call("GET", "/containers/" + id + "/json");
  BERTH_TRY(expect(resp, {200}));
  return model::parse<model::ContainerInspectResponse>(resp->body, "container inspect");
}

Status EngineApi::start_container(const std::string& id) {
  return expect(call("POST", "/containers/" + id + "/start"), {204, 304});
}

Status EngineApi::stop_container(const std::string& id, int timeout) {
  std::string q = timeout >= 0 ? "?t=" + std::to_string(timeout) : "";
  return expect(call("POST", "/containers/" + id + "/stop" + q), {204, 304});
}

Status EngineApi::restart_container(const std::string& id, int timeout) {
  std::string q = timeout >= 0 ? "?t=" + std::to_string(timeout) : "";
  return expect(call("POST", "/containers/" + id + "/restart" + q), {204});
}

Status EngineApi::kill_container(const std::string& id, const std::string& signal) {
  std::string q = signal.empty() ? "" : "?signal=" + api::http::percent_encode(signal);
  return expect(call("POST", "/containers/" + id + "/kill" + q), {204});
}

Status EngineApi::pause_container(const std::string& id, bool pause) {
  return expect(call("POST", "/containers/" + id + (pause ? "/pause" : "/unpause")), {204});
}

Status EngineApi::remove_container(const std::string& id, bool force, bool volumes) {
  return expect(call("DELETE", "/containers/" + id + "?force=" + (force ? "1" : "0") +
                                   "&v=" + (volumes ? "1" : "0")),
                {204});
}

Status EngineApi::rename_container(const std::string& id, const std::string& name) {
  return expect(
      call("POST", "/containers/" + id + "/rename?name=" + api::http::percent_encode(name)), {204});
}

Status EngineApi::connect_network(const std::string& network, const std::string& container,
                                  const model::EndpointSettings& endpoint) {
  model::NetworkConnectRequest req;
  req.container = container;
  req.endpoint_config = endpoint;
  return expect(call("POST", "/networks/" + network + "/connect", model::dump(req)), {200});
}

Result<int64_t> EngineApi::wait_container(const std::string& id) {
  auto resp = call("POST", "/containers/" + id + "/wait?condition=not-running");
  BERTH_TRY(expect(resp, {200}));
  BERTH_TRY_ASSIGN(Json j, parse_json(resp->body, "wait response"));
  return j.value("StatusCode", static_cast<int64_t>(0));
}

Result<std::vector<model::Network>> EngineApi::list_networks(
    const std::vector<std::string>& labels) {
  auto resp = call("GET", "/networks?filters=" + label_filters(labels));
  BERTH_TRY(expect(resp, {200}));
  BERTH_TRY_ASSIGN(auto list, model::parse<model::List<model::Network>>(resp->body, "networks"));
  return std::vector<model::Network>(list.begin(), list.end());
}

Result<model::Network> EngineApi::inspect_network(const std::string& name) {
  auto resp = call("GET", "/networks/" + api::http::percent_encode(name));
  BERTH_TRY(expect(resp, {200}));
  return model::parse<model::Network>(resp->body, "network inspect");
}

Status EngineApi::create_network(const model::NetworkCreateRequest& request) {
  return expect(call("POST", "/networks/create", model::dump(request)), {201, 200});
}

Status EngineApi::remove_network(const std::string& name) {
  return expect(call("DELETE", "/networks/" + api::http::percent_encode(name)), {204, 200});
}

Result<std::vector<model::Volume>> EngineApi::list_volumes(const std::vector<std::string>& labels) {
  auto resp = call("GET", "/volumes?filters=" + label_filters(labels));
  BERTH_TRY(expect(resp, {200}));
  BERTH_TRY_ASSIGN(auto list, model::parse<model::VolumeListResponse>(resp->body, "volumes"));
  return std::vector<model::Volume>(list.volumes.begin(), list.volumes.end());
}

Result<model::Volume> EngineApi::inspect_volume(const std::string& name) {
  auto resp = call("GET", "/volumes/" + api::http::percent_encode(name));
  BERTH_TRY(expect(resp, {200}));
  return model::parse<model::Volume>(resp->body, "volume inspect");
}

Status EngineApi::create_volume(const model::VolumeCreateOptions& request) {
  return expect(call("POST", "/volumes/create", model::dump(request)), {201, 200});
}

Status EngineApi::remove_volume(const std::string& name) {
  return expect(call("DELETE", "/volumes/" + api::http::percent_encode(name)), {204});
}

Result<bool> EngineApi::image_exists(const std::string& image) {
  auto resp = call("GET", "/images/" + image + "/json");
  if (!resp.ok()) return resp.error();
  if (resp->status == 404) return false;
  BERTH_TRY(expect(resp, {200}));
  return true;
}

Status EngineApi::pull_image(const std::string& image) {
  std::string name = image, tag = "latest";
  size_t colon = image.rfind(':');
  if (colon != std::string::npos && image.find('/', colon) == std::string::npos) {
    name = image.substr(0, colon);
    tag = image.substr(colon + 1);
  }
  auto resp = client_.stream("POST", "/images/create?fromImage=" + api::http::percent_encode(name) +
                                         "&tag=" + api::http::percent_encode(tag));
  if (!resp.ok()) return resp.error();
  BERTH_TRY_ASSIGN(std::string body, resp->read_all());
  if (resp->status != 200) return api::Client::response_error(resp->status, body);
  // Errors arrive inside the stream as {"error": ...} lines.
  for (const auto& line : split(body, '\n')) {
    auto j = parse_json(line, "pull");
    if (j.ok() && j->contains("error"))
      return make_error(Code::kNotFound, json_string(*j, "error"));
  }
  return ok_status();
}

}  // namespace berth::compose
