// Runs whole berth commands against a fake daemon on a temp socket: the order of the run flow
// (create, attach, wait, start), the demultiplexed output and the exit status.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/http/server.h"
#include "api/http/wire.h"
#include "base/file.h"
#include "cli/commands.h"

namespace berth::cli {
namespace {

using api::http::Request;
using api::http::ResponseWriter;

std::string frame(int stream, const std::string& payload) {
  std::string h(8, '\0');
  h[0] = static_cast<char>(stream);
  h[7] = static_cast<char>(payload.size());
  return h + payload;
}

struct FakeDaemon {
  std::mutex mu;
  std::condition_variable cv;
  bool started = false;
  std::vector<std::string> calls;
  std::string create_body;

  void handle(Request& req, ResponseWriter& w) {
    {
      std::lock_guard<std::mutex> lock(mu);
      calls.push_back(req.method + " " + req.target);
    }
    w.headers().set("Api-Version", "1.47");
    const std::string& p = req.path;
    if (p == "/_ping") {
      (void)w.send(200, "OK", "text/plain");
    } else if (p == "/v1.47/containers/create") {
      create_body = req.body.read_all().value_or("");
      if (create_body.find("\"missing\"") != std::string::npos) {
        (void)w.send(404, "{\"message\":\"No such image: missing:latest\"}");
        return;
      }
      (void)w.send(201, "{\"Id\":\"c0ffee0123456789\",\"Warnings\":[]}");
    } else if (p == "/v1.47/containers/c0ffee0123456789/attach") {
      std::string buffered;
      auto fd = w.hijack(req, "application/vnd.docker.multiplexed-stream", &buffered);
      if (!fd.ok()) return;
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return started; });
      (void)api::http::send_all(fd->get(), frame(1, "out\n") + frame(2, "err\n"));
    } else if (p == "/v1.47/containers/c0ffee0123456789/wait") {
      (void)w.begin_stream(200, "application/json");
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return started; });
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      (void)w.write("{\"StatusCode\":3,\"Error\":null}\n");
      (void)w.end();
    } else if (p == "/v1.47/containers/c0ffee0123456789/start") {
      {
        std::lock_guard<std::mutex> lock(mu);
        started = true;
      }
      cv.notify_all();
      (void)w.send(204, "");
    } else if (p == "/v1.47/containers/json") {
      (void)w.send(200, "[]");
    } else {
      (void)w.send(404, "{\"message\":\"No such container: x\"}");
    }
  }
};

class RunFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-cli-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    auto server =
        api::http::Server::listen("unix://" + dir_ + "/d.sock",
                                  [this](Request& r, ResponseWriter& w) { fake_.handle(r, w); });
    ASSERT_TRUE(server.ok());
    server_ = std::move(server).value();
    thread_ = std::thread([this] { server_->serve(); });
    ::setenv("BERTH_HOST", ("unix://" + dir_ + "/d.sock").c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("BERTH_HOST");
    server_->shutdown();
    thread_.join();
    ::unlink((dir_ + "/d.sock").c_str());
    ::rmdir(dir_.c_str());
  }
  // Runs berth with stdout and stderr captured.
  int berth(std::vector<std::string> args, std::string* out, std::string* err) {
    args.insert(args.begin(), "berth");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::string out_path = dir_ + "/out", err_path = dir_ + "/err";
    int saved_out = ::dup(1), saved_err = ::dup(2);
    int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(o, 1);
    ::dup2(e, 2);
    int rc = run_berth(static_cast<int>(argv.size()), argv.data());
    ::dup2(saved_out, 1);
    ::dup2(saved_err, 2);
    ::close(o);
    ::close(e);
    ::close(saved_out);
    ::close(saved_err);
    *out = read_file(out_path).value_or("");
    *err = read_file(err_path).value_or("");
    ::unlink(out_path.c_str());
    ::unlink(err_path.c_str());
    return rc;
  }

  std::string dir_;
  FakeDaemon fake_;
  std::unique_ptr<api::http::Server> server_;
  std::thread thread_;
};

TEST_F(RunFlowTest, AttachedRunFollowsDockerOrder) {
  std::string out, err;
  int rc = berth({"run", "--rm", "--name", "t1", "busybox", "echo", "hi"}, &out, &err);
  EXPECT_EQ(rc, 3);
  EXPECT_EQ(out, "out\n");
  EXPECT_EQ(err, "err\n");
  std::vector<std::string> want = {
      "GET /_ping",
      "POST /v1.47/containers/create?name=t1",
      "POST /v1.47/containers/c0ffee0123456789/attach?stream=1&stdout=1&stderr=1",
      "POST /v1.47/containers/c0ffee0123456789/wait?condition=removed",
      "POST /v1.47/containers/c0ffee0123456789/start",
  };
  EXPECT_EQ(fake_.calls, want);
  EXPECT_NE(fake_.create_body.find("\"AutoRemove\":true"), std::string::npos);
  EXPECT_NE(fake_.create_body.find("\"Cmd\":[\"echo\",\"hi\"]"), std::string::npos);
}

TEST_F(RunFlowTest, DetachedRunPrintsId) {
  std::string out, err;
  EXPECT_EQ(berth({"run", "-d", "busybox"}, &out, &err), 0);
  EXPECT_EQ(out, "c0ffee0123456789\n");
}

TEST_F(RunFlowTest, MissingImageExits125) {
  std::string out, err;
  EXPECT_EQ(berth({"run", "missing"}, &out, &err), 125);
  EXPECT_NE(err.find("Unable to find image 'missing:latest' locally"), std::string::npos) << err;
  EXPECT_NE(err.find("Error response from daemon: No such image: missing:latest"),
            std::string::npos)
      << err;
}

TEST_F(RunFlowTest, DaemonErrorsExit1) {
  std::string out, err;
  EXPECT_EQ(berth({"rm", "-f", "x"}, &out, &err), 1);
  EXPECT_EQ(err, "Error response from daemon: No such container: x\n");
  EXPECT_EQ(fake_.calls.back(), "DELETE /v1.47/containers/x?force=1");
}

TEST_F(RunFlowTest, PsEmptyTable) {
  std::string out, err;
  EXPECT_EQ(berth({"ps", "-a"}, &out, &err), 0);
  EXPECT_EQ(out, "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n");
  EXPECT_EQ(fake_.calls.back(), "GET /v1.47/containers/json?all=1");
}

TEST_F(RunFlowTest, BadFlagExits125) {
  std::string out, err;
  EXPECT_EQ(berth({"run", "--bogus", "busybox"}, &out, &err), 125);
  EXPECT_EQ(err, "unknown flag: --bogus\nSee 'berth run --help'.\n");
}

TEST_F(RunFlowTest, NoDaemonAtGivenHost) {
  ::setenv("BERTH_HOST", ("unix://" + dir_ + "/none.sock").c_str(), 1);
  std::string out, err;
  EXPECT_EQ(berth({"ps"}, &out, &err), 1);
  EXPECT_NE(err.find("Cannot connect to the Berth daemon at unix://"), std::string::npos) << err;
}

}  // namespace
}  // namespace berth::cli
