// docker ps's formatter.ContainerContext as JSON: the computed fields a --format template reads
// (.ID, .Names, .Command, .RunningFor, .Status, .Ports, .Size, .Labels, .Label "k", .CreatedAt,
// .State, .Image, .Mounts, .LocalVolumes, .Networks), in the sorted order {{json .}} prints.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli/format/template.h"
#include "model/container.h"

namespace berth::cli {

inline constexpr const char* kPsDefaultTable =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
inline constexpr const char* kPsType = "*formatter.ContainerContext";

// The fields a template body reads ("{{.Names}}" -> Names), so rows hold only what is printed
// (`ps -a` with 1,000 containers spent a third of its time on fields no column showed).  `all`
// when the body reads `.` itself ({{json .}}, {{index . "x"}}): every field then.
struct PsFields {
  bool all = true;
  std::set<std::string, std::less<>> names;  // transparent: wants() makes no std::string
  bool wants(std::string_view field) const { return all || names.find(field) != names.end(); }
};
PsFields ps_fields(const std::string& body);

// One row of the default `docker ps` table (ID IMAGE COMMAND CREATED STATUS PORTS NAMES) from an
// item of GET /containers/json.
std::vector<std::string> ps_row(const model::ContainerSummary& c, bool trunc, int64_t now_unix);
// Docker's PORTS column: "0.0.0.0:8080->80/tcp, 53/udp".
std::string format_ports(const model::List<model::Port>& ports);
// The template's view of one item of GET /containers/json.
OrderedJson ps_context(const model::ContainerSummary& container, bool trunc, int64_t now_unix,
                       const PsFields& fields = {});
OrderedJson ps_header_context();
// Go's time.Time.String() in the local zone: "2024-05-01 10:00:00 +0000 UTC".
std::string go_time_string(int64_t unix_seconds);

}  // namespace berth::cli
