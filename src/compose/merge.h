// The Compose Specification's merge rules, for `-f a.yaml -f b.yaml` and for `extends`:
// mappings merge key by key; `command`, `entrypoint` and `healthcheck.test` are replaced;
// list-or-map keys (environment, labels, depends_on, networks, ...) are merged as maps; volumes
// merge by container path, secrets and configs by source; other sequences are appended without
// duplicates; `!reset` removes a value and `!override` replaces it whole.
#pragma once

#include "compose/node.h"

namespace berth::compose {

// Merges the top level of one Compose file into another.
Node merge_documents(const Node& base, const Node& over);
// Merges one service definition into another.
Node merge_service(const Node& base, const Node& over);
// "K=V" lists to maps (environment: K: V, a bare K: null; labels: a bare k: ""), other
// list-or-map keys likewise; string `build` to {context}; depends_on list to conditions.
// Applied before merging, and by normalisation.
void listish_to_maps(Node* service);
// `volumes` short or long entry -> its container path; a secret or config -> its source.
std::string volume_target(const Node& entry);

}  // namespace berth::compose
