// docker ps's formatter.ContainerContext as JSON: the computed fields a --format template reads
// (.ID, .Names, .Command, .RunningFor, .Status, .Ports, .Size, .Labels, .Label "k", .CreatedAt,
// .State, .Image, .Mounts, .LocalVolumes, .Networks), in the sorted order {{json .}} prints.
#pragma once

#include <cstdint>
#include <string>

#include "base/json.h"
#include "cli/template.h"

namespace berth::cli {

inline constexpr const char* kPsDefaultTable =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
inline constexpr const char* kPsType = "*formatter.ContainerContext";

// One item of GET /containers/json.
OrderedJson ps_context(const Json& container, bool trunc, int64_t now_unix);
OrderedJson ps_header_context();
// Go's time.Time.String() in the local zone: "2024-05-01 10:00:00 +0000 UTC".
std::string go_time_string(int64_t unix_seconds);

}  // namespace berth::cli
