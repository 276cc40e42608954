// berth network SUBCOMMAND: create, ls, inspect, rm, prune, connect, disconnect — Engine API
// clients of /networks, printing what docker prints.
#include <algorithm>

#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "cli/flags/filters.h"
#include "cli/flags/usage.h"
#include "cli/format/format.h"
#include "cli/format/list_format.h"
#include "cli/format/template.h"
#include "cli/objects/object_commands.h"
#include "model/network_json.h"

namespace berth::cli {

namespace {

std::string enc(const std::string& s) { return api::http::percent_encode(s); }

int network_create(Context& ctx, const Args& args) {
  const char* usage = "network create [OPTIONS] NETWORK";
  Flags flags;
  flags.add_string("driver", 'd', "bridge", "Driver to manage the Network");
  flags.add_list("subnet", 0, "Subnet in CIDR format that represents a network segment");
  flags.add_list("gateway", 0, "IPv4 or IPv6 Gateway for the master subnet");
  flags.add_list("ip-range", 0, "Allocate container ip from a sub-range");
  flags.add_bool("internal", 0, "Restrict external access to the network");
  flags.add_bool("attachable", 0, "Enable manual container attachment");
  flags.add_bool("ipv6", 0, "Enable or disable IPv6 networking");
  flags.add_list("label", 0, "Set metadata on a network");
  flags.add_list("opt", 'o', "Set driver specific options");
  flags.add_string("ipam-driver", 0, "default", "IP Address Management Driver");
  int rc = parse_flags(flags, "network create", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 1) return args_error("network create", usage, "requires 1 argument");
  const auto& subnets = flags.get_list("subnet");
  const auto& gateways = flags.get_list("gateway");
  const auto& ranges = flags.get_list("ip-range");
  if (gateways.size() > subnets.size() || ranges.size() > subnets.size()) {
    print_error(gateways.size() > subnets.size()
                    ? "no matching subnet for gateway " + gateways[subnets.size()]
                    : "no matching subnet for range " + ranges[subnets.size()]);
    return 1;
  }
  model::NetworkCreateRequest body;
  body.name = flags.args()[0];
  body.driver = flags.get_string("driver");
  body.internal = flags.get_bool("internal");
  body.attachable = flags.get_bool("attachable");
  model::IPAM& ipam = body.ipam.emplace();
  ipam.driver = flags.get_string("ipam-driver");
  ipam.config.set_empty();
  ipam.options.set_empty();
  for (size_t i = 0; i < subnets.size(); ++i) {
    model::IPAMConfig& c = ipam.config.emplace_back();
    c.subnet = subnets[i];
    if (i < ranges.size()) c.ip_range = ranges[i];
    if (i < gateways.size()) c.gateway = gateways[i];
  }
  body.options.set_empty();
  body.labels.set_empty();
  for (const auto& l : flags.get_list("label")) add_key_value(body.labels, l);
  for (const auto& o : flags.get_list("opt")) add_key_value(body.options, o);
  if (flags.changed("ipv6")) body.enable_ipv6 = flags.get_bool("ipv6");
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call("POST", "/networks/create", model::dump(body));
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto created = decode_body<model::NetworkCreateResponse>(resp->body, "network create response");
  if (!created.ok()) return 1;
  (void)write_all(1, created->id + "\n");
  return 0;
}

// A row of `network ls` as its template sees it (docker's networkContext).
OrderedJson network_context(const model::Network& n, bool trunc) {
  OrderedJson row;
  row["ID"] = trunc ? truncate_id(n.id) : n.id;
  row["Name"] = n.name;
  row["Driver"] = n.driver;
  row["Scope"] = n.scope;
  row["IPv6"] = n.enable_ipv6 ? "true" : "false";
  row["Internal"] = n.internal ? "true" : "false";
  row["Labels"] = join_labels(n.labels);
  row["CreatedAt"] = n.created;
  return row;
}

int network_ls(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("quiet", 'q', "Only display network IDs");
  flags.add_bool("no-trunc", 0, "Do not truncate the output");
  flags.add_list("filter", 'f', "Provide filter values (e.g. \"driver=bridge\")");
  flags.add_string("format", 0, "", "Format output using a custom template");
  int rc = parse_flags(flags, "network ls", "network ls [OPTIONS]", args);
  if (rc >= 0) return rc;
  auto filters = filters_query(flags.get_list("filter"));
  if (!filters.ok()) return flag_error("network ls", filters.error());
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call("GET", "/networks" + (filters->empty() ? "" : "?" + *filters));
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto nets = decode_body<model::List<model::Network>>(resp->body, "network list");
  if (!nets.ok()) return 1;
  std::sort(nets->begin(), nets->end(),
            [](const model::Network& a, const model::Network& b) { return a.name < b.name; });
  bool trunc = !flags.get_bool("no-trunc");
  std::vector<OrderedJson> rows;
  for (const model::Network& n : *nets) rows.push_back(network_context(n, trunc));
  std::string format = flags.get_string("format");
  if (flags.get_bool("quiet")) format = "{{.ID}}";
  OrderedJson header = {{"ID", "NETWORK ID"}, {"Name", "NAME"},           {"Driver", "DRIVER"},
                        {"Scope", "SCOPE"},   {"IPv6", "IPV6"},           {"Internal", "INTERNAL"},
                        {"Labels", "LABELS"}, {"CreatedAt", "CREATED AT"}};
  ListFormat lf{format, "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}", header,
                "*network.networkContext"};
  return print_list(lf, rows);
}

int network_inspect(Context& ctx, const Args& args) {
  const char* usage = "network inspect [OPTIONS] NETWORK [NETWORK...]";
  Flags flags;
  flags.add_string("format", 'f', "", "Format output using a custom template");
  flags.add_bool("verbose", 'v', "Verbose output for diagnostics");
  int rc = parse_flags(flags, "network inspect", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().empty())
    return args_error("network inspect", usage, "requires at least 1 argument");
  return inspect_each(ctx, "/networks/", flags);
}

int network_rm(Context& ctx, const Args& args) {
  const char* usage = "network rm NETWORK [NETWORK...]";
  Flags flags;
  flags.add_bool("force", 'f', "Do not error if the network does not exist");
  int rc = parse_flags(flags, "network rm", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().empty()) return args_error("network rm", usage, "requires at least 1 argument");
  if (!ctx.connect().ok()) return 1;
  int status = 0;
  for (const std::string& name : flags.args()) {
    auto resp = ctx.call("DELETE", "/networks/" + enc(name));
    if (!resp.ok()) return 1;
    if (!is_success(resp->status)) {
      if (resp->status == 404 && flags.get_bool("force")) continue;
      print_daemon_error(*resp);
      status = 1;
      continue;
    }
    (void)write_all(1, name + "\n");
  }
  // docker returns cli.StatusError{StatusCode: 1}, which its main prints.
  if (status != 0) print_error("exit status 1");
  return status;
}

int network_prune(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("force", 'f', "Do not prompt for confirmation");
  flags.add_list("filter", 0, "Provide filter values (e.g. \"until=<timestamp>\")");
  int rc = parse_flags(flags, "network prune", "network prune [OPTIONS]", args);
  if (rc >= 0) return rc;
  auto filters = filters_query(flags.get_list("filter"), "--filter");
  if (!filters.ok()) return flag_error("network prune", filters.error());
  PruneCommand command{"/networks/prune",
                       *filters,
                       "WARNING! This will remove all custom networks not used by at least one "
                       "container.\nAre you sure you want to continue?",
                       decode_network_prune,
                       "Deleted Networks:",
                       false};
  return prune_after_confirm(ctx, command, flags.get_bool("force"));
}

int network_connect(Context& ctx, const Args& args, bool connect) {
  std::string cmd = connect ? "network connect" : "network disconnect";
  std::string usage = cmd + " [OPTIONS] NETWORK CONTAINER";
  Flags flags;
  if (connect) {
    flags.add_string("ip", 0, "", "IPv4 address (e.g., \"172.30.100.104\")");
    flags.add_string("ip6", 0, "", "IPv6 address (e.g., \"2001:db8::33\")");
    flags.add_list("alias", 0, "Add network-scoped alias for the container");
    flags.add_list("link", 0, "Add link to another container");
    flags.add_list("link-local-ip", 0, "Add a link-local address for the container");
    flags.add_list("driver-opt", 0, "driver options for the network");
  } else {
    flags.add_bool("force", 'f', "Force the container to disconnect from a network");
  }
  int rc = parse_flags(flags, cmd, usage, args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 2) return args_error(cmd, usage, "requires 2 arguments");
  std::string body;
  if (connect) {
    model::NetworkConnectRequest req;
    req.container = flags.args()[1];
    model::EndpointSettings& ep = req.endpoint_config.emplace();
    model::EndpointIPAMConfig ipam;
    ipam.ipv4_address = flags.get_string("ip");
    ipam.ipv6_address = flags.get_string("ip6");
    ipam.link_local_ips = flags.get_list("link-local-ip");
    if (!ipam.ipv4_address.empty() || !ipam.ipv6_address.empty() || !ipam.link_local_ips.empty())
      ep.ipam_config = std::move(ipam);
    if (!flags.get_list("alias").empty()) ep.aliases = flags.get_list("alias");
    if (!flags.get_list("link").empty()) ep.links = flags.get_list("link");
    for (const auto& o : flags.get_list("driver-opt")) add_key_value(ep.driver_opts, o);
    body = model::dump(req);
  } else {
    model::NetworkDisconnectRequest req;
    req.container = flags.args()[1];
    req.force = flags.get_bool("force");
    body = model::dump(req);
  }
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call(
      "POST", "/networks/" + enc(flags.args()[0]) + (connect ? "/connect" : "/disconnect"), body);
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  return 0;
}

}  // namespace

int cmd_network(Context& ctx, const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (void)write_all(1,
                    "\nUsage:  berth network COMMAND\n\nManage networks\n\nCommands:\n"
                    "  connect     Connect a container to a network\n"
                    "  create      Create a network\n"
                    "  disconnect  Disconnect a container from a network\n"
                    "  inspect     Display detailed information on one or more networks\n"
                    "  ls          List networks\n"
                    "  prune       Remove all unused networks\n"
                    "  rm          Remove one or more networks\n");
    return 0;
  }
  Args rest(args.begin() + 1, args.end());
  const std::string& sub = args[0];
  if (sub == "create") return network_create(ctx, rest);
  if (sub == "ls" || sub == "list") return network_ls(ctx, rest);
  if (sub == "inspect") return network_inspect(ctx, rest);
  if (sub == "rm" || sub == "remove") return network_rm(ctx, rest);
  if (sub == "prune") return network_prune(ctx, rest);
  if (sub == "connect") return network_connect(ctx, rest, true);
  if (sub == "disconnect") return network_connect(ctx, rest, false);
  print_error("berth: 'network " + sub + "' is not a berth command.\nSee 'berth network --help'");
  return 1;
}

}  // namespace berth::cli
