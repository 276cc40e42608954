// What the inspect and prune commands of containers, images, networks and volumes share, so each
// kind's command keeps only its flags, paths and texts.
#pragma once

#include <string>
#include <vector>

#include "cli/context.h"
#include "cli/flags/flags.h"
#include "cli/format/template.h"
#include "model/list.h"

namespace berth::cli {

// --label / --opt / --driver-opt "key=value" into the map; a bare key gets "".
void add_key_value(model::Map<std::string>& map, const std::string& kv);

// Prints inspected objects as docker does: `-f/--format` rendered once per object, else one JSON
// array indented by 4 spaces in the daemon's key order; then each error. Returns the exit code.
int print_inspected(const std::vector<OrderedJson>& found, const std::vector<std::string>& errors,
                    const Flags& flags);

// `network inspect` / `volume inspect`: GET path_prefix + name for every argument.
int inspect_each(Context& ctx, const std::string& path_prefix, const Flags& flags);

// What a prune reply says, whatever the kind: the names or IDs deleted and the bytes freed.
struct PruneReport {
  std::vector<std::string> deleted;
  uint64_t space_reclaimed = 0;
};
// Decodes one kind's prune reply (model::ContainerPruneResponse, ...); prints its errors.
using PruneReplyDecoder = Result<PruneReport> (*)(const std::string& body);
Result<PruneReport> decode_container_prune(const std::string& body);
Result<PruneReport> decode_network_prune(const std::string& body);
Result<PruneReport> decode_volume_prune(const std::string& body);

struct PruneCommand {
  std::string path;          // "/containers/prune"
  std::string query;         // encoded filters ("filters=...") or ""
  std::string warning;       // the confirmation question
  PruneReplyDecoder decode;  // decode_container_prune, ...
  std::string heading;       // "Deleted Containers:"
  bool reports_space;        // docker prints "Total reclaimed space" (not for networks)
};

// Asks unless --force was given, POSTs the prune and prints what docker prints.
int prune_after_confirm(Context& ctx, const PruneCommand& command, bool force);

}  // namespace berth::cli
