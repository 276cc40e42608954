// The Engine API calls Compose makes, typed (model:: structs in and out).  One api::Client per
// EngineApi; the client is not thread-safe, so parallel work copies the EngineApi (cheap: a host
// and a version prefix).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "api/client/client.h"
#include "base/error.h"
#include "model/container.h"
#include "model/network.h"
#include "model/volume.h"

namespace berth::compose {

class EngineApi {
 public:
  explicit EngineApi(api::Client client) : client_(std::move(client)) {}

  // Containers with every label of `labels` ("k=v" or "k"); all states.
  Result<std::vector<model::ContainerSummary>> list_containers(
      const std::vector<std::string>& labels);
  Result<std::string> create_container(const std::string& name,
                                       const model::ContainerCreateRequest& request);
  Result<model::ContainerInspectResponse> inspect_container(const std::string& id);
  Status start_container(const std::string& id);
  // `timeout` < 0: the container's own stop timeout.
  Status stop_container(const std::string& id, int timeout = -1);
  Status restart_container(const std::string& id, int timeout = -1);
  Status kill_container(const std::string& id, const std::string& signal = "");
  Status pause_container(const std::string& id, bool pause);
  Status remove_container(const std::string& id, bool force, bool volumes);
  Status rename_container(const std::string& id, const std::string& name);
  Status connect_network(const std::string& network, const std::string& container,
                         const model::EndpointSettings& endpoint);
  // Waits for the container to stop; its exit code.
  Result<int64_t> wait_container(const std::string& id);

  Result<std::vector<model::Network>> list_networks(const std::vector<std::string>& labels);
  // NotFound when absent.
  Result<model::Network> inspect_network(const std::string& name);
  Status create_network(const model::NetworkCreateRequest& request);
  Status remove_network(const std::string& name);

  Result<std::vector<model::Volume>> list_volumes(const std::vector<std::string>& labels);
  Result<model::Volume> inspect_volume(const std::string& name);
  Status create_volume(const model::VolumeCreateOptions& request);
  Status remove_volume(const std::string& name);

  // True when the image is there; pulls it when `pull` and absent.
  Result<bool> image_exists(const std::string& image);
  Status pull_image(const std::string& image);

  api::Client& client() { return client_; }

 private:
  Result<api::ClientResponse> call(const std::string& method, const std::string& path,
                                   const std::string& body = "");
  api::Client client_;
};

// `{"label":["a=b"]}` percent-encoded, for the filters query.
std::string label_filters(const std::vector<std::string>& labels);

}  // namespace berth::compose
