// The create body of run/create against the body the code before the typed model sent (captured
// with that code, commit ce95e0f): every member it sent is sent with the same value, null vs []
// vs {} included.  What the model adds is Go's encoding of docker's own structs: HostConfig and
// EndpointSettings members the old code left out, all zero or null (the docker CLI sends them
// too), and Healthcheck durations and retries of 0 omitted (omitempty in Go's HealthConfig).
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "base/json.h"
#include "cli/container/container_config.h"

namespace berth::cli {
namespace {

struct BodyCase {
  bool run;
  std::vector<std::string> args;
};
std::vector<BodyCase> body_cases() {
  return {
      {true,
       {"-d",
        "--name",
        "web",
        "-e",
        "A=1",
        "-e",
        "GOLDEN_VAR",
        "-e",
        "UNSET_GOLDEN_VAR",
        "-l",
        "k=v",
        "-l",
        "x",
        "-p",
        "8080:80",
        "-p",
        "127.0.0.1:9000:9000/udp",
        "-p",
        "[::1]::53/udp",
        "-p",
        "81",
        "-p",
        "8081:80",
        "--expose",
        "7000",
        "--expose",
        "7001/udp",
        "-v",
        "/data",
        "-v",
        "/host:/ctr:ro",
        "--mount",
        "type=bind,src=/a,dst=/b,ro,bind-propagation=rshared",
        "--mount",
        "type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1777",
        "--mount",
        "type=volume,src=v,dst=/v,volume-nocopy,volume-driver=local,volume-opt=o=size=1m,"
        "volume-opt=type=tmpfs,volume-label=a=b,consistency=cached",
        "--mount",
        "dst=/anon",
        "--network",
        "mynet",
        "--dns",
        "1.1.1.1",
        "--dns-search",
        "x.com",
        "--dns-option",
        "ndots:2",
        "--restart",
        "on-failure:3",
        "--privileged",
        "--init",
        "--read-only",
        "--stop-signal",
        "SIGUSR1",
        "--stop-timeout",
        "5",
        "-m",
        "64m",
        "--memory-swap",
        "-1",
        "--memory-reservation",
        "32m",
        "--cpus",
        "1.5",
        "-c",
        "512",
        "--cpu-period",
        "100000",
        "--cpu-quota",
        "50000",
        "--cpuset-cpus",
        "0",
        "--cpuset-mems",
        "0",
        "--pids-limit",
        "100",
        "--blkio-weight",
        "300",
        "--ulimit",
        "nofile=1024:2048",
        "--ulimit",
        "nproc=10",
        "--shm-size",
        "128m",
        "--cap-add",
        "net_admin",
        "--cap-add",
        "CAP_SYS_TIME",
        "--cap-drop",
        "ALL",
        "--security-opt",
        "no-new-privileges",
        "--security-opt",
        "label=disable",
        "--security-opt",
        "apparmor:unconfined",
        "--security-opt",
        "seccomp=unconfined",
        "--tmpfs",
        "/run:size=1m",
        "--tmpfs",
        "/x",
        "--sysctl",
        "net.ipv4.ip_forward=1",
        "--device",
        "/dev/null",
        "--device",
        "/dev/zero:/dev/z:r",
        "--device",
        "/dev/fuse:rw",
        "--add-host",
        "h:1.2.3.4",
        "--add-host",
        "g=5.6.7.8",
        "--group-add",
        "audio",
        "--oom-kill-disable",
        "--oom-score-adj",
        "100",
        "--health-cmd",
        "true",
        "--health-interval",
        "5s",
        "--health-timeout",
        "2s",
        "--health-retries",
        "3",
        "--health-start-period",
        "1s",
        "--health-start-interval",
        "500ms",
        "--log-driver",
        "json-file",
        "--log-opt",
        "max-size=1m",
        "--log-opt",
        "max-file=2",
        "--ipc",
        "host",
        "--pid",
        "host",
        "--uts",
        "host",
        "--userns",
        "host",
        "--cgroupns",
        "private",
        "--cgroup-parent",
        "foo",
        "--runtime",
        "runc",
        "--entrypoint",
        "/bin/sh",
        "-w",
        "/tmp",
        "-u",
        "1000:1000",
        "-h",
        "box",
        "--domainname",
        "example.com",
        "busybox",
        "-c",
        "echo hi"}},
      {true, {"-it", "busybox"}},
      {true, {"-i", "--rm", "--network", "container:x", "busybox", "cat"}},
      {true, {"busybox", "true"}},
      {false, {"--no-healthcheck", "--network", "host", "-t", "busybox"}},
      {false,
       {"--net", "none", "--cgroupns", "host", "--pids-limit", "0", "--restart", "always",
        "--health-retries", "2", "--entrypoint", "", "busybox"}},
      {false, {"--restart", "unless-stopped", "--health-cmd", "x", "-p", "53:53/udp", "busybox"}},
      {false, {"--restart", "", "--network", "default", "busybox"}},
      {false, {"--restart", "no:2", "busybox"}},
      {false, {"--restart", ":1", "busybox"}},
      {false, {"--restart", "bogus", "busybox"}},
  };
}

// dump_json of the body the old code built, one per case.
const char* const
    kOldBodies[] = {R"json({"AttachStderr":false,"AttachStdin":false,"AttachStdout":false,"Cmd":["-c","echo hi"],"Domainname":"example.com","Entrypoint":["/bin/sh"],"Env":["A=1","GOLDEN_VAR=from-client"],"ExposedPorts":{"53/udp":{},"7000/tcp":{},"7001/udp":{},"80/tcp":{},"81/tcp":{},"9000/udp":{}},"Healthcheck":{"Interval":5000000000,"Retries":3,"StartInterval":500000000,"StartPeriod":1000000000,"Test":["CMD-SHELL","true"],"Timeout":2000000000},"HostConfig":{"AutoRemove":false,"Binds":["/host:/ctr:ro"],"BlkioWeight":300,"CapAdd":["CAP_NET_ADMIN","CAP_SYS_TIME"],"CapDrop":["ALL"],"Cgroup":"","CgroupParent":"foo","CgroupnsMode":"private","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":100000,"CpuQuota":50000,"CpuShares":512,"CpusetCpus":"0","CpusetMems":"0","Devices":[{"CgroupPermissions":"rwm","PathInContainer":"/dev/null","PathOnHost":"/dev/null"},{"CgroupPermissions":"r","PathInContainer":"/dev/z","PathOnHost":"/dev/zero"},{"CgroupPermissions":"rw","PathInContainer":"/dev/fuse","PathOnHost":"/dev/fuse"}],"Dns":["1.1.1.1"],"DnsOptions":["ndots:2"],"DnsSearch":["x.com"],"ExtraHosts":["h:1.2.3.4","g:5.6.7.8"],"GroupAdd":["audio"],"Init":true,"IpcMode":"host","Isolation":"","LogConfig":{"Config":{"max-file":"2","max-size":"1m"},"Type":"json-file"},"Memory":67108864,"MemoryReservation":33554432,"MemorySwap":-1,"Mounts":[{"BindOptions":{"Propagation":"rshared"},"ReadOnly":true,"Source":"/a","Target":"/b","Type":"bind"},{"Target":"/t","TmpfsOptions":{"Mode":1023,"SizeBytes":1048576},"Type":"tmpfs"},{"Consistency":"cached","Source":"v","Target":"/v","Type":"volume","VolumeOptions":{"DriverConfig":{"Name":"local","Options":{"o":"size=1m","type":"tmpfs"}},"Labels":{"a":"b"},"NoCopy":true}},{"Target":"/anon","Type":"volume"}],"NanoCpus":1500000000,"NetworkMode":"mynet","OomKillDisable":true,"OomScoreAdj":100,"PidMode":"host","PidsLimit":100,"PortBindings":{"53/udp":[{"HostIp":"::1","HostPort":""}],"80/tcp":[{"HostIp":"","HostPort":"8080"},{"HostIp":"","HostPort":"8081"}],"81/tcp":[{"HostIp":"","HostPort":""}],"9000/udp":[{"HostIp":"127.0.0.1","HostPort":"9000"}]},"Privileged":true,"PublishAllPorts":false,"ReadonlyRootfs":true,"RestartPolicy":{"MaximumRetryCount":3,"Name":"on-failure"},"Runtime":"runc","SecurityOpt":["no-new-privileges","label=disable","apparmor=unconfined","seccomp=unconfined"],"ShmSize":134217728,"Sysctls":{"net.ipv4.ip_forward":"1"},"Tmpfs":{"/run":"size=1m","/x":""},"UTSMode":"host","Ulimits":[{"Hard":2048,"Name":"nofile","Soft":1024},{"Hard":10,"Name":"nproc","Soft":10}],"UsernsMode":"host","VolumeDriver":"","VolumesFrom":null},"Hostname":"box","Image":"busybox","Labels":{"k":"v","x":""},"NetworkingConfig":{"EndpointsConfig":{"mynet":{}}},"OnBuild":null,"OpenStdin":false,"StdinOnce":false,"StopSignal":"SIGUSR1","StopTimeout":5,"Tty":false,"User":"1000:1000","Volumes":{"/data":{}},"WorkingDir":"/tmp"})json",
                    R"json({"AttachStderr":true,"AttachStdin":true,"AttachStdout":true,"Cmd":null,"Domainname":"","Entrypoint":null,"Env":null,"HostConfig":{"AutoRemove":false,"Binds":null,"BlkioWeight":0,"CapAdd":null,"CapDrop":null,"Cgroup":"","CgroupParent":"","CgroupnsMode":"","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":0,"CpuQuota":0,"CpuShares":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Isolation":"","LogConfig":{"Config":{},"Type":""},"Memory":0,"MemoryReservation":0,"MemorySwap":0,"NanoCpus":0,"NetworkMode":"default","OomKillDisable":false,"OomScoreAdj":0,"PidMode":"","PidsLimit":null,"PortBindings":{},"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"RestartPolicy":{"MaximumRetryCount":0,"Name":"no"},"SecurityOpt":null,"ShmSize":0,"UTSMode":"","Ulimits":null,"UsernsMode":"","VolumeDriver":"","VolumesFrom":null},"Hostname":"","Image":"busybox","Labels":{},"NetworkingConfig":{"EndpointsConfig":{}},"OnBuild":null,"OpenStdin":true,"StdinOnce":true,"Tty":true,"User":"","Volumes":null,"WorkingDir":""})json",
                    R"json({"AttachStderr":true,"AttachStdin":true,"AttachStdout":true,"Cmd":["cat"],"Domainname":"","Entrypoint":null,"Env":null,"HostConfig":{"AutoRemove":true,"Binds":null,"BlkioWeight":0,"CapAdd":null,"CapDrop":null,"Cgroup":"","CgroupParent":"","CgroupnsMode":"","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":0,"CpuQuota":0,"CpuShares":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Isolation":"","LogConfig":{"Config":{},"Type":""},"Memory":0,"MemoryReservation":0,"MemorySwap":0,"NanoCpus":0,"NetworkMode":"container:x","OomKillDisable":false,"OomScoreAdj":0,"PidMode":"","PidsLimit":null,"PortBindings":{},"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"RestartPolicy":{"MaximumRetryCount":0,"Name":"no"},"SecurityOpt":null,"ShmSize":0,"UTSMode":"","Ulimits":null,"UsernsMode":"","VolumeDriver":"","VolumesFrom":null},"Hostname":"","Image":"busybox","Labels":{},"NetworkingConfig":{"EndpointsConfig":{}},"OnBuild":null,"OpenStdin":true,"StdinOnce":true,"Tty":false,"User":"","Volumes":null,"WorkingDir":""})json",
                    R"json({"AttachStderr":true,"AttachStdin":false,"AttachStdout":true,"Cmd":["true"],"Domainname":"","Entrypoint":null,"Env":null,"HostConfig":{"AutoRemove":false,"Binds":null,"BlkioWeight":0,"CapAdd":null,"CapDrop":null,"Cgroup":"","CgroupParent":"","CgroupnsMode":"","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":0,"CpuQuota":0,"CpuShares":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Isolation":"","LogConfig":{"Config":{},"Type":""},"Memory":0,"MemoryReservation":0,"MemorySwap":0,"NanoCpus":0,"NetworkMode":"default","OomKillDisable":false,"OomScoreAdj":0,"PidMode":"","PidsLimit":null,"PortBindings":{},"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"RestartPolicy":{"MaximumRetryCount":0,"Name":"no"},"SecurityOpt":null,"ShmSize":0,"UTSMode":"","Ulimits":null,"UsernsMode":"","VolumeDriver":"","VolumesFrom":null},"Hostname":"","Image":"busybox","Labels":{},"NetworkingConfig":{"EndpointsConfig":{}},"OnBuild":null,"OpenStdin":false,"StdinOnce":false,"Tty":false,"User":"","Volumes":null,"WorkingDir":""})json",
                    R"json({"AttachStderr":false,"AttachStdin":false,"AttachStdout":false,"Cmd":null,"Domainname":"","Entrypoint":null,"Env":null,"Healthcheck":{"Test":["NONE"]},"HostConfig":{"AutoRemove":false,"Binds":null,"BlkioWeight":0,"CapAdd":null,"CapDrop":null,"Cgroup":"","CgroupParent":"","CgroupnsMode":"","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":0,"CpuQuota":0,"CpuShares":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Isolation":"","LogConfig":{"Config":{},"Type":""},"Memory":0,"MemoryReservation":0,"MemorySwap":0,"NanoCpus":0,"NetworkMode":"host","OomKillDisable":false,"OomScoreAdj":0,"PidMode":"","PidsLimit":null,"PortBindings":{},"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"RestartPolicy":{"MaximumRetryCount":0,"Name":"no"},"SecurityOpt":null,"ShmSize":0,"UTSMode":"","Ulimits":null,"UsernsMode":"","VolumeDriver":"","VolumesFrom":null},"Hostname":"","Image":"busybox","Labels":{},"NetworkingConfig":{"EndpointsConfig":{}},"OnBuild":null,"OpenStdin":false,"StdinOnce":false,"Tty":true,"User":"","Volumes":null,"WorkingDir":""})json",
                    R"json({"AttachStderr":false,"AttachStdin":false,"AttachStdout":false,"Cmd":null,"Domainname":"","Entrypoint":[""],"Env":null,"Healthcheck":{"Interval":0,"Retries":2,"StartInterval":0,"StartPeriod":0,"Timeout":0},"HostConfig":{"AutoRemove":false,"Binds":null,"BlkioWeight":0,"CapAdd":null,"CapDrop":null,"Cgroup":"","CgroupParent":"","CgroupnsMode":"host","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":0,"CpuQuota":0,"CpuShares":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Isolation":"","LogConfig":{"Config":{},"Type":""},"Memory":0,"MemoryReservation":0,"MemorySwap":0,"NanoCpus":0,"NetworkMode":"none","OomKillDisable":false,"OomScoreAdj":0,"PidMode":"","PidsLimit":null,"PortBindings":{},"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"RestartPolicy":{"MaximumRetryCount":0,"Name":"always"},"SecurityOpt":null,"ShmSize":0,"UTSMode":"","Ulimits":null,"UsernsMode":"","VolumeDriver":"","VolumesFrom":null},"Hostname":"","Image":"busybox","Labels":{},"NetworkingConfig":{"EndpointsConfig":{}},"OnBuild":null,"OpenStdin":false,"StdinOnce":false,"Tty":false,"User":"","Volumes":null,"WorkingDir":""})json",
                    R"json({"AttachStderr":false,"AttachStdin":false,"AttachStdout":false,"Cmd":null,"Domainname":"","Entrypoint":null,"Env":null,"ExposedPorts":{"53/udp":{}},"Healthcheck":{"Interval":0,"Retries":0,"StartInterval":0,"StartPeriod":0,"Test":["CMD-SHELL","x"],"Timeout":0},"HostConfig":{"AutoRemove":false,"Binds":null,"BlkioWeight":0,"CapAdd":null,"CapDrop":null,"Cgroup":"","CgroupParent":"","CgroupnsMode":"","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":0,"CpuQuota":0,"CpuShares":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Isolation":"","LogConfig":{"Config":{},"Type":""},"Memory":0,"MemoryReservation":0,"MemorySwap":0,"NanoCpus":0,"NetworkMode":"default","OomKillDisable":false,"OomScoreAdj":0,"PidMode":"","PidsLimit":null,"PortBindings":{"53/udp":[{"HostIp":"","HostPort":"53"}]},"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"RestartPolicy":{"MaximumRetryCount":0,"Name":"unless-stopped"},"SecurityOpt":null,"ShmSize":0,"UTSMode":"","Ulimits":null,"UsernsMode":"","VolumeDriver":"","VolumesFrom":null},"Hostname":"","Image":"busybox","Labels":{},"NetworkingConfig":{"EndpointsConfig":{}},"OnBuild":null,"OpenStdin":false,"StdinOnce":false,"Tty":false,"User":"","Volumes":null,"WorkingDir":""})json",
                    R"json({"AttachStderr":false,"AttachStdin":false,"AttachStdout":false,"Cmd":null,"Domainname":"","Entrypoint":null,"Env":null,"HostConfig":{"AutoRemove":false,"Binds":null,"BlkioWeight":0,"CapAdd":null,"CapDrop":null,"Cgroup":"","CgroupParent":"","CgroupnsMode":"","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":0,"CpuQuota":0,"CpuShares":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Isolation":"","LogConfig":{"Config":{},"Type":""},"Memory":0,"MemoryReservation":0,"MemorySwap":0,"NanoCpus":0,"NetworkMode":"default","OomKillDisable":false,"OomScoreAdj":0,"PidMode":"","PidsLimit":null,"PortBindings":{},"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"RestartPolicy":{"MaximumRetryCount":0,"Name":"no"},"SecurityOpt":null,"ShmSize":0,"UTSMode":"","Ulimits":null,"UsernsMode":"","VolumeDriver":"","VolumesFrom":null},"Hostname":"","Image":"busybox","Labels":{},"NetworkingConfig":{"EndpointsConfig":{}},"OnBuild":null,"OpenStdin":false,"StdinOnce":false,"Tty":false,"User":"","Volumes":null,"WorkingDir":""})json",
                    R"json({"AttachStderr":false,"AttachStdin":false,"AttachStdout":false,"Cmd":null,"Domainname":"","Entrypoint":null,"Env":null,"HostConfig":{"AutoRemove":false,"Binds":null,"BlkioWeight":0,"CapAdd":null,"CapDrop":null,"Cgroup":"","CgroupParent":"","CgroupnsMode":"","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":0,"CpuQuota":0,"CpuShares":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Isolation":"","LogConfig":{"Config":{},"Type":""},"Memory":0,"MemoryReservation":0,"MemorySwap":0,"NanoCpus":0,"NetworkMode":"default","OomKillDisable":false,"OomScoreAdj":0,"PidMode":"","PidsLimit":null,"PortBindings":{},"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"RestartPolicy":{"MaximumRetryCount":2,"Name":"no"},"SecurityOpt":null,"ShmSize":0,"UTSMode":"","Ulimits":null,"UsernsMode":"","VolumeDriver":"","VolumesFrom":null},"Hostname":"","Image":"busybox","Labels":{},"NetworkingConfig":{"EndpointsConfig":{}},"OnBuild":null,"OpenStdin":false,"StdinOnce":false,"Tty":false,"User":"","Volumes":null,"WorkingDir":""})json",
                    R"json({"AttachStderr":false,"AttachStdin":false,"AttachStdout":false,"Cmd":null,"Domainname":"","Entrypoint":null,"Env":null,"HostConfig":{"AutoRemove":false,"Binds":null,"BlkioWeight":0,"CapAdd":null,"CapDrop":null,"Cgroup":"","CgroupParent":"","CgroupnsMode":"","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":0,"CpuQuota":0,"CpuShares":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Isolation":"","LogConfig":{"Config":{},"Type":""},"Memory":0,"MemoryReservation":0,"MemorySwap":0,"NanoCpus":0,"NetworkMode":"default","OomKillDisable":false,"OomScoreAdj":0,"PidMode":"","PidsLimit":null,"PortBindings":{},"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"RestartPolicy":{"MaximumRetryCount":1,"Name":"no"},"SecurityOpt":null,"ShmSize":0,"UTSMode":"","Ulimits":null,"UsernsMode":"","VolumeDriver":"","VolumesFrom":null},"Hostname":"","Image":"busybox","Labels":{},"NetworkingConfig":{"EndpointsConfig":{}},"OnBuild":null,"OpenStdin":false,"StdinOnce":false,"Tty":false,"User":"","Volumes":null,"WorkingDir":""})json",
                    R"json({"AttachStderr":false,"AttachStdin":false,"AttachStdout":false,"Cmd":null,"Domainname":"","Entrypoint":null,"Env":null,"HostConfig":{"AutoRemove":false,"Binds":null,"BlkioWeight":0,"CapAdd":null,"CapDrop":null,"Cgroup":"","CgroupParent":"","CgroupnsMode":"","ConsoleSize":[0,0],"ContainerIDFile":"","CpuPeriod":0,"CpuQuota":0,"CpuShares":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"Dns":[],"DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Isolation":"","LogConfig":{"Config":{},"Type":""},"Memory":0,"MemoryReservation":0,"MemorySwap":0,"NanoCpus":0,"NetworkMode":"default","OomKillDisable":false,"OomScoreAdj":0,"PidMode":"","PidsLimit":null,"PortBindings":{},"Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,"RestartPolicy":{"MaximumRetryCount":0,"Name":"bogus"},"SecurityOpt":null,"ShmSize":0,"UTSMode":"","Ulimits":null,"UsernsMode":"","VolumeDriver":"","VolumesFrom":null},"Hostname":"","Image":"busybox","Labels":{},"NetworkingConfig":{"EndpointsConfig":{}},"OnBuild":null,"OpenStdin":false,"StdinOnce":false,"Tty":false,"User":"","Volumes":null,"WorkingDir":""})json"};

const std::set<std::string> kAddedZeroMembers = {
    "/HostConfig/BlkioDeviceReadBps",  "/HostConfig/BlkioDeviceReadIOps",
    "/HostConfig/BlkioDeviceWriteBps", "/HostConfig/BlkioDeviceWriteIOps",
    "/HostConfig/BlkioWeightDevice",   "/HostConfig/CpuCount",
    "/HostConfig/CpuPercent",          "/HostConfig/CpuRealtimePeriod",
    "/HostConfig/CpuRealtimeRuntime",  "/HostConfig/DeviceCgroupRules",
    "/HostConfig/DeviceRequests",      "/HostConfig/IOMaximumBandwidth",
    "/HostConfig/IOMaximumIOps",       "/HostConfig/Links",
    "/HostConfig/MaskedPaths",         "/HostConfig/MemorySwappiness",
    "/HostConfig/ReadonlyPaths"};

bool is_zero(const Json& v) {
  return v.is_null() || v == Json(0) || v == Json("") || v == Json(false);
}

// Compares `old` and `now` member by member; `path` is the JSON pointer of both.
void compare(const Json& old, const Json& now, const std::string& path) {
  if (old.is_object() && now.is_object()) {
    for (auto it = old.begin(); it != old.end(); ++it) {
      std::string at = path + "/" + it.key();
      if (!now.contains(it.key())) {
        // Go's omitempty on HealthConfig: the zero durations and retries are left out.
        EXPECT_TRUE(path == "/Healthcheck" && is_zero(it.value())) << "member gone: " << at;
        continue;
      }
      compare(it.value(), now[it.key()], at);
    }
    for (auto it = now.begin(); it != now.end(); ++it) {
      if (old.contains(it.key())) continue;
      std::string at = path + "/" + it.key();
      bool endpoint = path.rfind("/NetworkingConfig/EndpointsConfig/", 0) == 0;
      EXPECT_TRUE((kAddedZeroMembers.count(at) || endpoint) && is_zero(it.value()))
          << "member added: " << at << " = " << it.value().dump();
    }
    return;
  }
  if (old.is_array() && now.is_array() && old.size() == now.size()) {
    for (size_t i = 0; i < old.size(); ++i) compare(old[i], now[i], path + "/" + std::to_string(i));
    return;
  }
  EXPECT_EQ(old.dump(), now.dump()) << "at " << path;
}

TEST(CreateBody, SameMembersAsBeforeTheModel) {
  ::setenv("GOLDEN_VAR", "from-client", 1);
  ::unsetenv("UNSET_GOLDEN_VAR");
  auto cases = body_cases();
  ASSERT_EQ(cases.size(), std::size(kOldBodies));
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i));
    Flags f;
    add_container_flags(f, cases[i].run);
    ASSERT_TRUE(f.parse(cases[i].args, false).ok());
    auto spec = build_container_spec(f, cases[i].run);
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    auto now = parse_json(create_body_json(*spec), "new body");
    auto old = parse_json(kOldBodies[i], "old body");
    ASSERT_TRUE(now.ok() && old.ok());
    compare(*old, *now, "");
  }
}

// A value the model's enums do not know is still sent as given, for the daemon to refuse.
TEST(CreateBody, UnknownEnumValuesSentAsGiven) {
  Flags f;
  add_container_flags(f, false);
  ASSERT_TRUE(f.parse({"--restart", "bogus", "--cgroupns", "weird", "--mount",
                       "type=foo,dst=/a,bind-propagation=odd", "busybox"},
                      false)
                  .ok());
  auto spec = build_container_spec(f, false);
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  auto j = parse_json(create_body_json(*spec), "body");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["HostConfig"]["RestartPolicy"]["Name"], "bogus");
  EXPECT_EQ((*j)["HostConfig"]["CgroupnsMode"], "weird");
  EXPECT_EQ((*j)["HostConfig"]["Mounts"][0]["Type"], "foo");
  EXPECT_EQ((*j)["HostConfig"]["Mounts"][0]["BindOptions"]["Propagation"], "odd");
}

}  // namespace
}  // namespace berth::cli
