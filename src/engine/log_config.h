// A container's logging: HostConfig.LogConfig as dockerd merges and validates it at create
// (the daemon's --log-driver/--log-opt defaults, each driver's known options, with Docker's error
// texts), and what that means on disk: the driver's file, its rotation, whether it can be read.
// Drivers: json-file (Docker's default), local (Docker's length-prefixed protobuf records), none.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/error.h"
#include "model/container.h"

namespace berth::engine {

using LogOpts = std::map<std::string, std::string>;

// dockerd's default LogConfig (--log-driver, --log-opt, daemon.json log-driver/log-opts).
struct LogDefaults {
  std::string driver = "json-file";
  LogOpts opts;
};

// Docker's ValidateLogOpts plus the checks each driver makes of its values; InvalidArgument
// with dockerd's words ("unknown log opt 'foo' for json-file log driver", "invalid size: 'x'").
Status validate_log_config(const std::string& driver, const LogOpts& opts);

// dockerd's mergeAndVerifyLogConfig on HostConfig.LogConfig: an empty Type takes the daemon's
// driver, the daemon's options fill keys the container left out when the driver is the same,
// then the result is validated.  Writes the merged LogConfig back (inspect shows it).
Status merge_log_config(model::HostConfig& host_config, const LogDefaults& defaults);

// What the shim writes and berthd reads, derived from a merged LogConfig.
struct LogFile {
  std::string driver;  // json-file | local | none
  std::string path;    // "" for none
  int64_t max_size = -1;
  int max_files = 1;
};
// REQUIRES: host_config passed merge_log_config (a record from before drivers existed, with no
// LogConfig, means json-file without rotation).
LogFile log_file(const model::HostConfig& host_config, const std::string& container_dir,
                 const std::string& id);

// NotImplemented "configured logging driver does not support reading" for drivers that keep
// nothing (none).
Status check_log_readable(const model::HostConfig& host_config);

// go-units FromHumanSize (decimal: "10m" = 10,000,000), Docker's errors.
Result<int64_t> parse_human_size(const std::string& text);

}  // namespace berth::engine
